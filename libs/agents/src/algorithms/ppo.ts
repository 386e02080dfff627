/**
 * PPO (Schulman et al. 2017) under SLM Lab's spec keys: clipped surrogate with a `clip_eps_spec`
 * schedule, GAE (`gamma`, `lam`) with terminated/truncated handled per step, value loss (`loss_spec`,
 * optional `clip_vloss`, `val_loss_coef`), entropy bonus (`entropy_coef_spec`), `training_epoch`
 * epochs of shuffled minibatches (`minibatch_size`) with per-minibatch advantage normalisation,
 * running normalisation of value targets (`normalize_v_targets`). Categorical policy for Discrete
 * action spaces, diagonal Gaussian for Box: a state-dependent log-scale head (SLM Lab's default) or,
 * with `net.log_std_init`, a learnable state-independent log-std.
 *
 * Old log-probs and values are computed once per batch from the stored observations (one batched
 * forward outside the gradient). Box actions are returned as sampled (the Session and `rollout`
 * clip them to the space for the env) and stored as sampled.
 */
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { DecaySpec, Spec } from '@gymlab/spec';
import { appliedGradNorm, minimizeGroups } from '../optim/minimize.js';
import { OnPolicyMemory, type OnPolicyBatch } from '../memory/on-policy.js';
import { gatherRows, MinibatchIterator } from '../memory/minibatch.js';
import { ppoLoss } from '../losses/ppo.js';
import { gae } from '../returns/gae.js';
import { decayValue } from '../schedule/decay.js';
import { checkActionPdtype, makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { checkNetSpec } from '../net/factory.js';
import { ActorCriticNets, resolveOptimSpecs } from './on-policy-nets.js';
import { actFromPolicy, checkUpdate, metaNumbers, restoreCommonMeta } from './on-policy-common.js';
import { advantageNormalization, PercentileNormalizer, RunningMeanStd, standardize, type AdvantageNormalization } from './on-policy-stats.js';

/** Throws AgentConfigError (one line) when PPO cannot run this spec on these spaces. */
export function checkPpoSpec(spec: Spec, obs: BoxSpace, act: Space, who = 'PPO'): void {
  const { algorithm: a, memory: m, net } = spec.agent;
  const fail = (msg: string): never => {
    throw new AgentConfigError(`${who}: ${msg}`);
  };
  checkNetSpec(net, obs.shape, 'actor-critic', net.shared);
  if (m.name !== 'OnPolicyBatchReplay' && m.name !== 'OnPolicyReplay') fail(`agent.memory.name '${m.name}' is not on-policy; use OnPolicyBatchReplay or OnPolicyReplay`);
  checkActionPdtype(a.action_pdtype, act, who);
  if (a.lam === null) fail('agent.algorithm.lam is required (GAE)');
  if (a.clip_eps_spec === null) fail('agent.algorithm.clip_eps_spec is required');
  resolveOptimSpecs(net);
}

export class PpoAgent implements Agent {
  readonly algorithmName: string = 'PPO';
  protected readonly tf: Tf;
  protected readonly nets: ActorCriticNets;
  protected readonly dist: ActionDist;
  private readonly memory: OnPolicyMemory;
  protected readonly obsSize: number;
  private readonly actRng: Rng;
  protected readonly trainRng: Rng;
  private readonly minibatches: MinibatchIterator;
  protected readonly vRms = new RunningMeanStd();
  private readonly advNorm: AdvantageNormalization;
  private readonly percentile = new PercentileNormalizer();
  private lastEntropy: number | null = null;
  private lastLr: number;
  private readonly clipEpsSpec: DecaySpec;
  private readonly lam: number;

  constructor(protected readonly ctx: AgentContext) {
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    this.check(spec, obs, act);
    const { clip_eps_spec: clipEpsSpec, lam } = spec.agent.algorithm;
    if (clipEpsSpec === null || lam === null) throw new Error('unreachable: checked above');
    this.clipEpsSpec = clipEpsSpec;
    this.lam = lam;
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
    this.dist = makeActionDist(spec.agent.algorithm.action_pdtype, act, { logStd: this.nets.logStd, who: this.algorithmName });
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    this.minibatches = new MinibatchIterator(this.trainRng);
    const a = spec.agent.algorithm;
    this.advNorm = advantageNormalization(a.normalize_advantages);
    const episodic = spec.agent.memory.name === 'OnPolicyReplay';
    this.memory = new OnPolicyMemory({
      kind: episodic ? 'episodic' : 'batch',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.dist.actionSize,
      horizon: a.time_horizon ?? a.training_frequency,
      episodes: a.training_frequency,
    });
    this.lastLr = this.nets.applyLr(0);
  }

  /** The spec check this agent runs before building (PPOSIL adds its keys). */
  protected check(spec: Spec, obs: BoxSpace, act: Space): void {
    checkPpoSpec(spec, obs, act, this.algorithmName);
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

  /** A hook after the PPO epochs, with the same batch (PPOSIL trains on its replay here). */
  protected afterTrain(_b: OnPolicyBatch, _frame: number): { maxApplied: number; merge: (s: TrainStats) => TrainStats } | null {
    return null;
  }

  /** One PPO update on the stored batch: old log-probs and GAE once, then epochs x minibatches of the clipped loss. */
  private train(b: OnPolicyBatch, frame: number): { stats: TrainStats; maxApplied: number } {
    const tf = this.tf;
    const a = this.ctx.spec.agent.algorithm;
    const M = b.size;
    const W = this.dist.encodedSize;
    const enc = this.dist.encode(b.actions, M);

    // Old log-probs, V(s), V(s') in one pass, outside the gradient.
    const packed = tf.tidy(() => {
      const obsT = tf.tensor2d(b.obs, [M, this.obsSize]);
      const both = tf.concat([obsT, tf.tensor2d(b.nextObs, [M, this.obsSize])]);
      const pd = this.dist.params(tf, this.nets.policy(obsT));
      return tf.concat([this.dist.logProb(tf, pd, tf.tensor2d(enc, [M, W])), this.nets.value(both)]);
    });
    const old = packed.dataSync() as Float32Array;
    packed.dispose();
    const oldLogp = old.slice(0, M);
    const vNorm = old.subarray(M, 2 * M);
    const nextNorm = old.subarray(2 * M, 3 * M);

    // Advantages and value targets in float64 on raw (denormalised) values.
    const norm = a.normalize_v_targets;
    const denorm = (x: Float32Array): Float64Array => {
      const o = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) o[i] = norm ? x[i] * this.vRms.std + this.vRms.mean : x[i];
      return o;
    };
    const values = denorm(vNorm);
    const { advantages, vTargets } = gae({
      rewards: b.rewards, values, nextValues: denorm(nextNorm), terminated: b.terminated, truncated: b.truncated,
      numEnvs: b.numEnvs, gamma: a.gamma, lam: this.lam,
    });
    if (norm) this.vRms.update(vTargets);
    const ret = new Float32Array(M);
    const oldV = new Float32Array(M);
    const mu = norm ? this.vRms.mean : 0;
    const sd = norm ? this.vRms.std : 1;
    for (let i = 0; i < M; i++) {
      ret[i] = (vTargets[i] - mu) / sd;
      oldV[i] = (values[i] - mu) / sd;
    }

    const clipEps = decayValue(this.clipEpsSpec, frame);
    const entropyCoef = a.entropy_coef_spec === null ? 0 : decayValue(a.entropy_coef_spec, frame);
    const mb = ppoMinibatchSize(a.minibatch_size, this.ctx.numEnvs, M);
    const epochs = a.training_epoch ?? 4;
    const sObs = new Float32Array(mb * this.obsSize);
    const sAct = new Float32Array(mb * W);
    const sOld = new Float32Array(mb);
    const sAdv = new Float32Array(mb);
    const sRet = new Float32Array(mb);
    const sOldV = new Float32Array(mb);

    let termsSum: Tensor = tf.zeros([5]);
    let lastLoss = 0;
    let lastNorm = 0;
    let maxApplied = 0;
    const steps = this.minibatches.forEach(M, mb, epochs, (idx, n) => {
      gatherRows(b.obs, this.obsSize, idx, n, sObs);
      gatherRows(enc, W, idx, n, sAct);
      gatherRows(oldLogp, 1, idx, n, sOld);
      gatherRows(advantages, 1, idx, n, sAdv);
      gatherRows(ret, 1, idx, n, sRet);
      gatherRows(oldV, 1, idx, n, sOldV);
      if (this.advNorm === 'standardize') standardize(sAdv, n);
      else if (this.advNorm === 'percentile') this.percentile.updateAndNormalize(sAdv, n);
      this.lastLr = this.nets.applyLr(frame);
      let captured: Tensor | null = null;
      const { obsT, actT, oldT, advT, retT, oldVT } = tf.tidy(() => ({
        obsT: tf.tensor2d(sObs.subarray(0, n * this.obsSize), [n, this.obsSize]),
        actT: tf.tensor2d(sAct.subarray(0, n * W), [n, W]),
        oldT: tf.tensor1d(sOld.subarray(0, n)),
        advT: tf.tensor1d(sAdv.subarray(0, n)),
        retT: tf.tensor1d(sRet.subarray(0, n)),
        oldVT: tf.tensor1d(sOldV.subarray(0, n)),
      }));
      const r = minimizeGroups(
        tf,
        () => {
          const { pd: out, v } = this.nets.both(obsT, true);
          const pd = this.dist.params(tf, out);
          const L = ppoLoss(tf, {
            logp: this.dist.logProb(tf, pd, actT),
            oldLogp: oldT, adv: advT, value: v, oldValue: oldVT, ret: retT,
            entropy: this.dist.entropy(tf, pd),
            clipEps, clipVloss: a.clip_vloss, valLossCoef: a.val_loss_coef, entropyCoef,
            lossSpec: this.ctx.spec.agent.net.loss_spec,
          });
          captured = tf.keep(tf.stack([L.policy, L.value, L.entropy, L.approxKl, L.clipFraction]));
          return L.total as Scalar;
        },
        this.nets.groups,
      );
      tf.dispose([obsT, actT, oldT, advT, retT, oldVT]);
      const c = captured as Tensor | null;
      if (c !== null) {
        const next = tf.add(termsSum, c);
        tf.dispose([termsSum, c]);
        termsSum = next;
      }
      lastLoss = r.loss;
      lastNorm = Math.sqrt(r.gradNorms.reduce((s, g) => s + g * g, 0));
      const applied = appliedGradNorm(r.gradNorms, this.nets.groups);
      maxApplied = Number.isFinite(applied) ? Math.max(maxApplied, applied) : Number.POSITIVE_INFINITY;
    });
    const terms = termsSum.dataSync();
    termsSum.dispose();
    const mean = (x: number): number => x / Math.max(steps, 1);
    this.lastEntropy = mean(terms[2]);
    const stats = {
      loss: lastLoss,
      terms: {
        policy: mean(terms[0]), value: mean(terms[1]), entropy: mean(terms[2]), approx_kl: mean(terms[3]), clip_fraction: mean(terms[4]),
        clip_eps: clipEps, entropy_coef: entropyCoef,
      },
      gradNorm: lastNorm,
      optSteps: steps,
    };
    return { stats, maxApplied };
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.nets.getState(),
      meta: {
        vRms: [this.vRms.mean, this.vRms.var, this.vRms.count],
        advPercentiles: [this.percentile.perc5, this.percentile.perc95],
        actRng: this.actRng.getState(),
        trainRng: this.trainRng.getState(),
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
    [this.vRms.mean, this.vRms.var, this.vRms.count] = metaNumbers(who, m, 'vRms', 3);
    if (m.advPercentiles !== undefined) [this.percentile.perc5, this.percentile.perc95] = metaNumbers(who, m, 'advPercentiles', 2);
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

/**
 * SLM Lab's PPO minibatch size: `minibatch_size` (default 4 when absent), rounded up to a multiple
 * of `numEnvs`, at most the batch.
 */
export function ppoMinibatchSize(minibatchSize: number | null | undefined, numEnvs: number, batchSize: number): number {
  const wanted = minibatchSize ?? 4;
  return Math.min(Math.ceil(wanted / numEnvs) * numEnvs, batchSize);
}

export const ppoEntry = {
  check: checkPpoSpec,
  create: (ctx: AgentContext): Agent => new PpoAgent(ctx),
};
