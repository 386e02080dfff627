/**
 * Action distributions behind one interface, chosen by SLM Lab's `action_pdtype`.
 *
 * A policy net outputs `netOutputSize` numbers per row; `params(tf, netOut)` turns them into the
 * distribution's parameters [B, paramSize] (logits; or means then log-scales). The same parameter
 * layout serves both sides:
 * - acting: the agent reads the params back once per `act` and calls `sample` (seeded `Rng`, in
 *   JS) or `mode` (deterministic);
 * - learning: `logProb` and `entropy` are tfjs ops, used inside the gradient, on actions encoded
 *   by `encode` (one-hot rows for Categorical: the wasm backend has no gradient for `gather`).
 * Continuous distributions also have `rsample`, the reparameterised sample (a tfjs op of the
 * params and given standard-normal noise) with its log-prob, for SAC-style losses.
 *
 * Gaussian log-scales: a state-dependent head is clamped to [LOG_SCALE_MIN, LOG_SCALE_MAX] (SLM Lab
 * bounds it before exp); a state-independent learnable log-std vector (`net.log_std_init`) is used
 * as it is.
 */
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, Space } from '@gymlab/envs';
import type { Rng } from '@gymlab/random';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { argmaxRow } from './exploration.js';
import { categoricalEntropy, categoricalLogProb, gaussianEntropyRows, gaussianLogProb, LOG_SCALE_MAX, LOG_SCALE_MIN, oneHot, sampleCategorical, sampleGumbelMax } from './distributions.js';

export type ActionDistName = 'Categorical' | 'GumbelSoftmax' | 'DiagGaussian' | 'SquashedGaussian';

export interface ActionDist {
  readonly name: ActionDistName;
  readonly continuous: boolean;
  /** Numbers per stored action: 1 (an index) for Categorical, d for continuous. */
  readonly actionSize: number;
  /** Columns of encoded actions (`encode`, `logProb`): n (one-hot) for Categorical, d for continuous. */
  readonly encodedSize: number;
  /** Outputs per row the policy net must give: n logits; 2d (means, log-scales) or d means with a learnable log-std. */
  readonly netOutputSize: number;
  /** Columns of `params`: n logits, or 2d (d means, then d log-scales). */
  readonly paramSize: number;
  /** Distribution parameters [B, paramSize] from the policy net's output [B, netOutputSize] (a tfjs op). */
  params(tf: Tf, netOut: Tensor2D): Tensor2D;
  /** One sample per row from params read back ([rows * paramSize]): Int32Array [rows] or Float32Array [rows * d]. */
  sample(params: Float32Array, rows: number, rng: Rng): ActionBatch;
  /** The deterministic action per row: argmax (first on ties), the mean, tanh(mean) when squashed. */
  mode(params: Float32Array, rows: number): ActionBatch;
  /** Stored actions ([rows * actionSize]) as `logProb` takes them ([rows * encodedSize]). */
  encode(actions: ArrayLike<number>, rows: number, out?: Float32Array): Float32Array;
  /** log pi(a|s) [B] at encoded actions [B, encodedSize]. */
  logProb(tf: Tf, params: Tensor2D, encoded: Tensor2D): Tensor1D;
  /** Entropy per row [B] (SquashedGaussian: of the Gaussian before tanh; no closed form after it). */
  entropy(tf: Tf, params: Tensor2D): Tensor1D;
}

export interface ContinuousActionDist extends ActionDist {
  readonly continuous: true;
  /** Reparameterised sample mean + std * noise (then tanh when squashed), differentiable in params, and its log-prob [B]. */
  rsample(tf: Tf, params: Tensor2D, noise: Tensor2D): { action: Tensor2D; logProb: Tensor1D };
}

export class Categorical implements ActionDist {
  readonly name: ActionDistName = 'Categorical';
  readonly continuous = false;
  readonly actionSize = 1;
  readonly encodedSize: number;
  readonly netOutputSize: number;
  readonly paramSize: number;

  constructor(readonly n: number) {
    this.encodedSize = n;
    this.netOutputSize = n;
    this.paramSize = n;
  }

  params(_tf: Tf, netOut: Tensor2D): Tensor2D {
    return netOut;
  }

  sample(params: Float32Array, rows: number, rng: Rng): Int32Array {
    return sampleCategorical(params, this.n, rng, false, new Int32Array(rows));
  }

  mode(params: Float32Array, rows: number): Int32Array {
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) out[r] = argmaxRow(params, r * this.n, this.n);
    return out;
  }

  encode(actions: ArrayLike<number>, rows: number, out?: Float32Array): Float32Array {
    if (actions.length !== rows) throw new RangeError(`Categorical.encode: ${actions.length} actions for ${rows} rows`);
    return oneHot(actions, this.n, out);
  }

  logProb(tf: Tf, params: Tensor2D, encoded: Tensor2D): Tensor1D {
    return categoricalLogProb(tf, params, encoded);
  }

  entropy(tf: Tf, params: Tensor2D): Tensor1D {
    return categoricalEntropy(tf, params);
  }
}

