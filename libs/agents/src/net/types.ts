/**
 * What every net body and head gives the algorithms: a forward pass on tfjs tensors, its
 * trainable variables, and its state as named float32 tensors (checkpoints are data). `Mlp`,
 * the TorchArc, conv, recurrent and dueling nets all implement it, so an algorithm never knows
 * which `net.type` the spec chose.
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';

/** A named float32 tensor as stored in checkpoints. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface NetModule {
  /** Prefix of every weight name (`${name}/...`). */
  readonly name: string;
  /** Features per row that `forward` returns. */
  readonly outputSize: number;
  /** Trainable variables, in a fixed order (the optimizer's). */
  readonly variables: readonly Variable[];
  /**
   * [B, ...inputShape] -> [B, outputSize], inside `tf.tidy` or a gradient closure. `training`
   * (default false) switches dropout on and batch norm to batch statistics (updating its running
   * statistics as torch does in `train()` mode).
   */
  forward(x: Tensor, training?: boolean): Tensor2D;
  /** Names of `variables`, same order. */
  variableNames(): string[];
  /** Every trainable weight by name, for histograms and dev checks. */
  namedWeights(): Record<string, Float32Array>;
  /** Trainable weights and non-trainable state (running statistics), by name. */
  getState(): Record<string, TensorData>;
  /** Restores `getState()`'s tensors; throws naming the first missing or mis-shaped one. */
  setState(state: Readonly<Record<string, TensorData>>): void;
  /** Copies every weight and running statistic of a net of the same architecture. */
  copyFrom(other: NetModule): void;
  /** target <- coef * other + (1 - coef) * target, for every weight. */
  polyakFrom(other: NetModule, coef: number): void;
  dispose(): void;
}
