#!/usr/bin/env node
// PPO on CartPole-v1 with gymlab: the measured side of tools/bench-ppo-cartpole.sh.
// Loads the SLM Lab spec with @gymlab/spec, sets env.max_frame to the frame budget, and runs one
// real Session (@gymlab/lab runSession: vector env, agent, metric rows; no run folder, no eval).
// Prints one JSON line: frames, seconds (the session's own wall time), fps, and what ran.
import { parseArgs } from 'node:util';

const USAGE = 'usage: ppo_cartpole_gymlab.mjs --spec-file FILE [--spec-name NAME] [--frames N] [--seed S] [--backend wasm|cpu]';

function fail(message, code = 2) {
  process.stderr.write(`ppo_cartpole_gymlab.mjs: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      'spec-file': { type: 'string' },
      'spec-name': { type: 'string', default: 'ppo_cartpole' },
      frames: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '0' },
      backend: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(`${err.message}\n${USAGE}`);
}
if (!args['spec-file']) fail(`--spec-file is required\n${USAGE}`);
const frames = Number(args.frames);
const seed = Number(args.seed);
if (!Number.isInteger(frames) || frames <= 0) fail(`--frames must be a positive integer, got "${args.frames}"`);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a non-negative integer, got "${args.seed}"`);
if (args.backend !== undefined && !['wasm', 'cpu'].includes(args.backend)) fail(`--backend must be wasm or cpu, got "${args.backend}"`);

async function importLib(name) {
  try {
    return await import(name);
  } catch (err) {
    return fail(`cannot load ${name} (${err.message.split('\n')[0]}); build the libs first: npx tsc -b libs/lab`, 3);
  }
}

const { loadSpec } = await importLib('@gymlab/spec');
const lab = await importLib('@gymlab/lab');
if (typeof loadSpec !== 'function') fail('@gymlab/spec has no loadSpec yet (the spec lib is not built or not finished)', 3);
if (typeof lab.runSession !== 'function') fail('@gymlab/lab has no runSession yet (the lab lib is not built or not finished)', 3);

const sets = [`env.max_frame=${frames}`, 'meta.rigorous_eval=0'];
if (args.backend !== undefined) sets.push(`agent.net.backend=${args.backend}`);
let spec;
try {
  spec = loadSpec(args['spec-file'], args['spec-name'], { sets });
} catch (err) {
  fail(err.message);
}

const started = performance.now();
let result;
try {
  result = await lab.runSession({ spec, seed, dir: null });
} catch (err) {
  fail(`the session failed: ${err.message.split('\n')[0]}`, 1);
}
const total = (performance.now() - started) / 1000;
const lastRow = result.rows.length > 0 ? result.rows[result.rows.length - 1] : null;
process.stdout.write(
  JSON.stringify({
    side: 'gymlab',
    frames: result.frames,
    seconds: result.wallTime,
    fps: result.frames / result.wallTime,
    seconds_with_setup: total,
    opt_steps: result.optSteps,
    episodes: result.episodes,
    return_ma: lastRow ? lastRow.return_ma : null,
    backend: result.backend,
    versions: result.backendVersions,
    node: process.version,
  }) + '\n',
);
