/**
 * SARSA with a Q-network, as SLM Lab v5 runs it (sarsa.py): on-policy TD learning of Q(s, a) on
 * an on-policy memory, one optimizer step per batch on loss(Q(s, a), y) with
 *   y = r + gamma (1 - terminated) Q(s', a'),
 * where a' is the action the behaviour policy (epsilon-greedy or Boltzmann over Q, `action_policy`
 * with `explore_var_spec` at the env frame) actually took in s'. Q(s', a') comes from the same net,
 * outside the gradient (no target net).
 *
 * Each transition waits one vector step for its a' (the next `update` brings the action taken in
 * s'), then enters the memory as the tuple (s, a, r, s', a'). SLM Lab instead pairs actions within
 * the batch and fills the batch's last a' with action 0; here every a' is a real one. Where no
 * action was taken in s' (the episode was truncated there, or it terminated), a' is drawn from the
 * current policy on Q(s', .) at training time (a terminated row's a' is multiplied by 0).
 *
 * Schedule: `OnPolicyBatchReplay` trains every `training_frequency` vector steps (a batch of
 * training_frequency x num_envs tuples), `OnPolicyReplay` once `training_frequency` episodes have
 * ended; the first batch is ready one step later than SLM Lab's (the wait for a').
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { sarsaLoss, sarsaTargets } from '../losses/sarsa.js';
import { makeTdLoss, type RegressionLoss } from '../losses/td.js';
import { OnPolicyMemory } from '../memory/on-policy.js';
import { oneHot } from '../policy/distributions.js';
import { selectActions, type ExplorationPolicy } from '../policy/exploration.js';
import { decayValue } from '../schedule/decay.js';
import { AgentConfigError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { memoryMeta, metaList, restoreMemoryMeta } from './on-policy-common.js';
import { checkSingleNetSpec, SingleNet } from './single-net.js';

/** a' of a stored tuple when no action was taken in s': drawn from the policy at training time. */
const NO_NEXT_ACTION = -1;

/** Throws AgentConfigError (one line; NotBuiltError for a net type not built yet) when SARSA cannot run `spec` on these spaces. */
export function checkSarsaSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  const { algorithm: alg, memory: mem, net } = spec.agent;
  const fail = (msg: string): never => {
    throw new AgentConfigError(`SARSA: ${msg}`);
  };
  if (actionSpace.kind !== 'discrete') {
    fail(`needs a Discrete action space, but the env's action space is Box [${actionSpace.shape.join(', ')}]; SARSA learns Q over finitely many actions, use Reinforce or PPO for continuous actions`);
  }
  if (mem.name !== 'OnPolicyBatchReplay' && mem.name !== 'OnPolicyReplay') fail(`agent.memory.name '${mem.name}' is not on-policy; use OnPolicyBatchReplay or OnPolicyReplay`);
  if (!['default', 'epsilon_greedy', 'boltzmann', 'random'].includes(alg.action_policy)) {
    fail(`agent.algorithm.action_policy '${alg.action_policy}' does not work with SARSA; use epsilon_greedy, boltzmann or random`);
  }
  if (alg.action_policy !== 'random' && alg.explore_var_spec === null) {
    fail(`agent.algorithm.explore_var_spec is needed for action_policy '${alg.action_policy}' (epsilon or temperature schedule)`);
  }
  checkSingleNetSpec('SARSA', net, observationSpace.shape, 'q');
}

/** One vector step waiting for the actions taken in its next observations. */
interface Pending {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
}

export class SarsaAgent implements Agent {
  readonly algorithmName = 'SARSA';
  private readonly tf: Tf;
  private readonly q: SingleNet;
  private readonly loss: RegressionLoss;
  private readonly memory: OnPolicyMemory;
  private readonly rng: Rng;
  private readonly policy: ExplorationPolicy;
  private readonly obsSize: number;
  private readonly numActions: number;
  private readonly numEnvs: number;
  private readonly scratch: Float64Array;
  private pending: Pending | null = null;
  private exploreVar: number;

