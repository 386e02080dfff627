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
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { makeTdLoss, qTargets, selectQ, type RegressionLoss } from '../losses/td.js';
import { PrioritizedReplay } from '../memory/prioritized.js';
import { Replay } from '../memory/replay.js';
import { buildNet, checkNetSpec } from '../net/factory.js';
import type { NetModule } from '../net/types.js';
import { targetUpdateOf, updateTargetNet, type TargetUpdateConfig } from '../net/target.js';
import { OffPolicySchedule } from '../schedule/off-policy.js';
import { clipFlatByNorm } from '../optim/minimize.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { flatten, makeOptimizer, type Optimizer } from '../optim/optimizers.js';
import { selectActions, type ExplorationPolicy } from '../policy/exploration.js';
import { decayValue } from '../schedule/decay.js';
import { AgentCheckError, AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';

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
function variantOf(name: DqnAlgorithm): { targetNet: boolean; double: boolean } {
  return { targetNet: name !== 'VanillaDQN', double: name === 'DoubleDQN' };
}

/** Prefix of the replay's tensors in a resume state. */
const RESUME_MEMORY = 'resume/memory';

export class DqnAgent implements Agent {
  readonly algorithmName: DqnAlgorithm;
  private readonly tf: Tf;
  private readonly net: NetModule;
  private readonly targetNet: NetModule | null;
  private readonly targetUpdate: TargetUpdateConfig;
  private readonly schedule: OffPolicySchedule;
  private readonly double: boolean;
  private readonly optimizer: Optimizer;
  private readonly lrSchedule: LrSchedule;
  private readonly loss: RegressionLoss;
  private readonly memory: Replay;
  private readonly rng: Rng;
  private readonly policy: ExplorationPolicy;
  private readonly obsSize: number;
  private readonly numActions: number;
  private readonly numEnvs: number;
  private readonly gamma: number;
  private readonly clipGradVal: number | null;
  private readonly spec: Spec;
  private readonly devChecks: boolean;
  private readonly maskBuf: Float32Array;
  private readonly scratch: Float64Array;
  private exploreVar: number;

  constructor(ctx: AgentContext) {
    checkDqnSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const spec = ctx.spec;
    const { algorithm: alg, memory: mem, net: netSpec } = spec.agent;
    if (!isDqnAlgorithm(alg.name)) throw new Error(`DqnAgent cannot run algorithm '${alg.name}'`);
    const act = ctx.actionSpace;
    if (act.kind !== 'discrete') throw new Error('unreachable: checked above');
    this.algorithmName = alg.name;
    this.spec = spec;
    this.tf = ctx.backend.tf;
    this.devChecks = ctx.devChecks;
    this.numEnvs = ctx.numEnvs;
    this.obsSize = ctx.observationSpace.size;
    this.numActions = act.n;
    this.gamma = alg.gamma;
    this.clipGradVal = netSpec.clip_grad_val;
    this.rng = new Rng(ctx.seed);
    const netSeed = this.rng.deriveSeed();
    // The online and target nets start equal (same seed), as SLM Lab's target net copies the online one.
    const build = (name: string): NetModule =>
      buildNet(this.tf, netSpec, ctx.observationSpace.shape, { name, seed: netSeed, output: { size: this.numActions, activation: netSpec.out_layer_activation } });
    this.net = build('net');
    const variant = variantOf(alg.name);
    this.targetNet = variant.targetNet ? build('target_net') : null;
    this.targetUpdate = targetUpdateOf(netSpec, this.numEnvs);
    this.schedule = new OffPolicySchedule({ trainingStartStep: alg.training_start_step, trainingFrequency: alg.training_frequency, trainingIter: alg.training_iter, numEnvs: this.numEnvs });
    this.double = variant.double;
    const optimSpec = netSpec.optim_spec;
    if (optimSpec === null) throw new Error('unreachable: checked above');
    this.optimizer = makeOptimizer(this.tf, optimSpec, this.net.variables as Variable[]);
    this.lrSchedule = new LrSchedule(netSpec.lr_scheduler_spec, optimSpec.lr);
    this.loss = makeTdLoss(this.tf, netSpec.loss_spec);
    const memCfg = { obsSize: this.obsSize, maxSize: mem.max_size ?? 0, batchSize: mem.batch_size ?? 0, useCer: mem.use_cer };
    this.memory =
      mem.name === 'PrioritizedReplay' ? new PrioritizedReplay({ ...memCfg, alpha: mem.alpha ?? 0, epsilon: mem.epsilon ?? 0 }) : new Replay(memCfg);
    this.policy = alg.action_policy === 'default' ? 'epsilon_greedy' : (alg.action_policy as ExplorationPolicy);
    this.exploreVar = this.exploreVarAt(0);
    this.maskBuf = new Float32Array(this.memory.batchSize * this.numActions);
    this.scratch = new Float64Array(this.numActions);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): Int32Array {
    const rows = obs.length / this.obsSize;
    const tf = this.tf;
    const qT = tf.tidy(() => this.net.forward(tf.tensor2d(obs, [rows, this.obsSize])));
    const q = qT.dataSync();
    qT.dispose();
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
    this.updateTargetNet(frame);
    return stats;
  }

  scalars(): AgentScalars {
    return { lr: this.optimizer.lr, entropy: null, exploreVar: this.policy === 'random' ? null : this.exploreVar };
  }

  getState(): AgentState {
    return {
      algorithm: this.algorithmName,
      tensors: { ...this.net.getState(), ...(this.targetNet?.getState() ?? {}), ...this.optimizer.getState('optim') },
      meta: {
        exploreVar: this.exploreVar,
        lr: this.optimizer.lr,
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
    this.net.setState(state.tensors);
    this.targetNet?.setState(state.tensors);
    this.optimizer.setState('optim', state.tensors);
    const m = state.meta;
    if (typeof m.exploreVar === 'number') this.exploreVar = m.exploreVar;
    if (typeof m.lr === 'number') this.optimizer.lr = m.lr;
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
    return { ...this.net.namedWeights(), ...(this.targetNet?.namedWeights() ?? {}) };
  }

  dispose(): void {
    this.net.dispose();
    this.targetNet?.dispose();
    this.optimizer.dispose();
  }

  private exploreVarAt(frame: number): number {
    const s = this.spec.agent.algorithm.explore_var_spec;
    return s === null ? Number.NaN : decayValue(s, frame);
  }

  private updateTargetNet(frame: number): void {
    if (this.targetNet !== null) updateTargetNet(this.net, this.targetNet, this.targetUpdate, frame);
  }

  /** One due training round: training_iter batches x training_batch_iter optimizer steps. */
  private train(frame: number): TrainStats {
    const tf = this.tf;
    const alg = this.spec.agent.algorithm;
    this.lrSchedule.apply([this.optimizer], frame);
    const B = this.memory.batchSize;
    const A = this.numActions;
    let lossSum = 0;
    let gradNorm = 0;
    let steps = 0;
    for (let i = 0; i < this.schedule.trainingIter; i++) {
      const batch = this.memory.sample(this.rng);
      this.maskBuf.fill(0);
      for (let b = 0; b < B; b++) this.maskBuf[b * A + batch.action[b]] = 1;
      const obs = tf.tensor2d(batch.obs, [B, this.obsSize]);
      const nextObs = tf.tensor2d(batch.nextObs, [B, this.obsSize]);
      const mask = tf.tensor2d(this.maskBuf, [B, A]);
      const reward = tf.tensor1d(batch.reward);
      const terminated = tf.tensor1d(batch.terminated);
      // The target net does not move within a round, so DQN's targets hold for every step on this
      // batch; VanillaDQN and DoubleDQN read the online net, which does.
      const fixedTargets = this.targetNet !== null && !this.double;
      let targets: Tensor1D | null = null;
      try {
        for (let j = 0; j < alg.training_batch_iter; j++) {
          if (targets === null || !fixedTargets) {
            targets?.dispose();
            targets = this.computeTargets(reward, terminated, nextObs);
          }
          const r = this.step(obs, mask, targets);
          lossSum += r.loss;
          gradNorm = r.gradNorm;
          steps++;
        }
      } finally {
        targets?.dispose();
        tf.dispose([obs, nextObs, mask, reward, terminated]);
      }
    }
    const loss = lossSum / steps;
    return { loss, terms: { td: loss }, gradNorm, optSteps: steps };
  }

  /** y [B], outside any gradient. */
  private computeTargets(reward: Tensor1D, terminated: Tensor1D, nextObs: Tensor2D): Tensor1D {
    const tf = this.tf;
    return tf.tidy(() => {
      const evalNet = this.targetNet ?? this.net;
      const nextQEval = evalNet.forward(nextObs);
      const nextQSelect = this.double ? this.net.forward(nextObs) : null;
      return qTargets(tf, { reward, terminated, nextQEval, nextQSelect, gamma: this.gamma });
    });
  }

  /**
   * One optimizer step on loss(Q(s,a), y): gradients, global-norm clipping (clip_grad_val, torch's
   * clip_grad_norm_) on the flat gradient, the optimizer's update, and a single data read of
   * [loss, gradNorm, |Q(s,a) - y| per row] (the last part feeds PrioritizedReplay).
   */
  private step(obs: Tensor2D, mask: Tensor2D, targets: Tensor1D): { loss: number; gradNorm: number } {
    const tf = this.tf;
    const vars = this.net.variables as Variable[];
    const before = this.devChecks ? vars.map((v) => Float32Array.from(v.dataSync())) : null;
    let absTd: Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const qa = selectQ(tf, this.net.forward(obs, true), mask);
      absTd = tf.keep(tf.abs(tf.sub(qa, targets)) as Tensor1D);
      return this.loss(qa, targets);
    }, vars);
    const td = absTd as Tensor1D | null;
    let data: Float32Array;
    try {
      if (td === null) throw new Error('unreachable: loss closure did not run');
      const packed = tf.tidy(() => {
        const { norm, clipped } = clipFlatByNorm(tf, flatten(tf, vars.map((v) => grads[v.name])), this.clipGradVal);
        this.optimizer.applyFlat(clipped);
        return tf.concat([tf.reshape(value, [1]), tf.reshape(norm, [1]), td]);
      });
      data = packed.dataSync() as Float32Array;
      packed.dispose();
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
      if (td !== null) td.dispose();
    }
    const loss = data[0];
    const gradNorm = data[1];
    if (this.memory.prioritized) this.memory.updatePriorities(data.subarray(2));
    if (before !== null) this.devCheck(before, loss, gradNorm);
    return { loss, gradNorm };
  }

  /** SLM Lab's dev_check_train_step: parameters moved, the gradient applied finite and bounded (`gradNormProblem`). */
  private devCheck(before: readonly Float32Array[], loss: number, gradNorm: number): void {
    if (!Number.isFinite(loss)) throw new AgentCheckError(`${this.algorithmName}: loss is ${loss} after an update`);
    const problem = gradNormProblem(gradNorm, this.clipGradVal);
    if (problem !== null) throw new AgentCheckError(`${this.algorithmName}: ${problem}`);
    if (loss === 0) return;
    const vars = this.net.variables;
    const moved = vars.some((v, i) => {
      const now = v.dataSync();
      const was = before[i];
      for (let k = 0; k < now.length; k++) if (now[k] !== was[k]) return true;
      return false;
    });
    if (!moved) throw new AgentCheckError(`${this.algorithmName}: parameters did not change in a training step (loss ${loss})`);
  }
}

/** The registry entry shared by VanillaDQN, DQN and DoubleDQN. */
export const dqnEntry = {
  check: checkDqnSpec,
  create: (ctx: AgentContext): Agent => new DqnAgent(ctx),
};
