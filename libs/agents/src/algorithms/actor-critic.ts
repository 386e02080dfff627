/**
 * Advantage actor-critic (A2C; Mnih et al. 2016) under SLM Lab's `ActorCritic` keys (alias `A2C`).
 * Every `training_frequency` vector steps (OnPolicyBatchReplay) or finished episodes
 * (OnPolicyReplay) the stored batch gives advantages and value targets, by
 * - GAE (`lam` set): A = GAE(gamma, lam), target = A + V(s);
 * - n-step returns (`num_step_returns`, lam null; the batch is then `num_step_returns` steps, as
 *   SLM Lab sets training_frequency to it): target = R^(n), A = target - V(s);
 * - plain discounted returns otherwise: target = G, A = G - V(s);
 * terminated steps are not bootstrapped, truncated and cut ones from V(s'). Advantages are
 * standardised over the batch (SLM Lab's policy loss does; `normalize_advantages: percentile`
 * selects SLM Lab 5.3's percentile scaling instead). Then one optimizer step on
 *   policy_loss_coef * -mean(log pi(a|s) A) - entropy_coef * mean(H) + val_loss_coef * mean(l(V(s), target))
 * (shared net: one optimizer; separate nets: each optimizer steps on its own part). The batch goes
 * through the shared MinibatchIterator as one epoch of one minibatch. `normalize_v_targets`: SLM
 * Lab's ReturnNormalizer (value and target divided by max(1, running std), clipped to +/-10).
 */
import type { BoxSpace, Space } from '@gymlab/envs';
import type { AlgorithmSpec, Spec } from '@gymlab/spec';
import { gatherRows } from '../memory/minibatch.js';
import type { OnPolicyBatch } from '../memory/on-policy.js';
import { discountedReturns } from '../returns/discounted.js';
import { gae } from '../returns/gae.js';
import { nStepReturns } from '../returns/nstep.js';
import { decayValue } from '../schedule/decay.js';
import type { Agent, AgentContext } from '../types.js';
import { metaNumbers } from './on-policy-common.js';
import type { A2cLossConfig, OnPolicyComputeFactory } from './on-policy-compute.js';
import { checkOnPolicySpec, IDENTITY_SCALE, maxAppliedNorm, OnPolicyAgentBase, type AgentMeta, type OnPolicyVariant, type TrainResult, type ValueScale } from './on-policy-agent.js';
import { advantageNormalization, ReturnNormalizer, type AdvantageNormalization } from './on-policy-stats.js';

/** Throws AgentConfigError (one line) when ActorCritic cannot run this spec on these spaces. */
export function checkActorCriticSpec(spec: Spec, obs: BoxSpace, act: Space, who = 'ActorCritic'): void {
  checkOnPolicySpec(spec, obs, act, who);
}

/** How advantages are estimated, from `lam` and `num_step_returns` (SLM Lab's order). */
export type AdvantageEstimator = { kind: 'gae'; lam: number } | { kind: 'nstep'; n: number } | { kind: 'returns' };

export function advantageEstimator(lam: number | null, numStepReturns: number | null): AdvantageEstimator {
  if (lam !== null) return { kind: 'gae', lam };
  if (numStepReturns !== null) return { kind: 'nstep', n: numStepReturns };
  return { kind: 'returns' };
}

/** Advantages and value targets of a batch from V(s) and V(s') (float64). */
export function advantagesAndTargets(
  est: AdvantageEstimator,
  b: Pick<OnPolicyBatch, 'rewards' | 'terminated' | 'truncated' | 'numEnvs'>,
  values: Float64Array,
  nextValues: Float64Array,
  gamma: number,
): { advantages: Float64Array; vTargets: Float64Array } {
  const common = { rewards: b.rewards, terminated: b.terminated, truncated: b.truncated, numEnvs: b.numEnvs, gamma };
  if (est.kind === 'gae') return gae({ ...common, values, nextValues, lam: est.lam });
  const vTargets = est.kind === 'nstep' ? nStepReturns({ ...common, n: est.n, nextValues }) : discountedReturns({ ...common, nextValues });
  const advantages = new Float64Array(vTargets.length);
  for (let i = 0; i < vTargets.length; i++) advantages[i] = vTargets[i] - values[i];
  return { advantages, vTargets };
}

export class ActorCriticAgent extends OnPolicyAgentBase {
  private readonly estimator = advantageEstimator(this.ctx.spec.agent.algorithm.lam, this.ctx.spec.agent.algorithm.num_step_returns);
  protected readonly retNorm = new ReturnNormalizer();

