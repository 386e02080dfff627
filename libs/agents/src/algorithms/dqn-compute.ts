/**
 * The seam between the DQN family's algorithm (dqn.ts: replay, schedule, exploration, lr schedule,
 * dev checks, checkpoints) and the nets that compute it: a `DqnCompute` holds the online Q-net,
 * the target net and the optimizer, and answers Q-values, TD targets and optimizer steps on
 * plain arrays. Two implementations: TensorFlow.js (`dqn-tfjs.ts`, any net type, any backend) and
 * the fast CPU path (`dqn-fast.ts`, MLPNet on `FastMlp`). Both name their checkpoint tensors the
 * same: `net/...`, `target_net/...`, `optim/step|m|v`.
 */
import type { Spec } from '@gymlab/spec';
import type { ReplayBatch } from '../memory/replay.js';
import type { TensorData } from '../net/types.js';
import type { AgentContext } from '../types.js';

/** Target-net mode of a variant: VanillaDQN none; DQN a target net; DoubleDQN also picks a' online. */
export interface DqnVariant {
  readonly targetNet: boolean;
  readonly double: boolean;
}

export interface DqnStepResult {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** |Q(s, a) - y| per row of the batch, when asked for (PrioritizedReplay); else null. */
  readonly absTd: ArrayLike<number> | null;
}

export interface DqnCompute {
  /** The online net's optimizer: the lr of its next step (an lr schedule sets it) and the steps taken. */
  readonly optimizer: { lr: number; readonly stepCount: number };
  /** Q(s, .) of `rows` observations [rows * obsSize], as [rows * A]; valid until the next call. */
  qValues(obs: Float32Array, rows: number): ArrayLike<number>;
  /** Takes a sampled batch for the `computeTargets` / `step` calls that follow, until `releaseBatch`. */
  loadBatch(batch: ReplayBatch): void;
  /** y = r + gamma (1 - terminated) Q_eval(s', argmax Q_select(s', .)) of the loaded batch, kept for `step`. */
  computeTargets(): void;
  /** One optimizer step on loss_spec(Q(s, a), y) with clip_grad_val. */
  step(wantAbsTd: boolean): DqnStepResult;
  releaseBatch(): void;
  /** The target net follows the online net at env frame `frame` (replace or polyak); no-op without one. */
  updateTarget(frame: number): void;
  /** A copy of the online net's trainable parameters, flat (for the dev check that they moved). */
  snapshot(): Float32Array;
  /** Nets and optimizer as named tensors. */
  getState(): Record<string, TensorData>;
  setState(tensors: Readonly<Record<string, TensorData>>): void;
  /** Every weight of both nets by name (copies). */
  weights(): Record<string, Float32Array>;
  dispose(): void;
}

/** What a compute is built from: the agent's context, the nets' seed (online and target start equal) and the variant. */
export interface DqnComputeOptions {
  readonly ctx: AgentContext;
  readonly spec: Spec;
  readonly netSeed: number;
  readonly variant: DqnVariant;
  readonly numActions: number;
  readonly batchSize: number;
}

export type DqnComputeFactory = (opts: DqnComputeOptions) => DqnCompute;

/** Whether two flat snapshots differ anywhere. */
export function paramsChanged(before: Float32Array, after: Float32Array): boolean {
  if (before.length !== after.length) return true;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) return true;
  return false;
}