  constructor(private readonly ctx: AgentContext) {
    const { spec, observationSpace, actionSpace } = ctx;
    checkSarsaSpec(spec, observationSpace, actionSpace);
    if (actionSpace.kind !== 'discrete') throw new Error('unreachable: checked above');
    const { algorithm: alg, memory: mem, net } = spec.agent;
    this.tf = ctx.backend.tf;
    this.obsSize = observationSpace.size;
    this.numActions = actionSpace.n;
    this.numEnvs = ctx.numEnvs;
    this.rng = new Rng(ctx.seed);
    this.q = new SingleNet(this.tf, 'SARSA', net, ctx.observationSpace.shape, this.numActions, this.rng.deriveSeed(), 'q');
    this.loss = makeTdLoss(this.tf, net.loss_spec);
    this.memory = new OnPolicyMemory({
      kind: mem.name === 'OnPolicyReplay' ? 'episodic' : 'batch',
      numEnvs: this.numEnvs,
      obsSize: this.obsSize,
      actionSize: 2, // (a, a') per row
      horizon: alg.training_frequency,
      episodes: alg.training_frequency,
    });
    this.policy = alg.action_policy === 'default' ? 'epsilon_greedy' : (alg.action_policy as ExplorationPolicy);
    this.scratch = new Float64Array(this.numActions);
    this.exploreVar = this.exploreVarAt(0);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): Int32Array {
    const rows = obs.length / this.obsSize;
    const q = this.qValues(obs, rows);
    const policy: ExplorationPolicy = mode === 'eval' ? 'greedy' : this.policy;
    return selectActions(policy, q, rows, this.numActions, this.exploreVar, this.rng, new Int32Array(rows), this.scratch);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    if (this.pending !== null) this.memory.add(this.completeWith(this.pending, tr.action));
    this.pending = {
      obs: Float32Array.from(tr.obs),
      nextObs: Float32Array.from(tr.nextObs),
      action: Float32Array.from(tr.action),
      reward: Float64Array.from(tr.reward),
      terminated: Uint8Array.from(tr.terminated),
      truncated: Uint8Array.from(tr.truncated),
    };
    let stats: TrainStats | null = null;
    if (this.memory.ready()) {
      stats = this.train(frame);
      this.memory.reset();
    }
    this.exploreVar = this.exploreVarAt(frame);
    return stats;
  }

  scalars(): AgentScalars {
    return { lr: this.q.lr, entropy: null, exploreVar: this.policy === 'random' ? null : this.exploreVar };
  }

  getState(): AgentState {
    return this.q.agentState(this.rng, { exploreVar: this.exploreVar });
  }

  /** `getState()` plus the partial batch in the memory and the step waiting for its a' (`pending...` entries). */
  resumeState(): AgentState {
    const state = this.getState();
    const p = this.pending;
    const pending: AgentState['meta'] = p === null ? { pending: false } : {
      pending: true,
      pendingObs: Array.from(p.obs), pendingNextObs: Array.from(p.nextObs), pendingAction: Array.from(p.action),
      pendingReward: Array.from(p.reward), pendingTerminated: Array.from(p.terminated), pendingTruncated: Array.from(p.truncated),
    };
    return { ...state, meta: { ...state.meta, ...memoryMeta(this.memory), ...pending } };
  }

  /**
   * Loads a `getState()` result (the partial batch and the step waiting for its a' are dropped) or
   * a `resumeState()` one (both are restored).
   */
  setState(state: AgentState): void {
    const m = this.q.restore(state, this.rng);
    if (typeof m.exploreVar === 'number') this.exploreVar = m.exploreVar;
    restoreMemoryMeta(this.algorithmName, m, this.memory);
    this.pending = m.pending === true ? this.pendingFrom(m) : null;
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.q.net.namedWeights();
  }

