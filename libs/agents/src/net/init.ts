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
  const a = new Float64Array(m * k);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  // Modified Gram-Schmidt on the k columns of a (m x k, row-major); r_jj sign folded in (positive).
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += a[i * k + p] * a[i * k + j];
      for (let i = 0; i < m; i++) a[i * k + j] -= dot * a[i * k + p];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[i * k + j] * a[i * k + j];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) a[i * k + j] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (transpose ? a[c * k + r] : a[r * k + c]);
  }
  return out;
}
