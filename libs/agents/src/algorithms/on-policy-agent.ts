/**
 * The agent scaffolding A2C (ActorCritic) and PPO share, so each of them keeps only its train step
 * and loss: the compute (nets, optimizers, action distribution; TensorFlow.js or the fast CPU path,
 * see on-policy-compute.ts), the on-policy memory and the act/train generators (seeded in this
 * order from the agent's seed: nets, acting, training), acting, the update loop with its dev check
 * and optional after-train phase (SIL and PPOSIL are A2C and PPO with a self-imitation phase, on
 * tfjs), per-minibatch advantage normalisation, scalars, checkpoints, weights and dispose.
 */
import type { Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { AlgorithmSpec, Spec } from '@gymlab/spec';
import { MinibatchIterator } from '../memory/minibatch.js';
import { OnPolicyMemory, type OnPolicyBatch } from '../memory/on-policy.js';
import { checkNetSpec } from '../net/factory.js';
import { checkActionPdtype } from '../policy/action-dist.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { checkUpdate, commonMeta, memoryMeta, restoreMemoryMeta, restoreOnPolicyMeta, type OnPolicyCommonState } from './on-policy-common.js';
import type { OnPolicyCompute, OnPolicyComputeFactory, OnPolicyLossConfig, OnPolicyMinibatch, OnPolicyStepResult } from './on-policy-compute.js';
import { resolveOptimSpecs } from './on-policy-nets.js';
import { TfjsOnPolicyCompute, tfjsOnPolicyCompute, type TfjsPolicyParts } from './on-policy-tfjs.js';
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

/** The parts of an agent an after-train phase trains with (on the tfjs compute). */
export interface PolicyParts extends TfjsPolicyParts {
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
  protected readonly compute: OnPolicyCompute;
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

  /** `makeCompute`: the nets' implementation (TensorFlow.js by default; the fast CPU path in on-policy-fast.ts). */
  protected constructor(
    protected readonly ctx: AgentContext,
    variant: OnPolicyVariant,
    makeCompute: OnPolicyComputeFactory = tfjsOnPolicyCompute,
  ) {
    const name = variant.name;
    this.algorithmName = name;
    const { spec, observationSpace: obs, actionSpace: act } = ctx;
    variant.check(spec, obs, act);
    const a = spec.agent.algorithm;
    this.obsSize = obs.size;
    const horizon = this.memoryHorizon(a);
    const seeds = new Rng(ctx.seed);
    this.compute = makeCompute({ ctx, netSeed: seeds.deriveSeed(), maxBatch: Math.max(2 * horizon * ctx.numEnvs, ctx.numEnvs), who: name });
    this.actRng = new Rng(seeds.deriveSeed());
    this.trainRng = new Rng(seeds.deriveSeed());
    this.minibatches = new MinibatchIterator(this.trainRng);
    this.advNorm = this.advantageNormalization(a);
    this.memory = new OnPolicyMemory({
      kind: spec.agent.memory.name === 'OnPolicyReplay' ? 'episodic' : 'batch',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.compute.actionSize,
      horizon,
      episodes: a.training_frequency,
    });
    this.lastLr = this.compute.applyLr(0);
    this.phase = variant.phase === undefined ? null : variant.phase(this.policyParts(name), ctx);
  }

  /** Which compute runs the nets: TensorFlow.js or the fast CPU path. */
  get computePath(): OnPolicyCompute['path'] {
    return this.compute.path;
  }

  /** The tfjs parts a self-imitation phase trains with; NotBuiltError on another compute. */
  private policyParts(who: string): PolicyParts {
    const c = this.compute;
    if (!(c instanceof TfjsOnPolicyCompute)) throw new NotBuiltError(`backend fast: ${who} self-imitation not built yet`, 'use another agent.net.backend');
    return { tf: c.tf, nets: c.nets, dist: c.dist, rng: this.trainRng, obsSize: this.obsSize };
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

  /** One optimizer step of `loss` on a minibatch at the lr of `frame`. */
  protected stepMinibatch(frame: number, mb: OnPolicyMinibatch, loss: OnPolicyLossConfig): OnPolicyStepResult {
    this.lastLr = this.compute.applyLr(frame);
    return this.compute.step(mb, loss);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    return this.compute.act(obs, mode, this.actRng);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    this.memory.add({ obs: tr.obs, action: tr.action, reward: tr.reward, nextObs: tr.nextObs, terminated: tr.terminated, truncated: tr.truncated });
    if (!this.memory.ready()) return null;
    const before = this.ctx.devChecks ? this.compute.weights() : null;
    const b = this.memory.batch();
    const { stats, maxApplied } = this.train(b, frame);
    const extra = this.phase === null ? null : this.phase.train(b, this.valueScale());
    this.memory.reset();
    const applied = Math.max(maxApplied, extra?.maxApplied ?? 0);
    // an update at lr 0 (LinearToZero's last, at frame = its `frame`) leaves every parameter as it was
    if (before !== null) checkUpdate(this.algorithmName, before, this.compute.weights(), applied, this.lastLr);
    return extra === null ? stats : extra.merge(stats);
  }

  scalars(): AgentScalars {
    return { lr: this.lastLr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.compute.getState(),
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
    this.compute.setState(state.tensors);
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
    return this.compute.weights();
  }

  dispose(): void {
    this.compute.dispose();
  }
}
