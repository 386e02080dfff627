#!/usr/bin/env node
// The fast CPU path (@gymlab/backends FastMlp + FastAdam, wasm SIMD kernels) against tfjs-wasm
// and, when /usr/bin/python3 has torch, PyTorch on one thread, back to back:
//   - one Adam step of an MLP 4-64-64-2 tanh, batch 128 (forward, MSE loss gradient, backward, step);
//   - one action on one observation (forward and argmax);
//   - a 256x256 by 256x256 matrix product (the fast path's gemm; the forward of a 256-256 layer at
//     batch 256) in GFLOP/s, and the fast path's A^T B form (a weight gradient's product);
//   - fast path only: the compute of one PPO update of SLM Lab's ppo_cartpole (batch 1024: one pass
//     of the actor over the batch and of the critic over s and s'; then 15 epochs x 8 minibatches
//     of 128 rows gathered from the batch: actor and critic forward, `ppoCategoricalLossGrad`,
//     both backward, clip_grad_norm 0.5 each, Adam each). GAE and the env are left out. Compare
//     with `tools/bench-ppo-update.mjs` (the agent on tfjs, which also includes GAE).
//
//   nice -n 10 node tools/bench-fast-mlp.mjs [--reps 2000] [--skip-torch]
//
// Prints one JSON line per side; times are microseconds of this process's CPU time (user + system)
// and of wall time: the machine is shared, so CPU time is the figure to compare.
// Needs the libs built (npm run build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCli, seededUniform as stream, timed } from './bench/cli.mjs';

const USAGE = 'usage: bench-fast-mlp.mjs [--reps N] [--skip-torch]';
const cli = benchCli('bench-fast-mlp', USAGE);
const args = cli.parse({ reps: { type: 'string', default: '2000' }, 'skip-torch': { type: 'boolean', default: false } });
const reps = cli.int(args, 'reps', 20);

const { initBackend, loadFastKernels, FastMlp, FastAdam, FastArena } = await cli.importLib('@gymlab/backends');
const { ppoCategoricalLossGrad } = await cli.importLib('@gymlab/agents');

const round = (x) => Math.round(x * 10) / 10;
const gflops = (flop, us) => Math.round((flop / us / 1e3) * 100) / 100;

const next = stream(1);
const fill = (n) => Float32Array.from({ length: n }, next);
const layers = [
  { size: 64, activation: 'tanh' },
  { size: 64, activation: 'tanh' },
  { size: 2, activation: 'linear' },
];
const x = fill(128 * 4);
const target = fill(128 * 2);
const obs = fill(4);

// ---- fast path
const kernels = loadFastKernels();
const net = new FastMlp(kernels, { inputSize: 4, layers, maxBatch: 128, init: (_l, i, o) => ({ weight: fill(i * o), bias: fill(o) }) });
const adam = new FastAdam(net, { lr: 1e-4 });
net.input.set(x);
const fastStep = timed(() => {
  const y = net.forward(128);
  for (let i = 0; i < y.length; i++) net.outputGrad[i] = (2 * (y[i] - target[i])) / y.length;
  net.backward(128);
  adam.step();
}, reps);
const actNet = new FastMlp(kernels, { inputSize: 4, layers, maxBatch: 1, init: (_l, i, o) => ({ weight: fill(i * o), bias: fill(o) }) });
const fastAct = timed(() => {
  actNet.input.set(obs);
  const y = actNet.forward(1);
  return y[1] > y[0] ? 1 : 0;
}, reps * 5);
const arena = new FastArena(kernels);
const [pa, pb, pc] = [arena.alloc(256 * 256), arena.alloc(256 * 256), arena.alloc(256 * 256)];
arena.commit();
arena.f32(pa, 256 * 256).set(fill(256 * 256));
arena.f32(pb, 256 * 256).set(fill(256 * 256));
const mmReps = Math.max(20, reps / 20);
const fastMm = timed(() => arena.k.gemm(pa, 256 * 4, 4, pb, pc, 256, 256, 256, 0, 0, 0), mmReps);
const fastMmT = timed(() => arena.k.gemm(pa, 4, 256 * 4, pb, pc, 256, 256, 256, 0, 0, 0), mmReps);
const flop256 = 2 * 256 ** 3;

