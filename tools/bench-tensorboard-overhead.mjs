#!/usr/bin/env node
// Cost of a Session's TensorBoard log: frames/s of one real PPO CartPole session (SLM Lab's
// ppo_cartpole spec, env.max_frame = --frames, one session, no eval) with `tensorboard: true`
// against `tensorboard: false`. Both write their run folder (CSVs, checkpoints) to a temp folder.
//
//   nice -n 19 node tools/bench-tensorboard-overhead.mjs [--frames 50000] [--repeat 3] [--seed 0]
//       [--backend wasm|cpu] [--spec-file FILE] [--spec-name NAME] [--row-iterations 200]
//
// Each run is its own Node process (same seed, so the same work). Runs are interleaved and the
// order alternates (on, off, off, on, on, off, ...) so that a change of machine load hits both
// sides. Reports every run, the median frames/s of each side, their ratio (acceptance: >= 0.95),
// the paired ratios, the same ratio of frames per CPU second of the process (less sensitive to
// other processes on a shared machine), the load average before and after, and a direct measure of the logging cost: the time of one
// metrics row's TensorBoard work (scalars, a histogram of every weight tensor of the last run's
// checkpoint, the action histogram of log_frequency frames), times the number of rows, as a share
// of the session's wall time. Needs the libs built (npx tsc -b libs/lab). Removes its temp folders.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli, median } from './bench/cli.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE =
  'usage: bench-tensorboard-overhead.mjs [--frames N] [--repeat K] [--seed S] [--backend wasm|cpu] [--spec-file FILE] [--spec-name NAME] [--row-iterations N]';

const cli = benchCli('bench-tensorboard-overhead', USAGE);
const { fail, importLib } = cli;
const args = cli.parse({
  frames: { type: 'string', default: '50000' },
  repeat: { type: 'string', default: '3' },
  seed: { type: 'string', default: '0' },
  backend: { type: 'string' },
  'spec-file': { type: 'string', default: '/work/shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json' },
  'spec-name': { type: 'string', default: 'ppo_cartpole' },
  'row-iterations': { type: 'string', default: '200' },
  child: { type: 'string' }, // internal: 'on' | 'off'
});
const frames = cli.int(args, 'frames', 1);
const repeat = cli.int(args, 'repeat', 1);
const rowIterations = cli.int(args, 'row-iterations', 1);
const seed = cli.int(args, 'seed', 0);
const backend = cli.backend(args);
if (args.child !== undefined && !['on', 'off'].includes(args.child)) fail(`--child must be on or off, got "${args.child}"`);

function loadBenchSpec(loadSpec) {
  const sets = [`env.max_frame=${frames}`, 'meta.max_session=1', 'meta.rigorous_eval=0'];
  if (backend !== undefined) sets.push(`agent.net.backend=${backend}`);
  return cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], sets);
}

function folderBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

