/**
 * The on-policy compute (on-policy-compute.ts) on TensorFlow.js: `ActorCriticNets` (any net type
 * the factory builds, shared or separate actor and critic, `meta.distributed` sharing) with the
 * ActionDist of `action_pdtype`. A minibatch step is one `minimizeGroups` on the loss built by
 * tfjs ops (ppoLoss or a2cLoss), so autodiff gives the gradients; the loss terms are summed as a
 * tensor and read back once per update.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch } from '@gymlab/envs';
import type { Rng } from '@gymlab/random';
import { a2cLoss } from '../losses/actor-critic.js';
import { ppoLoss } from '../losses/ppo.js';
import type { TensorData } from '../net/types.js';
import { appliedGradNorm, minimizeGroups, type ParamGroup } from '../optim/minimize.js';
import { makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { actFromPolicy } from './on-policy-common.js';
import { LOSS_TERMS, type OnPolicyCompute, type OnPolicyComputeOptions, type OnPolicyLossConfig, type OnPolicyMinibatch, type OnPolicyStepResult } from './on-policy-compute.js';
import { ActorCriticNets } from './on-policy-nets.js';

/** One optimizer step's numbers: loss, global gradient norm, applied norm (after clip_grad_val), the kept loss terms. */
export interface GroupStep extends OnPolicyStepResult {
  /** The `terms` tensor of the loss, kept outside the step (the caller disposes it); null if the loss did not run. */
  readonly terms: Tensor | null;
}

/** One step of `loss` on the param groups (each optimizer on its part, with its clip_grad_val). */
export function stepGroups(tf: Tf, groups: readonly ParamGroup[], loss: () => { total: Scalar; terms: Tensor }): GroupStep {
  let captured: Tensor | null = null;
  const r = minimizeGroups(
    tf,
    () => {
      const L = loss();
      captured = tf.keep(L.terms);
      return L.total;
    },
    groups,
  );
  return {
    loss: r.loss,
    gradNorm: Math.sqrt(r.gradNorms.reduce((s, g) => s + g * g, 0)),
    applied: appliedGradNorm(r.gradNorms, groups),
    terms: captured as Tensor | null,
  };
}

/** The tfjs parts an after-train phase (self-imitation) trains with. */
export interface TfjsPolicyParts {
  readonly tf: Tf;
  readonly nets: ActorCriticNets;
  readonly dist: ActionDist;
}

export class TfjsOnPolicyCompute implements OnPolicyCompute, TfjsPolicyParts {
  readonly path = 'tfjs';
  readonly tf: Tf;
  readonly nets: ActorCriticNets;
  readonly dist: ActionDist;
  readonly actionWidth: number;
  readonly actionSize: number;
  private readonly obsSize: number;
  private termsSum: Tensor | null = null;

