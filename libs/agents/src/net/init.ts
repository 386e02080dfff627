/**
 * Weight initialisers with torch.nn.init semantics, computed in JS from a seeded `Rng` so that
 * initial weights are identical on every backend. Matrices are generated in torch's layout
 * `[out, in]` and transposed into tfjs kernels `[in, out]` by the caller.
 */
import { Rng } from '@gymlab/random';
import type { Activation, InitFn } from '@gymlab/spec';

/** torch.nn.init.calculate_gain for the activations SLM Lab specs name. */
export function calculateGain(activation: Activation | null): number {
  switch (activation) {
    case 'relu':
    case 'gelu':
    case 'silu':
      return Math.SQRT2;
    case 'tanh':
      return 5 / 3;
    case 'selu':
      return 3 / 4;
    case 'leakyrelu':
      return Math.sqrt(2 / (1 + 0.01 * 0.01));
    default:
      return 1;
  }
}

export interface LayerInit {
  /** [out * in], torch layout (row = output unit). */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

/**
 * Initial weights of one linear layer.
 * - `null` / `'default'`: torch nn.Linear default, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
 * - any other `init_fn`: torch.nn.init.<init_fn>(weight, gain) and bias 0, as SLM Lab's init_layers.
 *   `kaiming_*` uses the gain of `activation` (relu when it is not relu/leakyrelu).
 */
export function initLinear(fanIn: number, fanOut: number, initFn: InitFn | null, gain: number, rng: Rng): LayerInit {
  const n = fanIn * fanOut;
  const weight = new Float32Array(n);
  const bias = new Float32Array(fanOut);
  const uniform = (bound: number, out: Float32Array): void => {
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-bound, bound);
  };
  const normal = (std: number, out: Float32Array): void => {
    for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
  };
  switch (initFn) {
    case null:
    case 'default': {
      const bound = 1 / Math.sqrt(fanIn);
      uniform(bound, weight);
      uniform(bound, bias);
      break;
    }
    case 'xavier_uniform_':
      uniform(gain * Math.sqrt(6 / (fanIn + fanOut)), weight);
      break;
    case 'xavier_normal_':
      normal(gain * Math.sqrt(2 / (fanIn + fanOut)), weight);
      break;
    case 'kaiming_uniform_':
      uniform(gain * Math.sqrt(3 / fanIn), weight);
      break;
    case 'kaiming_normal_':
      normal(gain / Math.sqrt(fanIn), weight);
      break;
    case 'orthogonal_':
      weight.set(orthogonal(fanOut, fanIn, gain, rng));
      break;
    case 'normal_':
      normal(1, weight);
      break;
    case 'uniform_':
      for (let i = 0; i < n; i++) weight[i] = rng.random();
      break;
  }
  return { weight, bias };
}

/**
 * torch.nn.init.orthogonal_: a (semi-)orthogonal `rows x cols` matrix times `gain`, from the QR
 * decomposition of a standard normal matrix (signs fixed by diag(R)). Row-major Float64Array.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float64Array {
  // Work on the tall orientation: m x k with m >= k; columns of Q are orthonormal.
  const transpose = rows < cols;
  const m = transpose ? cols : rows;
  const k = transpose ? rows : cols;
  // a is m x k, drawn row-major (the draw order is part of the seed's meaning), stored by column so
  // the Gram-Schmidt loops read contiguous memory; the arithmetic and its order are unchanged.
  const q = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) q[j * m + i] = rng.normal();
  // Modified Gram-Schmidt on the k columns; r_jj sign folded in (positive).
  for (let j = 0; j < k; j++) {
    const cj = q.subarray(j * m, j * m + m);
    for (let p = 0; p < j; p++) {
      const cp = q.subarray(p * m, p * m + m);
      let dot = 0;
      for (let i = 0; i < m; i++) dot += cp[i] * cj[i];
      for (let i = 0; i < m; i++) cj[i] -= dot * cp[i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += cj[i] * cj[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) cj[i] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (transpose ? q[r * m + c] : q[c * m + r]);
  }
  return out;
}
