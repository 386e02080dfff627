#!/usr/bin/env node
// Frames, wall and CPU seconds until a session's return_ma reaches the env's target (the demo).
// Usage, output and what each figure means: tools/README.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli, sessionToolOptions, median } from './bench/cli.mjs';

const USAGE = 'usage: time-to-target.mjs [--spec-file F] [--spec-name N] [--seeds S1,S2,...] [--backend fast|native|wasm|cpu] [--frames N]';
const cli = benchCli('time-to-target.mjs', USAGE);
const args = cli.parse({
  ...sessionToolOptions(fileURLToPath(new URL('../specs/demo.json', import.meta.url))),
  seeds: { type: 'string', default: '1,2,3,4' },
  frames: { type: 'string' },
  // --child (internal): run the session of this seed and print its JSON
});
const backend = cli.backend(args, ['fast', 'native', 'wasm', 'cpu']);
const seeds = args.seeds.split(',').map((s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) cli.fail(`--seeds must be non-negative integers separated by commas, got "${args.seeds}"`);
  return n;
});
if (args.frames !== undefined) cli.int(args, 'frames', 1);

if (args.child !== undefined) {
  const { loadSpec } = await cli.importLib('@gymlab/spec');
  const lab = await cli.importLib('@gymlab/lab');
  const { envTarget } = await cli.importLib('@gymlab/analysis');
  const sets = [];
  if (backend !== undefined) sets.push(`agent.net.backend=${backend}`);
  if (args.frames !== undefined) sets.push(`env.max_frame=${args.frames}`);
  const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], sets);
  const target = envTarget(spec.env.name);
  if (target === null) cli.fail(`${spec.env.name} has no target return`);
  const dir = mkdtempSync(join(tmpdir(), 'time-to-target-'));
  const cpuAt = [];
  try {
    const cpu0 = process.cpuUsage();
    const r = await lab.runSession({
      spec,
      seed: Number(args.child),
      dir,
      onProgress: (p) => {
        const c = process.cpuUsage(cpu0);
        cpuAt.push({ frame: p.frame, cpu: (c.user + c.system) / 1e6 });
      },
    });
    const i = r.rows.findIndex((row) => row.return_ma !== null && row.return_ma >= target);
    const total = process.cpuUsage(cpu0);
    process.stdout.write(
      `${JSON.stringify({
        seed: Number(args.child),
        compute: r.compute,
        target,
        frame: i < 0 ? null : r.rows[i].frame,
        wall: i < 0 ? null : r.rows[i].wall_time,
        cpu: i < 0 ? null : cpuAt[i].cpu,
        frames: r.frames,
        total_wall: r.wallTime,
        total_cpu: (total.user + total.system) / 1e6,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const fmt = (x, d = 2) => (x === null ? 'n/a' : x.toFixed(d)).padStart(8);
console.log(`time to target: ${args['spec-name']} from ${args['spec-file']}, seeds ${seeds.join(', ')}, backend ${backend ?? "the spec's"}`);
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('seed    frame  wall_s   cpu_s  | session: frames  wall_s   cpu_s  compute');
const runs = [];
for (const seed of seeds) {
  const r = spawnSync(process.execPath, [self, ...process.argv.slice(2), '--child', String(seed)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) cli.fail(`seed ${seed} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`, 1);
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  runs.push(m);
  console.log(`${String(seed).padStart(4)} ${String(m.frame ?? 'n/a').padStart(8)} ${fmt(m.wall)} ${fmt(m.cpu)}  | ${String(m.frames).padStart(14)} ${fmt(m.total_wall)} ${fmt(m.total_cpu)}  ${m.compute}`);
}
const reached = runs.filter((m) => m.frame !== null);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (reached.length === 0) console.log(`no seed reached ${runs[0].target}`);
else {
  console.log(
    `${reached.length}/${runs.length} seeds reached ${runs[0].target}; median to target: ${median(reached.map((m) => m.frame))} frames, ${median(reached.map((m) => m.wall)).toFixed(2)} s wall, ${median(reached.map((m) => m.cpu)).toFixed(2)} s CPU (max ${Math.max(...reached.map((m) => m.cpu)).toFixed(2)} s CPU)`,
  );
}
