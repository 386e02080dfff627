#!/usr/bin/env node
// SAC (or CrossQ) with gymlab: the measured side of tools/bench-sac-pendulum.sh. Three figures, one JSON line:
//   - update: the agent of the spec (SLM Lab's sac_pendulum by default; any SoftActorCritic or
//     CrossQ spec, Box or Discrete actions), registry-built on `--backend`, its replay filled with
//     synthetic transitions past training_start_step, then `--updates` updates (SAC: sample a batch,
//     the critic target from the actor and the target critics, one step of each critic, one policy
//     step through the critics, one alpha step, polyak targets; CrossQ: each critic once on the
//     joint batch of 2 x batch rows, the policy and alpha every policy_delay), timed in CPU and wall
//     ms per update, and the FLOPs of the matrix products of one update (from the nets' kernel
//     shapes; batch renorm and activations not counted) as GFLOP/s;
//   - the tfjs-wasm 256x256 matmul GFLOP/s in this process (XNNPACK, the wasm limit);
//   - a real Session of `--frames` frames (@gymlab/lab runSession), frames/s.
import { benchCli, median, timed } from './cli.mjs';

const OPTIONS = {
  'spec-file': { type: 'string' },
  'spec-name': { type: 'string', default: 'sac_pendulum' },
  updates: { type: 'string', default: '200' },
  frames: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '0' },
  backend: { type: 'string', default: 'fast' },
};
const USAGE = `usage: sac_pendulum_gymlab.mjs ${Object.keys(OPTIONS).map((k) => `--${k} ${OPTIONS[k].default ?? 'VALUE'}`).join(' ')}`;
const cli = benchCli('sac_pendulum_gymlab.mjs', USAGE);
const { fail } = cli;
const args = cli.parse(OPTIONS);
if (!args['spec-file']) fail(`--spec-file is required\n${USAGE}`);
const updates = cli.int(args, 'updates', 1);
const frames = cli.int(args, 'frames', 0);
const seed = cli.int(args, 'seed', 0);
const backend = cli.backend(args, ['wasm', 'cpu', 'fast', 'native']);

const { loadSpec } = await cli.importLib('@gymlab/spec');
const { initBackend } = await cli.importLib('@gymlab/backends');
const { createAgent } = await cli.importLib('@gymlab/agents');
const { makeVectorEnv } = await cli.importLib('@gymlab/envs');
const lab = await cli.importLib('@gymlab/lab');
const spec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], [`agent.net.backend=${backend}`, 'meta.rigorous_eval=0']);
const { algorithm: alg, memory: mem } = spec.agent;
if (alg.name !== 'SoftActorCritic' && alg.name !== 'CrossQ') fail(`the spec runs ${alg.name}, not SoftActorCritic or CrossQ`);
const crossq = alg.name === 'CrossQ';

// ---- one SAC update, timed
const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
const obsSpace = env.singleObservationSpace;
const actSpace = env.singleActionSpace;
const discrete = actSpace.kind === 'discrete';
const n = env.numEnvs;
const agent = createAgent({ spec, observationSpace: obsSpace, actionSpace: actSpace, numEnvs: n, seed, backend: await initBackend({ gpu: false, backend }), devChecks: false });
let state = 12345;
const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const D = obsSpace.size;
const d = discrete ? actSpace.n : actSpace.size;
const tr = () => ({
  obs: Float32Array.from({ length: n * D }, rand),
  action: discrete ? Int32Array.from({ length: n }, () => Math.floor(((rand() + 1) / 2) * d)) : Float32Array.from({ length: n * d }, () => 2 * rand()),
  reward: Float64Array.from({ length: n }, () => -8 * Math.abs(rand())),
  nextObs: Float32Array.from({ length: n * D }, rand),
  terminated: new Uint8Array(n),
  truncated: new Uint8Array(n),
});
let frame = 0;
let trained = 0;
while (trained === 0) {
  frame += n;
  if (agent.update(tr(), frame) !== null) trained += 1;
}
const calls = Math.max(1, Math.ceil(updates / alg.training_iter));
const batches = Array.from({ length: calls + Math.max(3, calls / 20) }, tr);
let b = 0;
const t = timed(() => {
  frame += n;
  if (agent.update(batches[b++], frame) === null) fail('an update call did not train (training_frequency > 1 is not measured here)');
}, calls);
// the nets' kernels [in, out] in layer order, for the FLOP count
const kernels = (name) => Object.entries(agent.getState().tensors).filter(([k]) => k.startsWith(`${name}/`) && k.endsWith('/kernel')).map(([, v]) => v.shape);
const [actor, critic] = [kernels('net'), kernels('q1_net')];
agent.dispose();
const perUpdate = { cpu: t.cpu / 1e3 / alg.training_iter, wall: t.wall / 1e3 / alg.training_iter };

