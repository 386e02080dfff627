/**
 * The DQN family (VanillaDQN, DQN, DoubleDQN) on the fast CPU path (`agent.net.backend: fast`):
 * the same `DqnAgent` (replay, schedule, exploration, lr schedule, dev checks, checkpoints) with
 * its nets as `FastMlp`s instead of TensorFlow.js. Each optimizer step is one forward, the TD loss
 * and its gradient w.r.t. Q from `tdLossGrad`, one backward, clip_grad_val, one Adam/AdamW step;
 * the targets are one forward of the target net (and of the online net for Double DQN) on s'.
 * The target net follows by copying or blending the flat parameter arrays. Initial weights, seeds
 * and checkpoint tensor names (`net/l{i}/kernel|bias`, `target_net/...`, `optim/step|m|v`) are
 * those of the tfjs DQN. What it does not have is refused by `checkFastDqnSpec` with one
 * NotBuiltError line.
 */
import { FastAdam, loadFastKernels, type FastMlp } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { tdLossGrad } from '../losses/td-grad.js';
import type { ReplayBatch } from '../memory/replay.js';
import { buildFastMlp, fastLayerTensors, fastLayerWeights, restoreFastLayers, takeTensor, unbuiltOptimKey } from '../net/fast-mlp.js';
import { targetUpdateOf, type TargetUpdateConfig } from '../net/target.js';
import type { TensorData } from '../net/types.js';
import { argmaxRow } from '../policy/exploration.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext } from '../types.js';
import { checkDqnSpec, DqnAgent } from './dqn.js';
import type { DqnCompute, DqnComputeOptions, DqnStepResult } from './dqn-compute.js';

function refuse(what: string): never {
  throw new NotBuiltError(
    `backend fast: ${what} not built yet`,
    'it runs VanillaDQN, DQN and DoubleDQN with an MLPNet (linear/relu/tanh/selu, no norm layers) and Adam/AdamW; use another agent.net.backend',
  );
}

/** Throws (one line) when the fast path cannot run this DQN-family spec: the DQN checks, then what the fast path has. */
export function checkFastDqnSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkDqnSpec(spec, obs, act);
  const { net } = spec.agent;
  if (net.type !== 'MLPNet') refuse(`agent.net.type '${net.type}'`);
  if (net.batch_norm || net.layer_norm) refuse('MLPNet batch_norm/layer_norm');
  const optim = net.optim_spec === null ? null : unbuiltOptimKey(net.optim_spec); // checkDqnSpec refuses a null one
  if (optim !== null) refuse(`agent.net.optim_spec.${optim}`);
  for (const a of [net.hid_layers_activation, net.out_layer_activation ?? 'linear']) {
    if (a !== 'tanh' && a !== 'relu' && a !== 'linear' && a !== 'selu') refuse(`activation '${a}'`);
  }
}

export class FastDqnCompute implements DqnCompute {
  private readonly net: FastMlp;
  private readonly targetNet: FastMlp | null;
  readonly optimizer: FastAdam;
  private readonly targetUpdate: TargetUpdateConfig;
  private readonly double: boolean;
  private readonly gamma: number;
  private readonly clipGradVal: number | null;
  private readonly lossSpec: Spec['agent']['net']['loss_spec'];
  private readonly obsSize: number;
  private readonly numActions: number;
  private readonly targets: Float32Array;
  private readonly absTd: Float32Array;
  private qOut: Float32Array;
  private batch: ReplayBatch | null = null;

  constructor({ ctx, spec, netSeed, variant, numActions, batchSize }: DqnComputeOptions) {
    const netSpec = spec.agent.net;
    const o = netSpec.optim_spec;
    if (o === null) throw new Error('unreachable: checkDqnSpec requires optim_spec');
    const kernels = ctx.backend.fast ?? loadFastKernels();
    this.obsSize = ctx.observationSpace.size;
    this.numActions = numActions;
    const maxBatch = Math.max(batchSize, ctx.numEnvs);
    const build = (name: string): FastMlp =>
      buildFastMlp(kernels, {
        inputSize: this.obsSize, hidden: netSpec.hid_layers, activation: netSpec.hid_layers_activation, outputSize: numActions,
        outputActivation: netSpec.out_layer_activation, initFn: netSpec.init_fn, seed: netSeed, name,
      }, maxBatch);
    this.net = build('net');
    this.targetNet = variant.targetNet ? build('target_net') : null;
    this.optimizer = new FastAdam(this.net, { lr: o.lr, betas: o.betas ?? undefined, eps: o.eps ?? undefined, weightDecay: o.weight_decay ?? undefined, decoupled: o.name === 'AdamW' });
    this.targetUpdate = targetUpdateOf(netSpec, ctx.numEnvs);
    this.double = variant.double;
    this.gamma = spec.agent.algorithm.gamma;
    this.clipGradVal = netSpec.clip_grad_val;
    this.lossSpec = netSpec.loss_spec;
    this.targets = new Float32Array(batchSize);
    this.absTd = new Float32Array(batchSize);
    this.qOut = new Float32Array(maxBatch * numActions);
  }