export interface GaussianConfig {
  /** Action dims. */
  readonly d: number;
  /** A learnable state-independent log-std [d] (e.g. a tf.Variable); null: the net outputs log-scales (clamped). */
  readonly logStd: Tensor | null;
}

/** Diagonal Gaussian N(mean, diag(exp(logScale))^2) over d action dims. */
export class DiagGaussian implements ContinuousActionDist {
  readonly name: ActionDistName = 'DiagGaussian';
  readonly continuous = true;
  readonly actionSize: number;
  readonly encodedSize: number;
  readonly netOutputSize: number;
  readonly paramSize: number;
  protected readonly d: number;
  private readonly logStd: Tensor | null;

  constructor(cfg: GaussianConfig) {
    this.d = cfg.d;
    this.logStd = cfg.logStd;
    this.actionSize = cfg.d;
    this.encodedSize = cfg.d;
    this.paramSize = 2 * cfg.d;
    this.netOutputSize = cfg.logStd === null ? 2 * cfg.d : cfg.d;
  }

  params(tf: Tf, netOut: Tensor2D): Tensor2D {
    const d = this.d;
    if (this.logStd === null) {
      const mean = tf.slice(netOut, [0, 0], [-1, d]);
      const logScale = tf.clipByValue(tf.slice(netOut, [0, d], [-1, d]), LOG_SCALE_MIN, LOG_SCALE_MAX);
      return tf.concat([mean, logScale], 1) as Tensor2D;
    }
    const rows = netOut.shape[0];
    return tf.concat([netOut, tf.tile(tf.reshape(this.logStd, [1, d]), [rows, 1])], 1) as Tensor2D;
  }

  /** Means [B, d] and log-scales [B, d] of params [B, 2d]. */
  protected split(tf: Tf, params: Tensor2D): { mean: Tensor2D; logScale: Tensor2D } {
    const d = this.d;
    return { mean: tf.slice(params, [0, 0], [-1, d]) as Tensor2D, logScale: tf.slice(params, [0, d], [-1, d]) as Tensor2D };
  }

  sample(params: Float32Array, rows: number, rng: Rng): Float32Array {
    const d = this.d;
    const out = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < d; i++) out[r * d + i] = params[r * 2 * d + i] + Math.exp(params[r * 2 * d + d + i]) * rng.normal();
    }
    return out;
  }

  mode(params: Float32Array, rows: number): Float32Array {
    const d = this.d;
    const out = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) out[r * d + i] = params[r * 2 * d + i];
    return out;
  }

  encode(actions: ArrayLike<number>, rows: number, out?: Float32Array): Float32Array {
    if (actions.length !== rows * this.d) throw new RangeError(`${this.name}.encode: ${actions.length} numbers for ${rows} rows of ${this.d}`);
    const o = out ?? new Float32Array(rows * this.d);
    for (let i = 0; i < rows * this.d; i++) o[i] = actions[i];
    return o;
  }

  logProb(tf: Tf, params: Tensor2D, encoded: Tensor2D): Tensor1D {
    const { mean, logScale } = this.split(tf, params);
    return gaussianLogProb(tf, mean, logScale, encoded);
  }

  entropy(tf: Tf, params: Tensor2D): Tensor1D {
    return gaussianEntropyRows(tf, this.split(tf, params).logScale);
  }

  rsample(tf: Tf, params: Tensor2D, noise: Tensor2D): { action: Tensor2D; logProb: Tensor1D } {
    const { mean, logScale } = this.split(tf, params);
    const action = tf.add(mean, tf.mul(tf.exp(logScale), noise)) as Tensor2D;
    return { action, logProb: gaussianLogProb(tf, mean, logScale, action) };
  }
}

/** Keeps atanh finite at stored actions on the bounds of (-1, 1). */
const SQUASH_EPS = 1e-6;

/**
 * tanh of a diagonal Gaussian (SAC's policy): a = tanh(u), u ~ N(mean, sigma^2), actions in (-1, 1).
 *   log pi(a) = log N(u) - sum_i log(1 - tanh(u_i)^2)
 * with log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)) (exact and stable for large |u|) in
 * `rsample`; `logProb` of stored actions recovers u = atanh(a) with a clipped to 1 - 1e-6 from the
 * bounds and uses log(1 - a^2 + 1e-6).
 */
export class SquashedGaussian extends DiagGaussian {
  override readonly name: ActionDistName = 'SquashedGaussian';

