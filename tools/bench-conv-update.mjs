#!/usr/bin/env node
// Time of one DQN-style update of the Atari-sized ConvNet: SLM Lab's dqn_atari net (conv 32x8/4,
// 64x4/2, 64x3/1, fc 256, relu) on [4, 84, 84] observations, a linear Q head of 6 actions, batch 32.
// One update = the target net's forward on the next states (no gradient) + the online net's
// forward and backward + the spec's optimizer step (AdamW, clip_grad_val 10), as the DQN agent does.
//
//   nice -n 19 node tools/bench-conv-update.mjs [--updates 5] [--backend wasm|cpu] [--batch 32]
//       [--spec-file FILE] [--spec-name NAME]
//
// Prints the wall and CPU milliseconds of each update and their medians (the first, kernel warm-up,
// excluded). The process is single-threaded, so CPU time is the figure to compare on a loaded machine.
// Needs the libs built (npx tsc -b libs/agents).
import { benchCli, median } from './bench/cli.mjs';

const USAGE = 'usage: bench-conv-update.mjs [--updates N] [--backend wasm|cpu] [--batch B] [--spec-file FILE] [--spec-name NAME]';
const cli = benchCli('bench-conv-update', USAGE);
const args = cli.parse({
  updates: { type: 'string', default: '5' },
  backend: { type: 'string', default: 'wasm' },
  batch: { type: 'string', default: '32' },
  'spec-file': { type: 'string', default: '/work/shared/slm_lab_specs_next/benchmark/dqn/dqn_atari.json' },
  'spec-name': { type: 'string', default: 'dqn_atari' },
});
const updates = cli.int(args, 'updates', 1);
const batch = cli.int(args, 'batch', 1);
const backendName = cli.backend(args);

const { initBackend } = await cli.importLib('@gymlab/backends');
const { loadSpec } = await cli.importLib('@gymlab/spec');
const { Rng } = await cli.importLib('@gymlab/random');
const { buildConvNet, checkConvNet, makeOptimizer, minimize, Mlp } = await cli.importLib('@gymlab/agents');

// the file's env is a placeholder (${env}); the net does not depend on it
const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], ['env=ALE/Pong-v5']);
const net = spec.agent.net;
if (net.type !== 'ConvNet') cli.fail(`${args['spec-name']}: agent.net.type is ${net.type}; this benchmark times a ConvNet`);
const inputShape = [4, 84, 84];
const actions = 6;
try {
  checkConvNet(net, inputShape);
} catch (err) {
  cli.fail(err.message);
}
const { tf } = await initBackend({ gpu: false, backend: backendName ?? 'wasm' });

const build = (seed, name) => {
  const body = buildConvNet(tf, net, inputShape, seed, name);
  const head = new Mlp(tf, { inputSize: body.outputSize, hidden: [], activation: net.hid_layers_activation, outputSize: actions, initFn: net.init_fn, seed: seed + 1, name: `${name}/out` });
  return { vars: [...body.variables, ...head.variables], q: (x) => head.forward(body.forward(x, true)) };
};
const online = build(1, 'online');
const target = build(3, 'target');
const optimizer = makeOptimizer(tf, net.optim_spec, online.vars);

const rng = new Rng(0);
const obsSize = inputShape.reduce((a, b) => a * b, 1);
const frames = (n) => Float32Array.from({ length: n * obsSize }, () => Math.floor(256 * rng.random()));
const gamma = spec.agent.algorithm.gamma;

const times = [];
const cpuTimes = [];
for (let u = 0; u <= updates; u++) {
  const [states, nextStates] = [tf.tensor2d(frames(batch), [batch, obsSize]), tf.tensor2d(frames(batch), [batch, obsSize])];
  const actionMask = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => rng.int(actions)), 'int32'), actions);
  const rewards = tf.tensor1d(Array.from({ length: batch }, () => rng.random()));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const targets = tf.tidy(() => tf.add(rewards, tf.mul(tf.max(target.q(nextStates), 1), gamma)));
  const { loss } = minimize(tf, optimizer, () => tf.losses.huberLoss(targets, tf.sum(tf.mul(online.q(states), actionMask), 1)), online.vars, net.clip_grad_val);
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  if (!Number.isFinite(loss)) cli.fail(`update ${u}: loss is ${loss}`, 1);
  if (u > 0) {
    times.push(ms);
    cpuTimes.push(cpuMs);
  }
  process.stdout.write(`update ${u}${u === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU\n`);
  for (const t of [states, nextStates, actionMask, rewards, targets]) t.dispose();
}
process.stdout.write(
  `${tf.getBackend()}: median ${median(times).toFixed(1)} ms wall, ${median(cpuTimes).toFixed(1)} ms CPU per update (batch ${batch}, input [${inputShape.join(', ')}], conv ${JSON.stringify(net.conv_hid_layers)}, fc ${JSON.stringify(net.fc_hid_layers)}, ${net.optim_spec.name}), tensors alive ${tf.memory().numTensors}\n`,
);
