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
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { a2cLoss } from '../losses/actor-critic.js';
import { gatherRows, MinibatchIterator } from '../memory/minibatch.js';
import { OnPolicyMemory, type OnPolicyBatch } from '../memory/on-policy.js';
import { appliedGradNorm, minimizeGroups } from '../optim/minimize.js';
import { checkActionPdtype, makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { discountedReturns } from '../returns/discounted.js';
import { gae } from '../returns/gae.js';
import { nStepReturns } from '../returns/nstep.js';
import { decayValue } from '../schedule/decay.js';
import { AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { actFromPolicy, checkUpdate, metaNumbers, restoreCommonMeta } from './on-policy-common.js';
import { checkNetSpec } from '../net/factory.js';
import { ActorCriticNets, resolveOptimSpecs } from './on-policy-nets.js';
import { advantageNormalization, PercentileNormalizer, ReturnNormalizer, standardize, type AdvantageNormalization } from './on-policy-stats.js';

/** Throws AgentConfigError (one line) when ActorCritic cannot run this spec on these spaces. */
export function checkActorCriticSpec(spec: Spec, obs: BoxSpace, act: Space, who = 'ActorCritic'): void {
  const { algorithm: a, memory: m, net } = spec.agent;
  const fail = (msg: string): never => {
    throw new AgentConfigError(`${who}: ${msg}`);
  };
  checkNetSpec(net, obs.shape, 'actor-critic', net.shared);
  if (m.name !== 'OnPolicyBatchReplay' && m.name !== 'OnPolicyReplay') fail(`agent.memory.name '${m.name}' is not on-policy; use OnPolicyBatchReplay or OnPolicyReplay`);
  checkActionPdtype(a.action_pdtype, act, who);
  resolveOptimSpecs(net);
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

export class ActorCriticAgent implements Agent {
  readonly algorithmName: string = 'ActorCritic';
  protected readonly tf: Tf;
  protected readonly nets: ActorCriticNets;
  protected readonly dist: ActionDist;
  protected readonly memory: OnPolicyMemory;
  protected readonly obsSize: number;
  protected readonly actRng: Rng;
  protected readonly trainRng: Rng;
  private readonly minibatches: MinibatchIterator;
  private readonly estimator: AdvantageEstimator;
  private readonly advNorm: AdvantageNormalization;
  private readonly percentile = new PercentileNormalizer();
  protected readonly retNorm = new ReturnNormalizer();
  protected lastEntropy: number | null = null;
  protected lastLr: number;

  constructor(protected readonly ctx: AgentContext) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    this.check(spec, obs, act);
    this.tf = ctx.backend.tf;
    this.obsSize = obs.size;
    const seeds = new Rng(ctx.seed);
    this.nets = new ActorCriticNets(this.tf, {
      obsSize: this.obsSize,
      inputShape: obs.shape,
      policySize: act.kind === 'box' ? act.size : act.n,
      continuous: act.kind === 'box',
      net: spec.agent.net,
      seed: seeds.deriveSeed(),
    });
    const a = spec.agent.algorithm;
    this.dist = makeActionDist(a.action_pdtype, act, { logStd: this.nets.logStd, who: this.algorithmName });
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    this.minibatches = new MinibatchIterator(this.trainRng);
    this.estimator = advantageEstimator(a.lam, a.num_step_returns);
    this.advNorm = advantageNormalization(a.normalize_advantages) === 'percentile' ? 'percentile' : 'standardize';
    const episodic = spec.agent.memory.name === 'OnPolicyReplay';
    this.memory = new OnPolicyMemory({
      kind: episodic ? 'episodic' : 'batch',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.dist.actionSize,
      horizon: this.estimator.kind === 'nstep' ? this.estimator.n : a.training_frequency,
      episodes: a.training_frequency,
    });
    this.lastLr = this.nets.applyLr(0);
  }

  /** The spec check this agent runs before building (SIL adds its keys). */
  protected check(spec: Spec, obs: BoxSpace, act: Space): void {
    checkActorCriticSpec(spec, obs, act, this.algorithmName);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    return actFromPolicy(this.tf, this.nets, this.dist, obs, this.obsSize, mode, this.actRng);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    this.memory.add({ obs: tr.obs, action: tr.action, reward: tr.reward, nextObs: tr.nextObs, terminated: tr.terminated, truncated: tr.truncated });
    if (!this.memory.ready()) return null;
    const before = this.ctx.devChecks ? this.nets.weights() : null;
    const b = this.memory.batch();
    const { stats, maxApplied } = this.train(b, frame);
    const extra = this.afterTrain(b, frame);
    this.memory.reset();
    const applied = Math.max(maxApplied, extra?.maxApplied ?? 0);
    if (before !== null) checkUpdate(this.algorithmName, before, this.nets.weights(), applied);
    return extra === null ? stats : extra.merge(stats);
  }

  /** A hook after the on-policy step, with the same batch (SIL trains on its replay here). */
  protected afterTrain(_b: OnPolicyBatch, _frame: number): { maxApplied: number; merge: (s: TrainStats) => TrainStats } | null {
    return null;
  }

  /** V(s) and V(s') of the batch in one forward, outside the gradient (float64). */
  protected batchValues(b: OnPolicyBatch): { values: Float64Array; nextValues: Float64Array } {
    const tf = this.tf;
    const M = b.size;
    const out = tf.tidy(() => this.nets.value(tf.concat([tf.tensor2d(b.obs, [M, this.obsSize]), tf.tensor2d(b.nextObs, [M, this.obsSize])])));
    const v = out.dataSync() as Float32Array;
    out.dispose();
    return { values: Float64Array.from(v.subarray(0, M)), nextValues: Float64Array.from(v.subarray(M)) };
  }

  /** One A2C step on the stored batch. */
  private train(b: OnPolicyBatch, frame: number): { stats: TrainStats; maxApplied: number } {
    const tf = this.tf;
    const a = this.ctx.spec.agent.algorithm;
    const M = b.size;
    const W = this.dist.encodedSize;
    const { values, nextValues } = this.batchValues(b);
    const { advantages, vTargets } = advantagesAndTargets(this.estimator, b, values, nextValues, a.gamma);
    const enc = this.dist.encode(b.actions, M);
    const norm = a.normalize_v_targets;
    if (norm) this.retNorm.update(vTargets);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const sObs = new Float32Array(M * this.obsSize);
    const sAct = new Float32Array(M * W);
    const sAdv = new Float32Array(M);
    const sRet = new Float32Array(M);
    let terms: Float32Array = new Float32Array(3);
    let loss = 0;
    let gradNorm = 0;
    let maxApplied = 0;
    const steps = this.minibatches.forEach(M, M, 1, (idx, n) => {
      gatherRows(b.obs, this.obsSize, idx, n, sObs);
      gatherRows(enc, W, idx, n, sAct);
      gatherRows(advantages, 1, idx, n, sAdv);
      gatherRows(vTargets, 1, idx, n, sRet);
      if (this.advNorm === 'percentile') this.percentile.updateAndNormalize(sAdv, n);
      else standardize(sAdv, n);
      if (norm) this.retNorm.normalizeInPlace(sRet, n);
      this.lastLr = this.nets.applyLr(frame);
      let captured: Tensor | null = null;
      const { obsT, actT, advT, retT } = tf.tidy(() => ({
        obsT: tf.tensor2d(sObs.subarray(0, n * this.obsSize), [n, this.obsSize]),
        actT: tf.tensor2d(sAct.subarray(0, n * W), [n, W]),
        advT: tf.tensor1d(sAdv.subarray(0, n)),
        retT: tf.tensor1d(sRet.subarray(0, n)),
      }));
      const r = minimizeGroups(
        tf,
        () => {
          const { pd: out, v } = this.nets.both(obsT, true);
          const pd = this.dist.params(tf, out);
          const L = a2cLoss(tf, {
            logp: this.dist.logProb(tf, pd, actT),
            adv: advT,
            entropy: this.dist.entropy(tf, pd),
            value: norm ? this.retNorm.normalizeTensor(tf, v) : v,
            ret: retT,
            policyLossCoef: a.policy_loss_coef, valLossCoef: a.val_loss_coef, entropyCoef,
            lossSpec: this.ctx.spec.agent.net.loss_spec,
          });
          captured = tf.keep(tf.stack([L.policy, L.value, L.entropy]));
          return L.total as Scalar;
        },
        this.nets.groups,
      );
      tf.dispose([obsT, actT, advT, retT]);
      const c = captured as Tensor | null;
      if (c !== null) {
        terms = c.dataSync() as Float32Array;
        c.dispose();
      }
      loss = r.loss;
      gradNorm = Math.sqrt(r.gradNorms.reduce((s, g) => s + g * g, 0));
      const applied = appliedGradNorm(r.gradNorms, this.nets.groups);
      maxApplied = Number.isFinite(applied) ? Math.max(maxApplied, applied) : Number.POSITIVE_INFINITY;
    });
    this.lastEntropy = terms[2];
    return {
      stats: { loss, terms: { policy: terms[0], value: terms[1], entropy: terms[2], entropy_coef: entropyCoef }, gradNorm, optSteps: steps },
      maxApplied,
    };
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.nets.getState(),
      meta: {
        actRng: this.actRng.getState(),
        trainRng: this.trainRng.getState(),
        retNorm: [this.retNorm.mean, this.retNorm.var, this.retNorm.count, this.retNorm.m2],
        advPercentiles: [this.percentile.perc5, this.percentile.perc95],
        lastLr: this.lastLr,
        lastEntropy: this.lastEntropy,
      },
    };
  }

  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new AgentConfigError(`cannot load a ${state.algorithm} state into a ${this.algorithmName} agent`);
    this.nets.setState(state.tensors);
    const m = state.meta;
    const who = this.algorithmName;
    [this.retNorm.mean, this.retNorm.var, this.retNorm.count, this.retNorm.m2] = metaNumbers(who, m, 'retNorm', 4);
    [this.percentile.perc5, this.percentile.perc95] = metaNumbers(who, m, 'advPercentiles', 2);
    const common = restoreCommonMeta(who, m, { act: this.actRng, train: this.trainRng });
    if (common.lastLr !== null) this.lastLr = common.lastLr;
    this.lastEntropy = common.lastEntropy;
    this.memory.reset();
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.nets.weights();
  }

  dispose(): void {
    this.nets.dispose();
  }
}

export const actorCriticEntry = {
  check: (spec: Spec, obs: BoxSpace, act: Space): void => checkActorCriticSpec(spec, obs, act),
  create: (ctx: AgentContext): Agent => new ActorCriticAgent(ctx),
};
