#!/usr/bin/env node
// One gymlab Session of an SLM Lab spec (PPO or DQN on CartPole-v1): the measured side of
// tools/bench-ppo-cartpole.sh and tools/bench-dqn-cartpole.sh.
// Loads the SLM Lab spec with @gymlab/spec, sets env.max_frame to the frame budget, and runs one
// real Session (@gymlab/lab runSession: vector env, agent, metric rows; no run folder, no eval).
// Prints one JSON line: frames, seconds (the session's own wall time), fps, CPU seconds, and what ran.
import { benchCli } from './cli.mjs';

const USAGE = 'usage: ppo_cartpole_gymlab.mjs --spec-file FILE [--spec-name NAME] [--frames N] [--seed S] [--backend wasm|cpu|fast|native]';
const cli = benchCli('ppo_cartpole_gymlab.mjs', USAGE);
const { fail } = cli;
const args = cli.parse({
  'spec-file': { type: 'string' },
  'spec-name': { type: 'string', default: 'ppo_cartpole' },
  frames: { type: 'string', default: '50000' },
  seed: { type: 'string', default: '0' },
  backend: { type: 'string' },
});
if (!args['spec-file']) fail(`--spec-file is required\n${USAGE}`);
const frames = cli.int(args, 'frames', 1);
const seed = cli.int(args, 'seed', 0);
const backend = cli.backend(args, ['wasm', 'cpu', 'fast', 'native']);

const { loadSpec } = await cli.importLib('@gymlab/spec');
const lab = await cli.importLib('@gymlab/lab');
if (typeof loadSpec !== 'function') fail('@gymlab/spec has no loadSpec yet (the spec lib is not built or not finished)', 3);
if (typeof lab.runSession !== 'function') fail('@gymlab/lab has no runSession yet (the lab lib is not built or not finished)', 3);

const sets = [`env.max_frame=${frames}`, 'meta.rigorous_eval=0'];
if (backend !== undefined) sets.push(`agent.net.backend=${backend}`);
const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], sets);

const started = performance.now();
const cpuStart = process.cpuUsage();
let result;
try {
  result = await lab.runSession({ spec, seed, dir: null });
} catch (err) {
  fail(`the session failed: ${err.message.split('\n')[0]}`, 1);
}
const total = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const lastRow = result.rows.length > 0 ? result.rows[result.rows.length - 1] : null;
process.stdout.write(
  JSON.stringify({
    side: 'gymlab',
    frames: result.frames,
    seconds: result.wallTime,
    fps: result.frames / result.wallTime,
    seconds_with_setup: total,
    cpu_seconds: (cpu.user + cpu.system) / 1e6, // the whole process, setup included
    opt_steps: result.optSteps,
    episodes: result.episodes,
    return_ma: lastRow ? lastRow.return_ma : null,
    backend: result.backend,
    compute: result.compute,
    versions: result.backendVersions,
    node: process.version,
  }) + '\n',
);
