/**
 * The agent scaffolding A2C (ActorCritic) and PPO share, so each of them keeps only its train step
 * and loss: the actor-critic nets, the action distribution, the on-policy memory and the act/train
 * generators (seeded in this order from the agent's seed), acting, the update loop with its dev
 * check and optional after-train phase (SIL and PPOSIL are A2C and PPO with a self-imitation
 * phase), per-minibatch advantage normalisation, scalars, checkpoints, weights and dispose.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { AlgorithmSpec, Spec } from '@gymlab/spec';
import { MinibatchIterator } from '../memory/minibatch.js';
import { OnPolicyMemory, type OnPolicyBatch } from '../memory/on-policy.js';
import { appliedGradNorm, minimizeGroups, type ParamGroup } from '../optim/minimize.js';
import { checkNetSpec } from '../net/factory.js';
import { checkActionPdtype, makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { actFromPolicy, checkUpdate, commonMeta, memoryMeta, restoreMemoryMeta, restoreOnPolicyMeta, type OnPolicyCommonState } from './on-policy-common.js';
import { ActorCriticNets, resolveOptimSpecs } from './on-policy-nets.js';
import { advantageNormalization, PercentileNormalizer, standardize, type AdvantageNormalization } from './on-policy-stats.js';

/** What a train step (or an after-train phase) reports: its stats and the largest applied gradient norm. */
export interface TrainResult {
  readonly stats: TrainStats;
  readonly maxApplied: number;
}

/** An after-train phase's result, folded into the on-policy step's stats by `merge`. */
export interface AfterTrainResult {
  readonly maxApplied: number;
  merge(s: TrainStats): TrainStats;
}

/** How an agent puts returns and V(s) on the scale of its value loss (its `normalize_v_targets`). */
export interface ValueScale {
  /** Returns onto the scale of the value loss, in place (the first `n`). */
  returns(x: Float32Array, n: number): void;
  /** V(s) as the net gives it onto the same scale (inside the gradient). */
  value(tf: Tf, v: Tensor1D): Tensor1D;
}

export const IDENTITY_SCALE: ValueScale = { returns: () => {}, value: (_tf, v) => v };

/** The parts of an agent an after-train phase trains with. */
export interface PolicyParts {
  readonly tf: Tf;
  readonly nets: ActorCriticNets;
  readonly dist: ActionDist;
  /** The agent's train generator (minibatch order), shared with the phase. */
  readonly rng: Rng;
  readonly obsSize: number;
}

/** What an after-train phase adds to a resume state (its memory): tensors named `resume/...` and meta entries. */
export interface PhaseState {
  readonly tensors: AgentState['tensors'];
  readonly meta: AgentState['meta'];
}

/**
 * A phase after every on-policy step, on the same batch (self-imitation). `resumeState` saves what
 * it keeps between steps; `restore` takes it back from a checkpoint, or empties the phase's memory
 * when the checkpoint has none (a plain `getState()`).
 */
export interface AfterTrainPhase {
  train(b: OnPolicyBatch, scale: ValueScale): AfterTrainResult;
  resumeState(): PhaseState;
  restore(state: AgentState): void;
}

/** Which algorithm an agent is: its name, its spec check (AgentConfigError, one line) and an optional after-train phase. */
export interface OnPolicyVariant {
  readonly name: string;
  readonly check: (spec: Spec, obs: BoxSpace, act: Space) => void;
  readonly phase?: (parts: PolicyParts, ctx: AgentContext) => AfterTrainPhase;
}

/** Checkpoint meta entries an agent adds to the common ones. */
export type AgentMeta = AgentState['meta'];

/** One optimizer step's numbers: loss, global gradient norm, applied norm (after clip_grad_val), the kept loss terms. */
export interface GroupStep {
  readonly loss: number;
  readonly gradNorm: number;
  readonly applied: number;
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

/** The larger of two applied gradient norms, infinite once either is not finite (the dev check then fails). */
export function maxAppliedNorm(max: number, applied: number): number {
  return Number.isFinite(applied) ? Math.max(max, applied) : Number.POSITIVE_INFINITY;
}

/**
 * The checks every actor-critic agent runs (AgentConfigError `${who}: ...`, one line): the net for
 * the observation shape, an on-policy memory, the action distribution for the space, the optimizers.
 */
export function checkOnPolicySpec(spec: Spec, obs: BoxSpace, act: Space, who: string): void {
  const { algorithm: a, memory: m, net } = spec.agent;
  checkNetSpec(net, obs.shape, 'actor-critic', net.shared);
  if (m.name !== 'OnPolicyBatchReplay' && m.name !== 'OnPolicyReplay') {
    throw new AgentConfigError(`${who}: agent.memory.name '${m.name}' is not on-policy; use OnPolicyBatchReplay or OnPolicyReplay`);
  }
  checkActionPdtype(a.action_pdtype, act, who);
  resolveOptimSpecs(net);
}

export abstract class OnPolicyAgentBase implements Agent {
  readonly algorithmName: string;
  protected readonly tf: Tf;
  protected readonly nets: ActorCriticNets;
  protected readonly dist: ActionDist;
  protected readonly memory: OnPolicyMemory;
  protected readonly obsSize: number;
  protected readonly actRng: Rng;
  protected readonly trainRng: Rng;
  protected readonly minibatches: MinibatchIterator;
  private readonly advNorm: AdvantageNormalization;
  private readonly percentile = new PercentileNormalizer();
  private readonly phase: AfterTrainPhase | null;
  protected lastEntropy: number | null = null;
  protected lastLr: number;

