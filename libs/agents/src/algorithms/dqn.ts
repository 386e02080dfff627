/**
 * The DQN family of SLM Lab v5 in one file; the variants are options, not subclasses:
 * - VanillaDQN: no target net; y = r + gamma (1 - terminated) max_a Q_online(s', a).
 * - DQN: target net; y = r + gamma (1 - terminated) max_a Q_target(s', a).
 * - DoubleDQN: the online net picks a' = argmax Q_online(s', .), the target net values it.
 * The target net follows the online net by `replace` every `update_frequency` frames (SLM Lab's
 * frame_mod: frame % update_frequency < num_envs) or by `polyak` at every env step
 * (target <- polyak_coef * online + (1 - polyak_coef) * target).
 *
 * Counting, as SLM Lab's Replay does it: every sub-env transition is one memory add; training is
 * due when, after an add, seen_size > training_start_step and head % training_frequency == 0.
 * One due training round = `training_iter` batches x `training_batch_iter` optimizer steps on each,
 * all before the agent's next action. The explore variable (epsilon or tau) is
 * `explore_var_spec` at the env frame.
 */
import type { BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { PrioritizedReplay } from '../memory/prioritized.js';
import { Replay } from '../memory/replay.js';
import { checkNetSpec } from '../net/factory.js';
import { OffPolicySchedule } from '../schedule/off-policy.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { selectActions, type ExplorationPolicy } from '../policy/exploration.js';
import { decayValue } from '../schedule/decay.js';
import { AgentCheckError, AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { paramsChanged, type DqnCompute, type DqnComputeFactory, type DqnVariant } from './dqn-compute.js';
import { tfjsDqnCompute } from './dqn-tfjs.js';

export const DQN_ALGORITHMS = ['VanillaDQN', 'DQN', 'DoubleDQN'] as const;
export type DqnAlgorithm = (typeof DQN_ALGORITHMS)[number];

/** Largest global gradient norm the dev checks accept (SLM Lab's dev_check_train_step bound). */
const MAX_DEV_GRAD_NORM = 1e5;

/**
 * The dev check of one update's gradient: the norm before clipping must be finite (clipping a
 * non-finite gradient gives NaN), and the norm the optimizer applies, `min(norm, clip_grad_val)`
 * when clipping, below `MAX_DEV_GRAD_NORM`. Returns the problem, or null.
 */
export function gradNormProblem(norm: number, clipGradVal: number | null): string | null {
  if (!Number.isFinite(norm)) return `gradient norm ${norm} is not finite`;
  const applied = clipGradVal === null ? norm : Math.min(norm, clipGradVal);
  return applied >= MAX_DEV_GRAD_NORM ? `applied gradient norm ${applied} exceeds ${MAX_DEV_GRAD_NORM}` : null;
}

export function isDqnAlgorithm(name: string): name is DqnAlgorithm {
  return (DQN_ALGORITHMS as readonly string[]).includes(name);
}

/**
 * Why `spec` cannot run as a DQN-family agent on these spaces, as one line; null when it can.
 * The registry turns a non-null answer into an AgentConfigError.
 */
export function dqnSpecProblem(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): string | null {
  const { algorithm: alg, memory: mem, net } = spec.agent;
  const name = alg.name;
  if (actionSpace.kind !== 'discrete') {
    return `${name} needs a Discrete action space, but the env's action space is Box [${actionSpace.shape.join(', ')}]; DQN-family algorithms (VanillaDQN, DQN, DoubleDQN) pick among finitely many actions, use PPO for continuous actions`;
  }
  if (observationSpace.size < 1) return `${name}: the observation space is empty`;
  if (mem.name !== 'Replay' && mem.name !== 'PrioritizedReplay') {
    return `agent.memory.name '${mem.name}' does not work with ${name}; use Replay or PrioritizedReplay`;
  }
  if (mem.batch_size === null || mem.max_size === null) return `agent.memory needs batch_size and max_size for ${mem.name}`;
  if (mem.name === 'PrioritizedReplay' && (mem.alpha === null || mem.epsilon === null)) return 'agent.memory PrioritizedReplay needs alpha and epsilon';
  if (!['default', 'epsilon_greedy', 'boltzmann', 'random'].includes(alg.action_policy)) {
    return `agent.algorithm.action_policy '${alg.action_policy}' does not work with ${name}; use epsilon_greedy, boltzmann or random`;
  }
  if (alg.action_policy !== 'random' && alg.explore_var_spec === null) {
    return `agent.algorithm.explore_var_spec is needed for action_policy '${alg.action_policy}' (epsilon or temperature schedule)`;
  }
  if (net.optim_spec === null) return `agent.net.optim_spec is needed for ${name}`;
  if (name !== 'VanillaDQN' && net.update_type === 'replace' && !(net.update_frequency >= 1)) {
    return `agent.net.update_frequency must be >= 1 for update_type 'replace', got ${net.update_frequency}`;
  }
  if (!(alg.training_frequency >= 1) || !(alg.training_iter >= 1) || !(alg.training_batch_iter >= 1)) {
    return 'agent.algorithm.training_frequency, training_iter and training_batch_iter must be >= 1';
  }
  return null;
}

/** Throws AgentConfigError (one line) when `spec` cannot run as a DQN-family agent on these spaces. */
export function checkDqnSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  if (actionSpace.kind === 'discrete') checkNetSpec(spec.agent.net, observationSpace.shape, 'q');
  const problem = dqnSpecProblem(spec, observationSpace, actionSpace);
  if (problem !== null) throw new AgentConfigError(problem);
}

/** Target-net mode of each variant. */
function variantOf(name: DqnAlgorithm): DqnVariant {
  return { targetNet: name !== 'VanillaDQN', double: name === 'DoubleDQN' };
}

/** Prefix of the replay's tensors in a resume state. */
const RESUME_MEMORY = 'resume/memory';

export class DqnAgent implements Agent {
  readonly algorithmName: DqnAlgorithm;
  private readonly compute: DqnCompute;
  private readonly schedule: OffPolicySchedule;
  /** DQN's targets hold for every step on a batch (the target net does not move within a round). */
  private readonly fixedTargets: boolean;
  private readonly lrSchedule: LrSchedule;
  private readonly memory: Replay;
  private readonly rng: Rng;
  private readonly policy: ExplorationPolicy;
  private readonly obsSize: number;
  private readonly numActions: number;
  private readonly clipGradVal: number | null;
  private readonly spec: Spec;
  private readonly devChecks: boolean;
  private readonly scratch: Float64Array;
  private exploreVar: number;

  /** `makeCompute`: the nets' implementation (TensorFlow.js by default; the fast CPU path in dqn-fast.ts). */
  constructor(ctx: AgentContext, makeCompute: DqnComputeFactory = tfjsDqnCompute) {
    checkDqnSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const spec = ctx.spec;
    const { algorithm: alg, memory: mem, net: netSpec } = spec.agent;
    if (!isDqnAlgorithm(alg.name)) throw new Error(`DqnAgent cannot run algorithm '${alg.name}'`);
    const act = ctx.actionSpace;
    if (act.kind !== 'discrete') throw new Error('unreachable: checked above');
    this.algorithmName = alg.name;
    this.spec = spec;
    this.devChecks = ctx.devChecks;
    this.obsSize = ctx.observationSpace.size;
    this.numActions = act.n;
    this.clipGradVal = netSpec.clip_grad_val;
    this.rng = new Rng(ctx.seed);
    const netSeed = this.rng.deriveSeed();
    const variant = variantOf(alg.name);
    const batchSize = mem.batch_size ?? 0;
    this.compute = makeCompute({ ctx, spec, netSeed, variant, numActions: act.n, batchSize });
    this.fixedTargets = variant.targetNet && !variant.double;
    this.schedule = new OffPolicySchedule({ trainingStartStep: alg.training_start_step, trainingFrequency: alg.training_frequency, trainingIter: alg.training_iter, numEnvs: ctx.numEnvs });
    const optimSpec = netSpec.optim_spec;
    if (optimSpec === null) throw new Error('unreachable: checked above');
    this.lrSchedule = new LrSchedule(netSpec.lr_scheduler_spec, optimSpec.lr);
    const memCfg = { obsSize: this.obsSize, maxSize: mem.max_size ?? 0, batchSize, useCer: mem.use_cer };
    this.memory =
      mem.name === 'PrioritizedReplay' ? new PrioritizedReplay({ ...memCfg, alpha: mem.alpha ?? 0, epsilon: mem.epsilon ?? 0 }) : new Replay(memCfg);
    this.policy = alg.action_policy === 'default' ? 'epsilon_greedy' : (alg.action_policy as ExplorationPolicy);
    this.exploreVar = this.exploreVarAt(0);
    this.scratch = new Float64Array(this.numActions);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): Int32Array {
    const rows = obs.length / this.obsSize;
    const q = this.compute.qValues(obs, rows);
    const policy: ExplorationPolicy = mode === 'eval' ? 'greedy' : this.policy;
    return selectActions(policy, q, rows, this.numActions, this.exploreVar, this.rng, new Int32Array(rows), this.scratch);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    const rows = tr.reward.length;
    let due = false;
    for (let r = 0; r < rows; r++) {
      this.memory.add(tr.obs, tr.action[r], tr.reward[r], tr.nextObs, tr.terminated[r] === 1, r);
      if (this.schedule.dueAfterAdd(this.memory.seenSize, this.memory.head)) due = true;
    }
    const stats = due ? this.train(frame) : null;
    this.exploreVar = this.exploreVarAt(frame);
    this.compute.updateTarget(frame);
    return stats;
  }

  scalars(): AgentScalars {
    return { lr: this.compute.optimizer.lr, entropy: null, exploreVar: this.policy === 'random' ? null : this.exploreVar };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: this.compute.getState(),
      meta: {
        exploreVar: this.exploreVar,
        lr: this.compute.optimizer.lr,
        rng: this.rng.getState(),
      },
    };
  }

  /** `getState()` plus the replay buffer (tensors `resume/memory/...`, counters in meta). */
  resumeState(): AgentState {
    const state = this.getState();
    const mem = this.memory.getState(RESUME_MEMORY);
    const c = mem.counters;
    return { ...state, tensors: { ...state.tensors, ...mem.tensors }, meta: { ...state.meta, memorySize: c.size, memorySeen: c.seenSize, memoryHead: c.head } };
  }

  /**
   * Loads a `getState()` result (the replay stays as it is) or a `resumeState()` one (the replay is
   * restored too); meta keys it does not know (older checkpoints' `trainRounds`, `toTrain`) are ignored.
   */
  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new Error(`checkpoint is for ${state.algorithm}, this agent runs ${this.algorithmName}`);
    this.compute.setState(state.tensors);
    const m = state.meta;
    if (typeof m.exploreVar === 'number') this.exploreVar = m.exploreVar;
    if (typeof m.lr === 'number') this.compute.optimizer.lr = m.lr;
    if (Array.isArray(m.rng)) this.rng.setState(m.rng as readonly number[]);
    if (state.tensors[`${RESUME_MEMORY}/obs`] !== undefined) {
      const num = (k: string): number => {
        const v = m[k];
        if (typeof v !== 'number') throw new AgentConfigError(`${this.algorithmName} state meta '${k}' must be a number`);
        return v;
      };
      this.memory.setState(RESUME_MEMORY, state.tensors, { size: num('memorySize'), seenSize: num('memorySeen'), head: num('memoryHead') });
    }
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.compute.weights();
  }

  dispose(): void {
    this.compute.dispose();
  }

  private exploreVarAt(frame: number): number {
    const s = this.spec.agent.algorithm.explore_var_spec;
    return s === null ? Number.NaN : decayValue(s, frame);
  }

  /** One due training round: training_iter batches x training_batch_iter optimizer steps. */
  private train(frame: number): TrainStats {
    const alg = this.spec.agent.algorithm;
    const c = this.compute;
    c.optimizer.lr = this.lrSchedule.lrAt(frame, c.optimizer.stepCount);
    let lossSum = 0;
    let gradNorm = 0;
    let steps = 0;
    for (let i = 0; i < this.schedule.trainingIter; i++) {
      c.loadBatch(this.memory.sample(this.rng));
      try {
        // VanillaDQN and DoubleDQN read the online net for their targets, which moves every step.
        for (let j = 0; j < alg.training_batch_iter; j++) {
          if (j === 0 || !this.fixedTargets) c.computeTargets();
          const before = this.devChecks ? c.snapshot() : null;
          const r = c.step(this.memory.prioritized);
          if (r.absTd !== null) this.memory.updatePriorities(r.absTd);
          if (before !== null) this.devCheck(before, r.loss, r.gradNorm);
          lossSum += r.loss;
          gradNorm = r.gradNorm;
          steps++;
        }
      } finally {
        c.releaseBatch();
      }
    }
    const loss = lossSum / steps;
    return { loss, terms: { td: loss }, gradNorm, optSteps: steps };
  }

  /** SLM Lab's dev_check_train_step: parameters moved, the gradient applied finite and bounded (`gradNormProblem`). */
  private devCheck(before: Float32Array, loss: number, gradNorm: number): void {
    if (!Number.isFinite(loss)) throw new AgentCheckError(`${this.algorithmName}: loss is ${loss} after an update`);
    const problem = gradNormProblem(gradNorm, this.clipGradVal);
    if (problem !== null) throw new AgentCheckError(`${this.algorithmName}: ${problem}`);
    if (loss === 0) return;
    if (!paramsChanged(before, this.compute.snapshot())) throw new AgentCheckError(`${this.algorithmName}: parameters did not change in a training step (loss ${loss})`);
  }
}

/** The registry entry shared by VanillaDQN, DQN and DoubleDQN. */
export const dqnEntry = {
  check: checkDqnSpec,
  create: (ctx: AgentContext): Agent => new DqnAgent(ctx),
};