  /** Q(s, .) in chunks of the net's maxBatch rows, copied out of the net's output buffer. */
  qValues(obs: Float32Array, rows: number): ArrayLike<number> {
    const net = this.net;
    const A = this.numActions;
    const D = this.obsSize;
    if (rows <= net.maxBatch) {
      net.input.set(obs.subarray(0, rows * D));
      return net.forward(rows);
    }
    if (this.qOut.length < rows * A) this.qOut = new Float32Array(rows * A);
    for (let at = 0; at < rows; at += net.maxBatch) {
      const n = Math.min(net.maxBatch, rows - at);
      net.input.set(obs.subarray(at * D, (at + n) * D));
      this.qOut.set(net.forward(n), at * A);
    }
    return this.qOut.subarray(0, rows * A);
  }

  loadBatch(batch: ReplayBatch): void {
    this.batch = batch;
  }

  /** y_b = r_b + gamma (1 - terminated_b) Q_eval(s'_b, a'_b), a' = argmax of Q_select (Double DQN: online) else of Q_eval. */
  computeTargets(): void {
    const b = this.loaded();
    const B = b.size;
    const A = this.numActions;
    const evalNet = this.targetNet ?? this.net;
    evalNet.input.set(b.nextObs);
    const qEval = evalNet.forward(B);
    const qSelect = this.double ? this.forwardOnline(b.nextObs, B) : qEval;
    const y = this.targets;
    for (let i = 0; i < B; i++) {
      const next = qEval[i * A + argmaxRow(qSelect, i * A, A)];
      y[i] = b.reward[i] + Math.fround(Math.fround((1 - b.terminated[i]) * next) * this.gamma);
    }
  }

  step(wantAbsTd: boolean): DqnStepResult {
    const b = this.loaded();
    const B = b.size;
    const net = this.net;
    const q = this.forwardOnline(b.obs, B);
    const absTd = wantAbsTd ? this.absTd : null;
    const loss = tdLossGrad({ q, actions: b.action, targets: this.targets, batch: B, numActions: this.numActions, lossSpec: this.lossSpec }, net.outputGrad, absTd);
    net.backward(B);
    const gradNorm = this.clipGradVal === null ? net.gradNorm() : net.clipGradNorm(this.clipGradVal);
    this.optimizer.step();
    return { loss, gradNorm, absTd };
  }

  releaseBatch(): void {
    this.batch = null;
  }

  /** replace: copy when frame % update_frequency < num_envs; polyak: target <- coef online + (1 - coef) target, on the flat parameters. */
  updateTarget(frame: number): void {
    const target = this.targetNet;
    if (target === null) return;
    const cfg = this.targetUpdate;
    const src = this.net.params;
    const dst = target.params;
    if (cfg.updateType === 'polyak') {
      const c = cfg.polyakCoef;
      for (let i = 0; i < dst.length; i++) dst[i] = src[i] * c + dst[i] * (1 - c);
    } else if (frame % cfg.updateFrequency < cfg.numEnvs) {
      dst.set(src);
    }
  }

  snapshot(): Float32Array {
    return this.net.params.slice();
  }

  getState(): Record<string, TensorData> {
    const out = fastLayerTensors(this.nets());
    out['optim/step'] = { shape: [1], data: Float32Array.of(this.optimizer.stepCount) };
    this.net.slots.forEach((s, j) => (out[`optim/${j === 0 ? 'm' : 'v'}`] = { shape: [s.length], data: s.slice() }));
    return out;
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    restoreFastLayers(t, this.nets(), 'DQN');
    this.net.slots.forEach((s, j) => takeTensor(t, `optim/${j === 0 ? 'm' : 'v'}`, s, 'DQN'));
    const step = t['optim/step'];
    if (step === undefined) throw new AgentConfigError("DQN state has no tensor 'optim/step'");
    this.optimizer.stepCount = step.data[0];
  }

  weights(): Record<string, Float32Array> {
    return fastLayerWeights(this.nets());
  }

  dispose(): void {}

  private nets(): [string, FastMlp][] {
    return this.targetNet === null ? [['net', this.net]] : [['net', this.net], ['target_net', this.targetNet]];
  }

  private forwardOnline(obs: Float32Array, rows: number): Float32Array {
    this.net.input.set(obs.subarray(0, rows * this.obsSize));
    return this.net.forward(rows);
  }

  private loaded(): ReplayBatch {
    if (this.batch === null) throw new Error('FastDqnCompute: no batch loaded');
    return this.batch;
  }
}

/** The registry entry of VanillaDQN, DQN and DoubleDQN on `agent.net.backend: fast`. */
export const fastDqnEntry = {
  check: checkFastDqnSpec,
  create: (ctx: AgentContext): Agent => new DqnAgent(ctx, (opts) => new FastDqnCompute(opts)),
};