  protected constructor(
    protected readonly ctx: AgentContext,
    variant: OnPolicyVariant,
  ) {
    const name = variant.name;
    this.algorithmName = name;
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    variant.check(spec, obs, act);
    const a = spec.agent.algorithm;
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
      sharing: ctx.sharing,
    });
    this.dist = makeActionDist(a.action_pdtype, act, { logStd: this.nets.logStd, who: name });
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    this.minibatches = new MinibatchIterator(this.trainRng);
    this.advNorm = this.advantageNormalization(a);
    this.memory = new OnPolicyMemory({
      kind: spec.agent.memory.name === 'OnPolicyReplay' ? 'episodic' : 'batch',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.dist.actionSize,
      horizon: this.memoryHorizon(a),
      episodes: a.training_frequency,
    });
    this.lastLr = this.nets.applyLr(0);
    this.phase = variant.phase?.({ tf: this.tf, nets: this.nets, dist: this.dist, rng: this.trainRng, obsSize: this.obsSize }, ctx) ?? null;
  }

  /** Steps per env in a batch of OnPolicyBatchReplay; called from the constructor, so it must not read fields. */
  protected abstract memoryHorizon(a: AlgorithmSpec): number;

  /** The algorithm's update on a full batch. */
  protected abstract train(b: OnPolicyBatch, frame: number): TrainResult;

  /** Returns and V(s) on the value loss's scale, for the after-train phase. */
  protected abstract valueScale(): ValueScale;

  /** The agent's own checkpoint meta (running statistics), added to the common entries. */
  protected abstract ownMeta(): AgentMeta;

  /** Restores what ownMeta saved (AgentConfigError naming a missing or malformed key). */
  protected abstract restoreOwnMeta(meta: AgentMeta): void;

  /** How minibatch advantages are normalised (`normalize_advantages`); called from the constructor. */
  protected advantageNormalization(a: AlgorithmSpec): AdvantageNormalization {
    return advantageNormalization(a.normalize_advantages);
  }

  /** Normalises the first `n` advantages of a minibatch in place. */
  protected normalizeAdvantages(adv: Float32Array, n: number): void {
    if (this.advNorm === 'standardize') standardize(adv, n);
    else if (this.advNorm === 'percentile') this.percentile.updateAndNormalize(adv, n);
  }

  /** The first `n` rows of a minibatch's observations [n, obsSize] and encoded actions [n, encodedSize] as tensors. */
  protected policyInputs(obs: Float32Array, actions: Float32Array, n: number): { obsT: Tensor2D; actT: Tensor2D } {
    const W = this.dist.encodedSize;
    return {
      obsT: this.tf.tensor2d(obs.subarray(0, n * this.obsSize), [n, this.obsSize]),
      actT: this.tf.tensor2d(actions.subarray(0, n * W), [n, W]),
    };
  }

  /** log pi(a|s), the policy's entropy and V(s) of a minibatch in one forward, inside the gradient. */
  protected evaluate(obsT: Tensor2D, actT: Tensor2D): { logp: Tensor1D; entropy: Tensor1D; value: Tensor1D } {
    const tf = this.tf;
    const { pd: out, v } = this.nets.both(obsT, true);
    const pd = this.dist.params(tf, out);
    return { logp: this.dist.logProb(tf, pd, actT), entropy: this.dist.entropy(tf, pd), value: v };
  }

  /**
   * One optimizer step on a minibatch at the lr of `frame`: `inputs` makes its tensors (disposed
   * after the step), `loss` gives the total to minimise and the terms to report.
   */
  protected stepMinibatch<T extends Record<string, Tensor>>(frame: number, inputs: () => T, loss: (t: T) => { total: Scalar; terms: Tensor }): GroupStep {
    this.lastLr = this.nets.applyLr(frame);
    const t = this.tf.tidy(inputs);
    const r = stepGroups(this.tf, this.nets.groups, () => loss(t));
    this.tf.dispose(Object.values(t));
    return r;
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
    const extra = this.phase === null ? null : this.phase.train(b, this.valueScale());
    this.memory.reset();
    const applied = Math.max(maxApplied, extra?.maxApplied ?? 0);
    if (before !== null) checkUpdate(this.algorithmName, before, this.nets.weights(), applied);
    return extra === null ? stats : extra.merge(stats);
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.nets.getState(),
      meta: { ...this.ownMeta(), ...commonMeta(this.commonState()) },
    };
  }

  /** `getState()` plus the partial batch in the memory and the after-train phase's memory (SIL's replay). */
  resumeState(): AgentState {
    const state = this.getState();
    const phase = this.phase?.resumeState() ?? { tensors: {}, meta: {} };
    return { ...state, tensors: { ...state.tensors, ...phase.tensors }, meta: { ...state.meta, ...memoryMeta(this.memory), ...phase.meta } };
  }

  /**
   * Loads a checkpoint of the same algorithm; the on-policy memory (and the phase's replay) hold
   * what a `resumeState()` saved and start empty otherwise. Checkpoints without advPercentiles
   * (older ones) keep the current percentiles.
   */
  setState(state: AgentState): void {
    const common = restoreOnPolicyMeta(this.algorithmName, state, this.commonState());
    this.nets.setState(state.tensors);
    this.restoreOwnMeta(state.meta);
    if (common.lastLr !== null) this.lastLr = common.lastLr;
    this.lastEntropy = common.lastEntropy;
    restoreMemoryMeta(this.algorithmName, state.meta, this.memory);
    this.phase?.restore(state);
  }

  private commonState(): OnPolicyCommonState {
    return { percentile: this.percentile, actRng: this.actRng, trainRng: this.trainRng, lastLr: this.lastLr, lastEntropy: this.lastEntropy };
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.nets.weights();
  }

  dispose(): void {
    this.nets.dispose();
  }
}
