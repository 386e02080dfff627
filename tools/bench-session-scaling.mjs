#!/usr/bin/env node
// A whole train run with N sessions against 1: wall, phases, CPU, and an idle-machine estimate.
// Usage, output and what each figure means: tools/README.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli, sessionToolOptions, median } from './bench/cli.mjs';

const USAGE = 'usage: bench-session-scaling.mjs [--spec-file FILE] [--spec-name NAME] [--sessions N] [--frames F] [--repeat K] [--backend fast|native|wasm|cpu] [--no-tensorboard]';
const cli = benchCli('bench-session-scaling.mjs', USAGE);
const args = cli.parse({
  ...sessionToolOptions(fileURLToPath(new URL('../specs/demo.json', import.meta.url))),
  sessions: { type: 'string', default: '4' },
  frames: { type: 'string', default: '100000' },
  repeat: { type: 'string', default: '2' },
  seed: { type: 'string', default: '0' },
  'no-tensorboard': { type: 'boolean', default: false },
  // --child (internal): run one trial of this many sessions and print its JSON
});
const sessions = cli.int(args, 'sessions', 1);
const frames = cli.int(args, 'frames', 1);
const repeat = cli.int(args, 'repeat', 1);
const seed = cli.int(args, 'seed', 0);
const backend = cli.backend(args, ['fast', 'native', 'wasm', 'cpu']);

/** CPU seconds of this process's waited-for children (utime + stime of /proc/self/stat's cutime, cstime). */
function childrenCpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of proc(5), in USER_HZ = 100
}

async function childRun(count) {
  const lab = await cli.importLib('@gymlab/lab');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-scaling-'));
  const sets = [`meta.max_session=${count}`, `env.max_frame=${frames}`, `meta.random_seed=${seed}`];
  if (backend !== undefined) sets.push(`agent.net.backend=${backend}`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let started = NaN;
  let lastRow = 0;
  let compute = '?';
  try {
    const ctx = lab.createRunContext({
      dataDir,
      tensorboard: !args['no-tensorboard'],
      commandLine: ['bench-session-scaling'],
      onProgress: (p) => {
        if (p.frame >= p.maxFrame) lastRow = performance.now();
      },
    });
    const onStart = (info) => {
      started = performance.now();
      compute = info.compute;
    };
    const r = await lab.runSpec({ specFile: args['spec-file'], specName: args['spec-name'], mode: 'train', sets, onStart }, ctx);
    const end = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const loops = r.trial.sessions.map((s) => s.wallTime);
    process.stdout.write(
      `${JSON.stringify({
        sessions: count,
        compute,
        wall: (end - t0) / 1000,
        preflight: (started - t0) / 1000,
        sessions_phase: (lastRow - started) / 1000,
        after: (end - lastRow) / 1000,
        loop_mean: loops.reduce((a, b) => a + b, 0) / loops.length,
        loops,
        parent_cpu: (cpu.user + cpu.system) / 1e6,
        workers_cpu: childrenCpu(),
        load: loadavg()[0],
        strength: r.trial.metrics?.strength ?? null,
      })}\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (args.child !== undefined) {
  await childRun(cli.int(args, 'child', 1));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const passOn = process.argv.slice(2);
function measure(count) {
  const r = spawnSync(process.execPath, [self, ...passOn, '--child', String(count)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) cli.fail(`the ${count}-session run failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`, 1);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const fmt = (x) => x.toFixed(2).padStart(7);
console.log(`session scaling: ${args['spec-name']} from ${args['spec-file']}, ${frames} frames per session, 1 vs ${sessions} sessions, ${availableParallelism()} cores, ${repeat} repeat(s), backend ${backend ?? "the spec's"}`);
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('sessions     wall  preflight  sessions  after  loop_mean  parent_cpu  workers_cpu   load  compute');
const runs = { 1: [], [sessions]: [] };
for (let k = 0; k < repeat; k++) {
  for (const count of k % 2 === 0 ? [1, sessions] : [sessions, 1]) {
    const m = measure(count);
    runs[count].push(m);
    console.log(`${String(count).padStart(8)}  ${fmt(m.wall)}  ${fmt(m.preflight)}    ${fmt(m.sessions_phase)} ${fmt(m.after)}  ${fmt(m.loop_mean)}     ${fmt(m.parent_cpu)}      ${fmt(m.workers_cpu)}  ${fmt(m.load)}  ${m.compute}`);
  }
}
const one = median(runs[1].map((m) => m.wall));
const many = median(runs[sessions].map((m) => m.wall));
const ideal = Math.ceil(sessions / Math.min(sessions, availableParallelism()));
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`median wall: 1 session ${one.toFixed(2)} s, ${sessions} sessions ${many.toFixed(2)} s; ratio ${(many / one).toFixed(3)} (ideal ${ideal} on ${availableParallelism()} cores)`);
const cpuOne = median(runs[1].map((m) => m.parent_cpu + m.workers_cpu));
const cpuMany = median(runs[sessions].map((m) => m.parent_cpu + m.workers_cpu));
console.log(`median CPU (this process + workers): 1 session ${cpuOne.toFixed(2)} s, ${sessions} sessions ${cpuMany.toFixed(2)} s; ratio ${(cpuMany / cpuOne).toFixed(3)} (ideal ${sessions})`);
// On an idle machine the run's wall is about this process's CPU (preflight, analysis: serial) plus
// the workers' CPU spread over the pool: a figure the load of a shared machine does not move.
const pool = Math.min(sessions, availableParallelism());
const pathOne = median(runs[1].map((m) => m.parent_cpu + m.workers_cpu));
const pathMany = median(runs[sessions].map((m) => m.parent_cpu + m.workers_cpu / pool));
console.log(`idle-machine estimate (this process's CPU + workers' CPU / ${pool}): 1 session ${pathOne.toFixed(2)} s, ${sessions} sessions ${pathMany.toFixed(2)} s; ratio ${(pathMany / pathOne).toFixed(3)}`);