  constructor({ ctx, netSeed, who }: OnPolicyComputeOptions) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    this.tf = ctx.backend.tf;
    this.obsSize = obs.size;
    this.nets = new ActorCriticNets(this.tf, {
      obsSize: this.obsSize,
      inputShape: obs.shape,
      policySize: act.kind === 'box' ? act.size : act.n,
      continuous: act.kind === 'box',
      net: spec.agent.net,
      seed: netSeed,
      sharing: ctx.sharing,
    });
    this.dist = makeActionDist(spec.agent.algorithm.action_pdtype, act, { logStd: this.nets.logStd, who });
    this.actionWidth = this.dist.encodedSize;
    this.actionSize = this.dist.actionSize;
  }

  encodeActions(actions: Float32Array, rows: number): Float32Array {
    return this.dist.encode(actions, rows);
  }

  applyLr(frame: number): number {
    return this.nets.applyLr(frame);
  }

  act(obs: Float32Array, mode: 'train' | 'eval', rng: Rng): ActionBatch {
    return actFromPolicy(this.tf, this.nets, this.dist, obs, this.obsSize, mode, rng);
  }

  values(obs: Float32Array, nextObs: Float32Array, rows: number): Float32Array {
    const tf = this.tf;
    const D = this.obsSize;
    const out = tf.tidy(() => this.nets.value(tf.concat([tf.tensor2d(obs, [rows, D]), tf.tensor2d(nextObs, [rows, D])])));
    const v = out.dataSync() as Float32Array;
    out.dispose();
    return v;
  }

  logpAndValues(obs: Float32Array, nextObs: Float32Array, encoded: Float32Array, rows: number): Float32Array {
    const tf = this.tf;
    const D = this.obsSize;
    const packed = tf.tidy(() => {
      const obsT = tf.tensor2d(obs, [rows, D]);
      const both = tf.concat([obsT, tf.tensor2d(nextObs, [rows, D])]);
      const pd = this.dist.params(tf, this.nets.policy(obsT));
      return tf.concat([this.dist.logProb(tf, pd, tf.tensor2d(encoded, [rows, this.actionWidth])), this.nets.value(both)]);
    });
    const out = packed.dataSync() as Float32Array;
    packed.dispose();
    return out;
  }

  step(mb: OnPolicyMinibatch, loss: OnPolicyLossConfig): OnPolicyStepResult {
    const tf = this.tf;
    const n = mb.n;
    const W = this.actionWidth;
    const t = tf.tidy(() => ({
      obsT: tf.tensor2d(mb.obs.subarray(0, n * this.obsSize), [n, this.obsSize]),
      actT: tf.tensor2d(mb.actions.subarray(0, n * W), [n, W]),
      advT: tf.tensor1d(mb.adv.subarray(0, n)),
      retT: tf.tensor1d(mb.ret.subarray(0, n)),
      ...(loss.kind === 'ppo' ? { oldT: tf.tensor1d(mb.oldLogp.subarray(0, n)), oldVT: tf.tensor1d(mb.oldValue.subarray(0, n)) } : {}),
    }));
    const r = stepGroups(tf, this.nets.groups, () => this.loss(t, loss));
    tf.dispose(Object.values(t));
    if (r.terms !== null) {
      const prev = this.termsSum ?? tf.zeros([LOSS_TERMS[loss.kind].length]);
      this.termsSum = tf.add(prev, r.terms);
      tf.dispose([prev, r.terms]);
    }
    return { loss: r.loss, gradNorm: r.gradNorm, applied: r.applied };
  }

  /** The loss of a minibatch through the nets, inside the gradient: the total and the stacked terms. */
  private loss(t: { obsT: Tensor2D; actT: Tensor2D; advT: Tensor1D; retT: Tensor1D; oldT?: Tensor1D; oldVT?: Tensor1D }, c: OnPolicyLossConfig): { total: Scalar; terms: Tensor } {
    const tf = this.tf;
    const { pd: out, v: value } = this.nets.both(t.obsT, true);
    const pd = this.dist.params(tf, out);
    const logp = this.dist.logProb(tf, pd, t.actT);
    const entropy = this.dist.entropy(tf, pd);
    if (c.kind === 'ppo') {
      if (t.oldT === undefined || t.oldVT === undefined) throw new Error('unreachable: PPO inputs made above');
      const L = ppoLoss(tf, {
        logp, oldLogp: t.oldT, adv: t.advT, value, oldValue: t.oldVT, ret: t.retT, entropy,
        clipEps: c.clipEps, clipVloss: c.clipVloss, valLossCoef: c.valLossCoef, entropyCoef: c.entropyCoef, lossSpec: c.lossSpec,
      });
      return { total: L.total as Scalar, terms: tf.stack([L.policy, L.value, L.entropy, L.approxKl, L.clipFraction]) };
    }
    const L = a2cLoss(tf, {
      logp, adv: t.advT, entropy,
      value: c.valueScale === null ? value : (tf.clipByValue(tf.div(value, c.valueScale), -10, 10) as Tensor1D),
      ret: t.retT,
      policyLossCoef: c.policyLossCoef, valLossCoef: c.valLossCoef, entropyCoef: c.entropyCoef, lossSpec: c.lossSpec,
    });
    return { total: L.total as Scalar, terms: tf.stack([L.policy, L.value, L.entropy]) };
  }

  takeTermSums(kind: OnPolicyLossConfig['kind']): ArrayLike<number> {
    const sum = this.termsSum ?? this.tf.zeros([LOSS_TERMS[kind].length]);
    const out = sum.dataSync();
    sum.dispose();
    this.termsSum = null;
    return out;
  }

  // weights, checkpoint tensors: the nets' own (names as in OnPolicyCompute)
  readonly weights = (): Record<string, Float32Array> => this.nets.weights();
  readonly getState = (): Record<string, TensorData> => this.nets.getState();
  readonly setState = (tensors: Readonly<Record<string, TensorData>>): void => this.nets.setState(tensors);

  dispose(): void {
    this.termsSum?.dispose();
    this.nets.dispose();
  }
}

export const tfjsOnPolicyCompute = (opts: OnPolicyComputeOptions): OnPolicyCompute => new TfjsOnPolicyCompute(opts);
