/**
 * CrossQ's compute (crossq.ts, steps 1-4 there) on the fast CPU path: the policy and the two
 * critics as `FastNormNet`s (FastMlp segments joined by Batch Renormalization, net/fast-norm-net.ts),
 * each with one Adam over its flat buffers; the losses and their gradients from losses/sac-grad.ts.
 * Per critic step each critic runs once, in training mode, on the joint batch [(s, a); (s', a')]
 * (discrete: [s; s']), which moves its running statistics once; the next half enters SAC's target
 * as a constant (its rows get no loss gradient, yet the gradient of the current half flows through
 * the shared batch statistics, as autodiff does). The policy step runs the critics in evaluation
 * mode (continuous; discrete uses the critic step's Q(s, .)). No target nets. Same initial weights
 * per seed, checkpoint tensor names and flat optimizer slots as `TfjsCrossQCompute`.
 */
import { loadFastKernels } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { LossSpec, NetSpec, OptimSpec, Spec } from '@gymlab/spec';
import { criticLossGrad, sacContinuousTargetValues, sacDiscreteTargetValues } from '../losses/sac-grad.js';
import { checkFastNormNet, FastNormNet, FastNormNetAdam } from '../net/fast-norm-net.js';
import { unbuiltOptimKey } from '../net/fast-mlp.js';
import type { TensorData } from '../net/types.js';
import { NotBuiltError, type Agent, type AgentContext } from '../types.js';
import { checkCrossQSpec } from './crossq.js';
import { criticNetOf } from './sac-config.js';
import type { SacBatch, SacComputeInit, SacCriticResult } from './sac-compute.js';
import { absTdOf, FastSacBase, fastStep, type FastTrained, type SlotAccess } from './sac-fast-base.js';
import { SacAgent } from './sac.js';

function checkOptim(net: NetSpec, path: string): void {
  const optim = unbuiltOptimKey(net.optim_spec as OptimSpec);
  if (optim !== null) throw new NotBuiltError(`backend fast: CrossQ ${path}.optim_spec.${optim} not built yet`, 'it runs Adam/AdamW; use another agent.net.backend');
}

/** Throws (one line) when the fast path cannot run this CrossQ spec: CrossQ's checks, then what the fast path has. */
export function checkFastCrossQSpec(spec: Spec, obs: BoxSpace, act: Space): void {
  checkCrossQSpec(spec, obs, act);
  if (obs.shape.length !== 1) throw new NotBuiltError(`backend fast: CrossQ observations of shape [${obs.shape.join(', ')}] not built yet`, 'it runs flat observations');
  const critic = criticNetOf(spec, 'CrossQ');
  const d = act.kind === 'discrete' ? 0 : act.size;
  checkFastNormNet(spec.agent.net, obs.size, 'agent.net');
  checkFastNormNet(critic.net, obs.size + d, critic.path);
  checkOptim(spec.agent.net, 'agent.net');
  checkOptim(critic.net, critic.path);
}

function trained(net: FastNormNet, spec: NetSpec): FastTrained<FastNormNet> {
  const o = spec.optim_spec as OptimSpec;
  const opt = new FastNormNetAdam(net, { lr: o.lr, betas: o.betas ?? undefined, eps: o.eps ?? undefined, weightDecay: o.weight_decay ?? undefined, decoupled: o.name === 'AdamW' });
  return { net, opt, clip: spec.clip_grad_val };
}

/** A FastNormNet's optimizer slots, flat in the tfjs optimizer's layout (copies, written back on restore). */
const NORM_NET_SLOTS: SlotAccess<FastNormNet> = {
  slots: (net) => [net.flat((s) => s.slots[0]), net.flat((s) => s.slots[1])],
  commit: (net, [m, v]) => {
    net.setFlat((s) => s.slots[0], m);
    net.setFlat((s) => s.slots[1], v);
  },
};

export class FastCrossQCompute extends FastSacBase<FastNormNet> {
  private readonly lossSpec: LossSpec;