  dispose(): void {
    this.q.dispose();
  }

  /** The pending step of a resume state's meta; AgentConfigError naming the entry that does not fit. */
  private pendingFrom(m: AgentState['meta']): Pending {
    const N = this.numEnvs;
    const d = this.obsSize;
    const take = (key: string, n: number): readonly number[] => {
      const v = metaList(this.algorithmName, m, key);
      if (v.length !== n) throw new AgentConfigError(`${this.algorithmName} state meta '${key}' must be ${n} numbers`);
      return v;
    };
    return {
      obs: Float32Array.from(take('pendingObs', N * d)),
      nextObs: Float32Array.from(take('pendingNextObs', N * d)),
      action: Float32Array.from(take('pendingAction', N)),
      reward: Float64Array.from(take('pendingReward', N)),
      terminated: Uint8Array.from(take('pendingTerminated', N)),
      truncated: Uint8Array.from(take('pendingTruncated', N)),
    };
  }

  private exploreVarAt(frame: number): number {
    const s = this.ctx.spec.agent.algorithm.explore_var_spec;
    return s === null ? Number.NaN : decayValue(s, frame);
  }

  /** Q(s, .) [rows * A] read from the net. */
  private qValues(obs: Float32Array, rows: number): Float32Array {
    const tf = this.tf;
    const t = tf.tidy(() => this.q.net.forward(tf.tensor2d(obs, [rows, this.obsSize])));
    const q = t.dataSync() as Float32Array;
    t.dispose();
    return q;
  }

  /** The memory row of a pending step: actions (a, a'), a' the action now taken in s' unless the episode ended there. */
  private completeWith(p: Pending, taken: ArrayLike<number>): Pending {
    const N = this.numEnvs;
    const pairs = new Float32Array(2 * N);
    for (let e = 0; e < N; e++) {
      pairs[2 * e] = p.action[e];
      pairs[2 * e + 1] = p.terminated[e] !== 0 || p.truncated[e] !== 0 ? NO_NEXT_ACTION : taken[e];
    }
    return { ...p, action: pairs };
  }

  /** One optimizer step on the stored tuples. */
  private train(frame: number): TrainStats {
    const tf = this.tf;
    const b = this.memory.batch();
    const B = b.size;
    const A = this.numActions;
    const nextQ = this.qValues(b.nextObs, B);
    const action = new Int32Array(B);
    const nextAction = new Int32Array(B);
    const drawn = new Int32Array(1);
    for (let i = 0; i < B; i++) {
      action[i] = b.actions[2 * i];
      const a2 = b.actions[2 * i + 1];
      if (a2 !== NO_NEXT_ACTION) nextAction[i] = a2;
      else if (b.terminated[i] === 0) {
        const row = nextQ.subarray(i * A, (i + 1) * A);
        nextAction[i] = selectActions(this.policy, row, 1, A, this.exploreVar, this.rng, drawn, this.scratch)[0];
      }
    }
    const y = sarsaTargets({ reward: b.rewards, terminated: b.terminated, nextQ, nextAction, numActions: A, gamma: this.ctx.spec.agent.algorithm.gamma });
    const obsT = tf.tensor2d(b.obs, [B, this.obsSize]);
    const maskT = tf.tensor2d(oneHot(action, A), [B, A]);
    const yT = tf.tensor1d(y);
    try {
      const r = this.q.step(() => sarsaLoss(tf, this.q.net.forward(obsT) as Tensor2D, maskT, yT, this.loss), frame, this.ctx.devChecks);
      return { loss: r.loss, terms: { td: r.loss }, gradNorm: r.gradNorm, optSteps: 1 };
    } finally {
      tf.dispose([obsT, maskT, yT]);
    }
  }
}

export const sarsaEntry = {
  check: checkSarsaSpec,
  create: (ctx: AgentContext): Agent => new SarsaAgent(ctx),
};