  override sample(params: Float32Array, rows: number, rng: Rng): Float32Array {
    const out = super.sample(params, rows, rng);
    for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]);
    return out;
  }

  override mode(params: Float32Array, rows: number): Float32Array {
    const out = super.mode(params, rows);
    for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]);
    return out;
  }

  override logProb(tf: Tf, params: Tensor2D, encoded: Tensor2D): Tensor1D {
    const a = tf.clipByValue(encoded, -1 + SQUASH_EPS, 1 - SQUASH_EPS) as Tensor2D;
    const u = tf.atanh(a) as Tensor2D;
    const correction = tf.sum(tf.log(tf.add(tf.sub(1, tf.square(a)), SQUASH_EPS)), 1);
    return tf.sub(super.logProb(tf, params, u), correction) as Tensor1D;
  }

  override rsample(tf: Tf, params: Tensor2D, noise: Tensor2D): { action: Tensor2D; logProb: Tensor1D } {
    const { action: u, logProb: logpU } = super.rsample(tf, params, noise);
    const logDet = tf.mul(tf.sub(tf.sub(Math.LN2, u), tf.softplus(tf.mul(u, -2))), 2);
    return { action: tf.tanh(u) as Tensor2D, logProb: tf.sub(logpU, tf.sum(logDet, 1)) as Tensor1D };
  }
}

/**
 * SLM Lab's `GumbelSoftmax` (temperature 1) for Discrete actions: a sample is the Gumbel-max
 * argmax_a (logit_a + g_a) with g_a = -log(E_a), E_a ~ Exponential(1), which is distributed as the
 * Categorical of the logits; log-prob and entropy are the Categorical's (SLM Lab's log_prob of a
 * one-hot action is log_softmax at it). Only the random stream differs from `Categorical`.
 */
export class GumbelSoftmax extends Categorical {
  override readonly name: ActionDistName = 'GumbelSoftmax';

  override sample(params: Float32Array, rows: number, rng: Rng): Int32Array {
    return sampleGumbelMax(params, this.n, rng, new Int32Array(rows));
  }
}

/** SLM Lab's action_pdtype names by action-space kind (the first is `default`). */
const PDTYPES = {
  discrete: ['Categorical', 'Argmax', 'GumbelSoftmax', 'GumbelCategorical', 'RelaxedOneHotCategorical', 'MultiCategorical', 'Bernoulli'],
  box: ['Normal', 'Beta', 'Gumbel', 'LogNormal', 'MultivariateNormal'],
} as const;

export interface ActionDistOptions {
  /** Continuous: a learnable state-independent log-std (net.log_std_init); null: a state-dependent log-scale head. */
  readonly logStd?: Tensor | null;
  /** Prefix of the error line, e.g. 'PPO'. */
  readonly who?: string;
}

/**
 * Checks `action_pdtype` against the action space (AgentConfigError when it does not fit,
 * NotBuiltError `action_pdtype X: not built yet` for an SLM Lab distribution gymlab lacks).
 * Box spaces must be flat.
 */
export function checkActionPdtype(pdtype: string, space: Space, who = 'agent'): void {
  const kind = space.kind;
  const names: readonly string[] = PDTYPES[kind];
  const other: readonly string[] = PDTYPES[kind === 'box' ? 'discrete' : 'box'];
  const label = kind === 'box' ? 'a Box' : 'a Discrete';
  if (pdtype === 'default' || pdtype === names[0]) {
    if (space.kind === 'box' && space.shape.length !== 1) {
      throw new AgentConfigError(`${who}: Box action spaces must be flat, got shape [${space.shape.join(', ')}]`);
    }
    return;
  }
  if (pdtype === 'GumbelSoftmax' && kind === 'discrete') return;
  if (names.includes(pdtype)) {
    throw new NotBuiltError(`action_pdtype ${pdtype}: not built yet`, `${who}: agent.algorithm.action_pdtype '${pdtype}' for ${label} action space; built: default, ${names[0]}${kind === 'discrete' ? ', GumbelSoftmax' : ''}`);
  }
  if (other.includes(pdtype)) {
    throw new AgentConfigError(`${who}: agent.algorithm.action_pdtype '${pdtype}' does not fit ${label} action space; use default or one of ${names.join(', ')}`);
  }
  throw new AgentConfigError(`${who}: agent.algorithm.action_pdtype '${pdtype}' is unknown; use default or one of ${names.join(', ')}`);
}

/** The distribution `action_pdtype` selects for `space` (after `checkActionPdtype`). */
export function makeActionDist(pdtype: string, space: Space, opts: ActionDistOptions = {}): ActionDist {
  checkActionPdtype(pdtype, space, opts.who);
  if (space.kind === 'discrete') return pdtype === 'GumbelSoftmax' ? new GumbelSoftmax(space.n) : new Categorical(space.n);
  return new DiagGaussian({ d: space.size, logStd: opts.logStd ?? null });
}