  constructor({ ctx, cfg, seeds, maxBatch }: SacComputeInit) {
    checkFastCrossQSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const spec = ctx.spec.agent.net;
    const { net: criticSpec, path: criticPath } = criticNetOf(ctx.spec, 'CrossQ');
    const kernels = ctx.backend.fast ?? loadFastKernels();
    const D = ctx.observationSpace.size;
    const n = cfg.actionDim;
    const discrete = cfg.discrete;
    const actor = trained(new FastNormNet(kernels, { net: spec, inputSize: D, outputSize: discrete ? n : 2 * n, name: 'net', seed: seeds[0], maxBatch, path: 'agent.net' }), spec);
    // the critics see the joint batch: twice the rows
    const critic = (name: string, seed: number): FastTrained<FastNormNet> =>
      trained(new FastNormNet(kernels, { net: criticSpec, inputSize: discrete ? D : D + n, outputSize: discrete ? n : 1, name, seed, maxBatch: 2 * maxBatch, path: criticPath }), criticSpec);
    super({ cfg, obsSize: D, maxBatch, alphaOptim: spec.optim_spec as OptimSpec, actor, critics: [critic('q1_net', seeds[1]), critic('q2_net', seeds[2])] });
    this.lossSpec = spec.loss_spec;
  }

  criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult {
    const B = batch.size;
    const D = this.obsSize;
    const n = this.discrete ? this.d : 1;
    // step 1: pi at s' (discrete: its logits; continuous: a' and log pi(a'|s') into act, logp)
    const logits = this.discrete ? this.actorOutput(batch.nextObs, B).slice() : null;
    if (!this.discrete) this.sample(batch.nextObs, nextNoise as Float32Array, B);
    // step 2: each critic in training mode on the joint batch (its running statistics move once)
    const out = this.critics.map((c) => {
      const x = c.net.input;
      if (this.discrete) {
        x.set(batch.obs.subarray(0, B * D));
        x.set(batch.nextObs.subarray(0, B * D), B * D);
      } else {
        this.fillInput(x, batch.obs, batch.action as Float32Array, B, 0);
        this.fillInput(x, batch.nextObs, this.act, B, B);
      }
      return c.net.forward(2 * B, true).slice();
    });
    // step 3: SAC's target on the next halves, constants
    const next = out.map((q) => q.subarray(B * n, 2 * B * n));
    const y = this.y;
    if (logits !== null) sacDiscreteTargetValues(batch.reward, batch.terminated, logits, next[0], next[1], alpha, this.cfg.gamma, B, n, y);
    else sacContinuousTargetValues(batch.reward, batch.terminated, next[0], next[1], this.logp, alpha, this.cfg.gamma, B, y);
    // step 4: one step of each critic on loss_spec(Q_k(s, a), y); the next half's rows get no loss gradient
    let loss = 0;
    const qa = [new Float32Array(B), new Float32Array(B)];
    const lossOf = (v: Float32Array, dq: Float32Array): number => criticLossGrad(v, y, B, this.lossSpec, dq);
    const gradNorms = this.critics.map((c, k) => {
      if (this.discrete) loss += this.discreteCriticGrad(k as 0 | 1, out[k], batch.action as Int32Array, B, 2 * B, qa[k], lossOf);
      else {
        qa[k].set(out[k].subarray(0, B));
        loss += lossOf(qa[k], c.net.outputGrad);
        c.net.outputGrad.fill(0, B, 2 * B);
      }
      return fastStep(c, 2 * B);
    });
    return { loss, gradNorms, absTd: wantAbsTd ? absTdOf(qa[0], qa[1], y, B) : null };
  }

  /** No target nets. */
  updateTargets(): void {}

  /** The tfjs nets' tensors (BatchRenorm statistics and step counters included), then `optim/<group>/step|m|v` in tfjs's flat layout. */
  getState(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const [, t] of this.trainedGroups()) Object.assign(out, t.net.tensors());
    return { ...out, ...this.optimTensors(NORM_NET_SLOTS) };
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    for (const [, tr] of this.trainedGroups()) tr.net.setTensors(t, 'CrossQ');
    this.restoreOptim(t, 'CrossQ', NORM_NET_SLOTS);
  }

  netWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [, t] of this.trainedGroups()) for (const [k, v] of Object.entries(t.net.tensors())) if (!/\/(running_mean|running_var|step)$/.test(k)) out[k] = v.data;
    return out;
  }

  snapshot(): Float32Array[][] {
    return this.trainedGroups().map(([, t]) => [t.net.flat((s) => s.params)]);
  }
}

/** The registry entry for `agent.net.backend: fast` (and the default on CPU when it fits). */
export const fastCrossQEntry = {
  check: checkFastCrossQSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx, (init) => new FastCrossQCompute(init), 'CrossQ'),
};