// One PPO update's compute on the fast path (ppo_cartpole's shapes).
const [BATCH, MB, EPOCHS] = [1024, 128, 15];
const initFill = (_l, i, o) => ({ weight: fill(i * o), bias: fill(o) });
const actor = new FastMlp(kernels, { inputSize: 4, layers, maxBatch: BATCH, init: initFill });
const critic = new FastMlp(kernels, { inputSize: 4, layers: [layers[0], layers[1], { size: 1, activation: 'linear' }], maxBatch: 2 * BATCH, init: initFill });
const actorOpt = new FastAdam(actor, { lr: 3e-4 });
const criticOpt = new FastAdam(critic, { lr: 3e-4 });
const bObs = fill(BATCH * 4);
const bNext = fill(BATCH * 4);
const bAct = Int32Array.from({ length: BATCH }, () => (next() > 0 ? 1 : 0));
const bAdv = fill(BATCH);
const bRet = fill(BATCH);
const mbAct = new Int32Array(MB);
const mbCols = { oldLogp: new Float32Array(MB), adv: new Float32Array(MB), oldValue: new Float32Array(MB), ret: new Float32Array(MB) };
const dLogits = new Float32Array(MB * 2);
const dValue = new Float32Array(MB);
const order = Int32Array.from({ length: BATCH }, (_, i) => i);
const ppoUpdate = () => {
  actor.input.set(bObs);
  const logits = actor.forward(BATCH);
  const oldLogp = new Float32Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const [a, b] = [logits[2 * i], logits[2 * i + 1]];
    const m = Math.max(a, b);
    oldLogp[i] = logits[2 * i + bAct[i]] - m - Math.log(Math.exp(a - m) + Math.exp(b - m));
  }
  critic.input.set(bObs);
  critic.input.set(bNext, BATCH * 4);
  const oldV = Float32Array.from(critic.forward(2 * BATCH).subarray(0, BATCH));
  for (let e = 0; e < EPOCHS; e++) {
    for (let i = BATCH - 1; i > 0; i--) {
      const j = Math.floor((next() + 0.5) * (i + 1)) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let s0 = 0; s0 < BATCH; s0 += MB) {
      for (let r = 0; r < MB; r++) {
        const i = order[s0 + r];
        for (let c = 0; c < 4; c++) actor.input[r * 4 + c] = bObs[i * 4 + c];
        mbAct[r] = bAct[i];
        mbCols.oldLogp[r] = oldLogp[i];
        mbCols.adv[r] = bAdv[i];
        mbCols.oldValue[r] = oldV[i];
        mbCols.ret[r] = bRet[i];
      }
      critic.input.set(actor.input.subarray(0, MB * 4));
      const lg = actor.forward(MB);
      const v = critic.forward(MB);
      ppoCategoricalLossGrad(
        { logits: lg, actions: mbAct, value: v, ...mbCols, batch: MB, numActions: 2, clipEps: 0.2, clipVloss: false, valLossCoef: 0.5, entropyCoef: 0.01 },
        dLogits,
        dValue,
      );
      actor.outputGrad.set(dLogits);
      critic.outputGrad.set(dValue);
      actor.backward(MB);
      critic.backward(MB);
      actor.clipGradNorm(0.5);
      critic.clipGradNorm(0.5);
      actorOpt.step();
      criticOpt.step();
    }
  }
};
const fastPpo = timed(ppoUpdate, Math.max(3, reps / 200));
console.log(
  JSON.stringify({
    side: 'fast',
    adam_step_us_cpu: round(fastStep.cpu),
    adam_step_us_wall: round(fastStep.wall),
    act_us_cpu: round(fastAct.cpu),
    act_us_wall: round(fastAct.wall),
    matmul256_gflops_cpu: gflops(flop256, fastMm.cpu),
    matmul256_gflops_wall: gflops(flop256, fastMm.wall),
    matmul256_transA_gflops_cpu: gflops(flop256, fastMmT.cpu),
    ppo_update_ms_cpu: round(fastPpo.cpu / 1e3),
    ppo_update_ms_wall: round(fastPpo.wall / 1e3),
  }),
);

// ---- tfjs-wasm (gymlab's backend selection: one thread)
const { tf } = await initBackend({ gpu: false, backend: 'wasm' });
const vars = [];
const widths = [4, 64, 64, 2];
for (let l = 0; l < 3; l++) {
  vars.push(tf.variable(tf.tensor2d(fill(widths[l] * widths[l + 1]), [widths[l], widths[l + 1]])));
  vars.push(tf.variable(tf.tensor1d(fill(widths[l + 1]))));
}
const apply = (input) => {
  let h = input;
  for (let l = 0; l < 3; l++) {
    h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
    if (l < 2) h = tf.tanh(h);
  }
  return h;
};
const xt = tf.tensor2d(x, [128, 4]);
const tt = tf.tensor2d(target, [128, 2]);
const opt = tf.train.adam(1e-4);
const tfStep = timed(() => {
  const loss = opt.minimize(() => tf.losses.meanSquaredError(tt, apply(xt)), true, vars);
  loss.dataSync();
  loss.dispose();
}, reps);
const tfAct = timed(() => tf.tidy(() => tf.argMax(apply(tf.tensor2d(obs, [1, 4])), 1).dataSync()[0]), reps * 5);
const ta = tf.tensor2d(fill(256 * 256), [256, 256]);
const tb = tf.tensor2d(fill(256 * 256), [256, 256]);
const tfMm = timed(() => {
  const c = tf.matMul(ta, tb);
  c.dataSync();
  c.dispose();
}, mmReps);
console.log(
  JSON.stringify({
    side: 'tfjs-wasm',
    adam_step_us_cpu: round(tfStep.cpu),
    adam_step_us_wall: round(tfStep.wall),
    act_us_cpu: round(tfAct.cpu),
    act_us_wall: round(tfAct.wall),
    matmul256_gflops_cpu: gflops(flop256, tfMm.cpu),
    matmul256_gflops_wall: gflops(flop256, tfMm.wall),
  }),
);

// ---- PyTorch, when there
if (!args['skip-torch']) {
  const script = fileURLToPath(new URL('./bench/fast_mlp_torch.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, String(reps)], { encoding: 'utf8' });
  if (r.status === 0) process.stdout.write(r.stderr + r.stdout); // the BLAS line (torch_blas.py), then the JSON
  else process.stderr.write(`bench-fast-mlp: the PyTorch side did not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); install python3-torch and libopenblas0-pthread, or pass --skip-torch\n`);
}
