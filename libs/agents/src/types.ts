/**
 * The contract between an agent and the Session loop that drives it. The Session owns rollout
 * collection: it asks the agent for actions, steps the vector env, and hands every transition back
 * through `update`. Memory and algorithm live inside the agent and never set each other's flags.
 */
import type { Spec } from '@gymlab/spec';
import type { ActionBatch, BoxSpace, Space, Transitions } from '@gymlab/envs';
import type { ComputeBackend } from '@gymlab/backends';
import type { ParamSharing } from './distributed/param-sharing.js';

export interface AgentContext {
  readonly spec: Spec;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  /** Rows per `act` call during training (the vector env's size). */
  readonly numEnvs: number;
  /** Seeds weight initialisation, action sampling and minibatch shuffling. */
  readonly seed: number;
  readonly backend: ComputeBackend;
  /** dev mode: after each update check that parameters changed and gradients are finite and bounded; throw AgentCheckError otherwise. */
  readonly devChecks: boolean;
  /**
   * `meta.distributed`: the shared parameters of the trial's workers (see distributed/param-sharing.ts);
   * absent when the session trains alone.
   */
  readonly sharing?: ParamSharing;
}

/** One vector-env step's transitions (defined in @gymlab/envs, next to the rollout that makes them). */
export type { Transitions };

/** What an update did, for the metrics row and TensorBoard. */
export interface TrainStats {
  /** Total loss of the last optimizer step. */
  readonly loss: number;
  /** Named loss terms, e.g. { policy, value, entropy } for PPO, { td } for DQN. */
  readonly terms: Readonly<Record<string, number>>;
  /** Global gradient norm before clipping, of the last optimizer step. */
  readonly gradNorm: number;
  /** Optimizer steps taken in this update. */
  readonly optSteps: number;
}

/** The agent's current scalar state for the metrics row. */
export interface AgentScalars {
  /** Current learning rate (of the first optimizer); null when the agent has no optimizer (Random). */
  readonly lr: number | null;
  /** Mean policy entropy over the last update's batch; null when the algorithm has none. */
  readonly entropy: number | null;
  /** Exploration variable (epsilon, temperature), or null. */
  readonly exploreVar: number | null;
}

/** Named float32 tensors and JSON-safe metadata: a checkpoint is data, never code. */
export interface AgentState {
  readonly algorithm: string;
  readonly tensors: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;
  readonly meta: Readonly<Record<string, number | string | boolean | null | readonly number[]>>;
}

export interface Agent {
  readonly algorithmName: string;
  /**
   * Actions for a batch of observations ([rows * obsSize]). `train` explores (samples, epsilon,
   * Boltzmann); `eval` is deterministic (mode of the policy, greedy Q).
   */
  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch;
  /** Stores the step's transitions; trains when the algorithm's schedule says so. `frame` counts env frames so far. */
  update(transitions: Transitions, frame: number): TrainStats | null;
  scalars(): AgentScalars;
  /** Weights (and what is needed to act and resume); optimizer moments included. */
  getState(): AgentState;
  /**
   * `getState()` plus what only continuing a run needs (a partial on-policy batch, the replay
   * buffer): loading it with `setState` and going on gives exactly the numbers of a run that never
   * stopped. Tensors only a resume needs are named `resume/...`. Null (or absent): this agent, as
   * configured, cannot be resumed exactly yet.
   */
  resumeState?(): AgentState | null;
  /** Loads a `getState()` or `resumeState()` result (a plain state leaves the memories empty). */
  setState(state: AgentState): void;
  /** Named weight tensors of every net, for histograms. */
  weights(): Readonly<Record<string, Float32Array>>;
  dispose(): void;
}

/** A spec the agents lib cannot run (wrong space, unimplemented algorithm, bad key); one line. */
export class AgentConfigError extends Error {
  override readonly name: string = 'AgentConfigError';
}

/**
 * A spec that is right but asks for what gymlab has not built yet (an SLM Lab algorithm, net type
 * or action distribution): `what` names it, e.g. `SoftActorCritic: algorithm not built yet`.
 * `gymlab validate` reports these as "not runnable yet", not as errors.
 */
export class NotBuiltError extends AgentConfigError {
  override readonly name = 'NotBuiltError';
  constructor(readonly what: string, detail?: string) {
    super(detail === undefined ? what : `${what}; ${detail}`);
  }
}

/** A dev-mode check failed: parameters did not change, or a gradient was not finite or too large. */
export class AgentCheckError extends Error {
  override readonly name = 'AgentCheckError';
}