  /** `variant`: SIL is this agent with its own name, check and self-imitation phase; `makeCompute`: tfjs or the fast path (on-policy-fast.ts). */
  constructor(ctx: AgentContext, variant: OnPolicyVariant = { name: 'ActorCritic', check: checkActorCriticSpec }, makeCompute?: OnPolicyComputeFactory) {
    super(ctx, variant, makeCompute);
  }

  /** n-step returns need batches of `num_step_returns` steps (SLM Lab sets training_frequency to it). */
  protected memoryHorizon(a: AlgorithmSpec): number {
    const est = advantageEstimator(a.lam, a.num_step_returns);
    return est.kind === 'nstep' ? est.n : a.training_frequency;
  }

  /** SLM Lab's A2C always rescales advantages: percentile scaling when asked, standardisation otherwise. */
  protected override advantageNormalization(a: AlgorithmSpec): AdvantageNormalization {
    return advantageNormalization(a.normalize_advantages) === 'percentile' ? 'percentile' : 'standardize';
  }

  /** One A2C step on the stored batch. */
  protected train(b: OnPolicyBatch, frame: number): TrainResult {
    const a = this.ctx.spec.agent.algorithm;
    const c = this.compute;
    const M = b.size;
    const W = c.actionWidth;
    // V(s) and V(s') of the batch in one forward, outside the gradient
    const v = c.values(b.obs, b.nextObs, M);
    const values = Float64Array.from(v.subarray(0, M));
    const nextValues = Float64Array.from(v.subarray(M, 2 * M));
    const { advantages, vTargets } = advantagesAndTargets(this.estimator, b, values, nextValues, a.gamma);
    const enc = c.encodeActions(b.actions, M);
    const norm = a.normalize_v_targets;
    if (norm) this.retNorm.update(vTargets);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const loss: A2cLossConfig = {
      kind: 'a2c', policyLossCoef: a.policy_loss_coef, valLossCoef: a.val_loss_coef, entropyCoef, lossSpec: this.ctx.spec.agent.net.loss_spec,
      valueScale: norm ? this.retNorm.scale : null,
    };
    const empty = new Float32Array(0);
    const s = { n: 0, obs: new Float32Array(M * this.obsSize), actions: new Float32Array(M * W), adv: new Float32Array(M), ret: new Float32Array(M), oldLogp: empty, oldValue: empty };
    let lossValue = 0;
    let gradNorm = 0;
    let maxApplied = 0;
    const steps = this.minibatches.forEach(M, M, 1, (idx, n) => {
      gatherRows(b.obs, this.obsSize, idx, n, s.obs);
      gatherRows(enc, W, idx, n, s.actions);
      gatherRows(advantages, 1, idx, n, s.adv);
      gatherRows(vTargets, 1, idx, n, s.ret);
      this.normalizeAdvantages(s.adv, n);
      if (norm) this.retNorm.normalizeInPlace(s.ret, n);
      s.n = n;
      const r = this.stepMinibatch(frame, s, loss);
      lossValue = r.loss;
      gradNorm = r.gradNorm;
      maxApplied = maxAppliedNorm(maxApplied, r.applied);
    });
    const t = c.takeTermSums('a2c');
    const mean = (x: number): number => x / Math.max(steps, 1);
    this.lastEntropy = mean(t[2]);
    return {
      stats: { loss: lossValue, terms: { policy: mean(t[0]), value: mean(t[1]), entropy: mean(t[2]), entropy_coef: entropyCoef }, gradNorm, optSteps: steps },
      maxApplied,
    };
  }

  /** With normalize_v_targets, returns and V(s) go through the ReturnNormalizer, as the value targets do. */
  protected valueScale(): ValueScale {
    const rn = this.retNorm;
    return this.ctx.spec.agent.algorithm.normalize_v_targets ? { returns: (x, n) => rn.normalizeInPlace(x, n), value: (tf, v) => rn.normalizeTensor(tf, v) } : IDENTITY_SCALE;
  }

  protected ownMeta(): AgentMeta {
    return { retNorm: [this.retNorm.mean, this.retNorm.var, this.retNorm.count, this.retNorm.m2] };
  }

  protected restoreOwnMeta(meta: AgentMeta): void {
    [this.retNorm.mean, this.retNorm.var, this.retNorm.count, this.retNorm.m2] = metaNumbers(this.algorithmName, meta, 'retNorm', 4);
  }
}

export const actorCriticEntry = {
  check: (spec: Spec, obs: BoxSpace, act: Space): void => checkActorCriticSpec(spec, obs, act),
  create: (ctx: AgentContext): Agent => new ActorCriticAgent(ctx),
};
