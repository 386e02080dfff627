#!/usr/bin/env node
// Where one Session's time goes: one real session under V8's sampling profiler, shares by part.
// Usage, output and what each figure means: tools/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli, sessionToolOptions } from './bench/cli.mjs';

const USAGE = 'usage: profile-session.mjs [--spec-file F] [--spec-name N] [--frames N] [--backend fast|native|wasm|cpu] [--seed S] [--interval-us U] [--keep DIR]';
const cli = benchCli('profile-session.mjs', USAGE);
const args = cli.parse({
  ...sessionToolOptions(fileURLToPath(new URL('../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url))),
  frames: { type: 'string', default: '20000' },
  seed: { type: 'string', default: '0' },
  'interval-us': { type: 'string', default: '500' },
  keep: { type: 'string' },
  // --child (internal): run the profiled session, write the profile into this folder
});
const frames = cli.int(args, 'frames', 1);
const seed = cli.int(args, 'seed', 0);
const interval = cli.int(args, 'interval-us', 50);
const backend = cli.backend(args, ['fast', 'native', 'wasm', 'cpu']);

if (args.child !== undefined) {
  const { Session } = await import('node:inspector/promises');
  const { loadSpec } = await cli.importLib('@gymlab/spec');
  const lab = await cli.importLib('@gymlab/lab');
  const sets = [`env.max_frame=${frames}`];
  if (backend !== undefined) sets.push(`agent.net.backend=${backend}`);
  const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], sets);
  const dir = mkdtempSync(join(tmpdir(), 'profile-session-'));
  const inspector = new Session();
  inspector.connect();
  try {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval });
    const cpu0 = process.cpuUsage();
    await inspector.post('Profiler.start');
    const r = await lab.runSession({ spec, seed, dir });
    const { profile } = await inspector.post('Profiler.stop');
    const cpu = process.cpuUsage(cpu0);
    writeFileSync(join(args.child, 'session.cpuprofile'), JSON.stringify(profile));
    process.stdout.write(`${JSON.stringify({ compute: r.compute, frames: r.frames, opt_steps: r.optSteps, wall: r.wallTime, cpu: (cpu.user + cpu.system) / 1e6, rows: r.rows.length })}\n`);
  } finally {
    inspector.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

/** The part a frame belongs to, or null for Node's internals and V8's pseudo-frames other than GC. */
function partOf(frame) {
  const { url, functionName } = frame.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return 'other';
  if (url.startsWith('wasm://') || /^(wasm-function|\$)/.test(functionName)) return 'kernels';
  if (/\/libs\/envs\//.test(url)) return 'env';
  if (/\/libs\/(lab|analysis|tensorboard)\//.test(url)) return 'lab';
  if (/\/libs\/(agents|backends|random)\//.test(url)) return 'agents JS';
  if (/\/@tensorflow\//.test(url)) return 'tfjs JS';
  if (/\/node_modules\//.test(url)) return 'other';
  return null;
}

const PARTS = ['kernels', 'tfjs JS', 'agents JS', 'env', 'lab', 'GC', 'other'];

/** Sampled milliseconds per part: each sample's innermost classified frame. */
function shares(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const classify = (id) => {
    if (memo.has(id)) return memo.get(id);
    const own = partOf(byId.get(id));
    const part = own ?? (parent.has(id) ? classify(parent.get(id)) : 'other');
    memo.set(id, part);
    return part;
  };
  const ms = Object.fromEntries(PARTS.map((p) => [p, 0]));
  profile.samples.forEach((id, i) => {
    ms[classify(id)] += (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return ms;
}

const profDir = args.keep !== undefined ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'profile-session-prof-'));
mkdirSync(profDir, { recursive: true });
const self = fileURLToPath(import.meta.url);
const r = spawnSync(process.execPath, [self, ...process.argv.slice(2), '--child', profDir], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (r.status !== 0) cli.fail(`the profiled session failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`, 1);
const run = JSON.parse(r.stdout.trim().split('\n').pop());
const file = join(profDir, 'session.cpuprofile');
const ms = shares(JSON.parse(readFileSync(file, 'utf8')));
if (args.keep === undefined) rmSync(profDir, { recursive: true, force: true });

const total = PARTS.reduce((a, p) => a + ms[p], 0);
const inSession = total - ms.other;
console.log(`${args['spec-name']} (${args['spec-file']}), ${run.frames} frames, ${run.opt_steps} opt steps, ${run.rows} rows; compute: ${run.compute}`);
console.log(`session ${run.wall.toFixed(2)} s wall in its loop, ${run.cpu.toFixed(2)} s CPU in all (set-up included); profile ${(total / 1000).toFixed(2)} s sampled every ${interval} us`);
console.log('part          ms       % of all   % without other');
for (const p of PARTS) {
  const pctAll = (100 * ms[p]) / total;
  const pctIn = p === 'other' ? '' : ((100 * ms[p]) / inSession).toFixed(1).padStart(8);
  console.log(`${p.padEnd(10)} ${ms[p].toFixed(0).padStart(8)}   ${pctAll.toFixed(1).padStart(7)}   ${pctIn}`);
}
console.log(`bookkeeping (tfjs JS + agents JS): ${((100 * (ms['tfjs JS'] + ms['agents JS'])) / inSession).toFixed(1)}% without other`);
if (args.keep !== undefined) console.log(`profile: ${file}`);