// FLOPs of the matrix products of one update, rows R: forward 2 R in out per layer; backward
// 2 R in out for the weight gradient and 2 R in out for the input gradient (not of a first layer
// unless the policy step needs dQ/da).
const B = mem.batch_size;
const fwd = (layers, R = B) => layers.reduce((s, [i, o]) => s + 2 * R * i * o, 0);
const bwd = (layers, inputGrad, R = B) => layers.reduce((s, [i, o], l) => s + 2 * R * i * o * (l > 0 || inputGrad ? 2 : 1), 0);
// the policy step: discrete, the actor alone (the critic step's Q(s, .)); continuous, the actor, and
// both critics forward and backward to the input
const policy = fwd(actor) + bwd(actor, false) + (discrete ? 0 : 2 * (fwd(critic) + bwd(critic, true)));
// the critic step: the actor at s'; SAC: 2 targets forward, 2 critics forward and backward on B rows;
// CrossQ: 2 critics forward and backward on the 2 B joint rows; the policy step every policy_delay
const flop = crossq
  ? fwd(actor) + 2 * (fwd(critic, 2 * B) + bwd(critic, false, 2 * B)) + policy / alg.policy_delay
  : fwd(actor) + 2 * fwd(critic) + 2 * (fwd(critic) + bwd(critic, false)) + policy;

// ---- the tfjs-wasm 256x256 matmul
const tf = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
const mm = (k) => {
  const a = tf.randomUniform([256, 256]);
  const c = tf.randomUniform([256, 256]);
  const r = timed(() => {
    const p = tf.matMul(a, c);
    p.dataSync();
    p.dispose();
  }, k);
  tf.dispose([a, c]);
  return r;
};
const mmRuns = [mm(200), mm(200), mm(200)];
const flop256 = 2 * 256 ** 3;
const wasmGflops = median(mmRuns.map((r) => flop256 / r.cpu / 1e3));

// ---- a real session
let session = null;
if (frames > 0) {
  const sspec = cli.loadSpec(loadSpec, args['spec-file'], args['spec-name'], [`agent.net.backend=${backend}`, 'meta.rigorous_eval=0', `env.max_frame=${frames}`]);
  const c0 = process.cpuUsage();
  const r = await lab.runSession({ spec: sspec, seed, dir: null });
  const c = process.cpuUsage(c0);
  session = { frames: r.frames, seconds: r.wallTime, cpu_seconds: (c.user + c.system) / 1e6, fps: r.frames / r.wallTime, opt_steps: r.optSteps };
}

const r2 = (x) => Math.round(x * 100) / 100;
process.stdout.write(
  JSON.stringify({
    side: 'gymlab',
    algorithm: alg.name,
    backend,
    updates: calls * alg.training_iter,
    update_ms_cpu: r2(perUpdate.cpu),
    update_ms_wall: r2(perUpdate.wall),
    update_mflop: r2(flop / 1e6),
    update_gflops_cpu: r2(flop / perUpdate.cpu / 1e6),
    wasm_matmul256_gflops_cpu: r2(wasmGflops),
    session,
    node: process.version,
  }) + '\n',
);