/** One measured session in this process; prints one JSON line. */
async function child(mode) {
  const { loadSpec } = await importLib('@gymlab/spec');
  const { runSession } = await importLib('@gymlab/lab');
  const spec = loadBenchSpec(loadSpec);
  const dir = mkdtempSync(join(tmpdir(), `bench-tb-${mode}-`));
  try {
    const cpu0 = process.cpuUsage();
    const r = await runSession({ spec, seed, dir, tensorboard: mode === 'on' });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const tbDir = join(dir, 'tensorboard');
    const tbBytes = mode === 'on' ? folderBytes(tbDir) : 0;
    const cost = mode === 'on' ? await rowCost(spec, dir, r.rows.length) : null;
    process.stdout.write(
      JSON.stringify({ mode, frames: r.frames, seconds: r.wallTime, fps: r.frames / r.wallTime, cpu_seconds: cpuSeconds, fps_cpu: r.frames / cpuSeconds, rows: r.rows.length, tb_bytes: tbBytes, backend: r.backend, ...cost }) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time of one row's TensorBoard work with the run's final weights (see the header). */
async function rowCost(spec, sessionDir, rows) {
  const { loadCheckpoint } = await importLib(join(ROOT, 'libs/lab/dist/checkpoint.js'));
  const { SessionTensorBoard } = await importLib(join(ROOT, 'libs/lab/dist/tb-log.js'));
  const { Discrete } = await importLib('@gymlab/envs');
  const { state } = loadCheckpoint(join(sessionDir, 'checkpoints', 'latest'));
  const weights = Object.fromEntries(Object.entries(state.tensors).filter(([n]) => !n.startsWith('optim')).map(([n, t]) => [n, t.data]));
  const agent = { weights: () => weights };
  const dir = mkdtempSync(join(tmpdir(), 'bench-tb-row-'));
  try {
    const tb = SessionTensorBoard.open({ sessionFolder: dir, spec, trial: 0, actionSpace: new Discrete(2) });
    const numEnvs = spec.env.num_envs;
    const action = new Int32Array(numEnvs).map((_, i) => i % 2);
    const stepsPerRow = Math.ceil(spec.meta.log_frequency / numEnvs);
    const row = { frame: 0, wall_time: 1, episodes: 10, opt_steps: 100, return: 20, return_ma: 20, loss: 0.5, lr: 1e-3, entropy: 0.6, explore_var: null, fps: 1000 };
    tb.recordTrain({ loss: 0.5, terms: { policy: 0.1, value: 0.8, entropy: 0.6, clip_eps: 0.2, entropy_coef: 0.01 }, gradNorm: 1.5, optSteps: 1 });
    const start = performance.now();
    for (let i = 1; i <= rowIterations; i++) {
      for (let s = 0; s < stepsPerRow; s++) tb.recordActions(action);
      tb.writeRow({ ...row, frame: i * stepsPerRow * numEnvs }, agent);
      tb.flush();
    }
    const perRowMs = (performance.now() - start) / rowIterations;
    tb.finish('success', rows, { frame: 0, total_reward_ma: 0, strength: 0, max_strength: 0, final_strength: 0, sample_efficiency: null, training_efficiency: null, stability: null }, null);
    const weightValues = Object.values(weights).reduce((a, w) => a + w.length, 0);
    return { row_ms: perRowMs, weight_tensors: Object.keys(weights).length, weight_values: weightValues };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parent() {
  const passOn = ['--frames', String(frames), '--seed', String(seed), '--spec-file', args['spec-file'], '--spec-name', args['spec-name'], '--row-iterations', String(rowIterations)];
  if (backend !== undefined) passOn.push('--backend', backend);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  const git = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '?';
  console.log(`TensorBoard overhead: ${args['spec-name']} from ${args['spec-file']}, ${frames} frames, seed ${seed}, ${repeat} run(s) per side, git ${git}`);
  console.log(`load average before: ${load()}`);
  const runs = [];
  for (let k = 0; k < repeat; k++) {
    for (const mode of k % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
      const out = spawnSync(process.execPath, [SELF, '--child', mode, ...passOn], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
      if (out.status !== 0) fail(`the ${mode} run failed (exit ${out.status}): ${(out.stderr || '').trim().split('\n').slice(-3).join(' | ')}`, 1);
      const line = out.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      const r = JSON.parse(line);
      runs.push(r);
      const extra = mode === 'on' ? `  tb ${(r.tb_bytes / 1024).toFixed(0)} KiB, one row's TB work ${r.row_ms.toFixed(2)} ms` : '';
      console.log(`run ${k + 1}/${repeat} tensorboard ${mode.padEnd(3)}: ${r.frames} frames in ${r.seconds.toFixed(2)} s = ${r.fps.toFixed(1)} frames/s (CPU ${r.cpu_seconds.toFixed(2)} s, ${r.rows} rows, ${r.backend}), load ${load()}${extra}`);
    }
  }
  const on = runs.filter((r) => r.mode === 'on');
  const off = runs.filter((r) => r.mode === 'off');
  const mOn = median(on.map((r) => r.fps));
  const mOff = median(off.map((r) => r.fps));
  const ratio = mOn / mOff;
  const pairs = [];
  for (let k = 0; k < on.length; k++) pairs.push(on[k].fps / off[k].fps);
  const cOn = median(on.map((r) => r.fps_cpu));
  const cOff = median(off.map((r) => r.fps_cpu));
  const rowMs = median(on.map((r) => r.row_ms));
  const share = (rowMs * on[0].rows) / 1000 / median(on.map((r) => r.seconds));
  console.log(`load average after: ${load()}`);
  console.log(`median frames/s: on ${mOn.toFixed(1)}, off ${mOff.toFixed(1)}; ratio on/off ${ratio.toFixed(3)} (acceptance >= 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'})`);
  console.log(`paired ratios on/off (same repeat): ${pairs.map((x) => x.toFixed(3)).join(' ')}; median ${median(pairs).toFixed(3)}`);
  console.log(`median frames per CPU second (process CPU time of the run, backend start included): on ${cOn.toFixed(1)}, off ${cOff.toFixed(1)}; ratio ${(cOn / cOff).toFixed(3)}`);
  console.log(
    `direct cost: ${rowMs.toFixed(2)} ms per row (${on[0].weight_tensors} weight tensors, ${on[0].weight_values} values) x ${on[0].rows} rows = ` +
      `${(share * 100).toFixed(2)}% of the session's wall time (expected ratio ~${(1 / (1 + share)).toFixed(3)}); event file ${(median(on.map((r) => r.tb_bytes)) / 1024).toFixed(0)} KiB`,
  );
}

if (args.child !== undefined) await child(args.child);
else parent();
