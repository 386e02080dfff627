/** Plain-JS references (f64 arithmetic) and a small seeded generator for the fast path's tests. */

/** A seeded uniform [0, 1) stream (xorshift32 on a nonzero state), enough for test data. */
export function uniformStream(seed: number): () => number {
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** n values uniform in [-scale, scale). */
export function randomArray(next: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * next() - 1) * scale;
  return out;
}

/** torch.nn.SELU's constants. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

export function refActivation(x: number, act: string): number {
  if (act === 'relu') return Math.max(0, x);
  if (act === 'tanh') return Math.tanh(x);
  if (act === 'selu') return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
  return x;
}

/**
 * C = act(op(A) B + bias (+ C0)) in f64, with the magnitude of each element's terms
 * (sum |A B| + |bias| + |C0|), the scale a float32 sum's rounding error is relative to.
 */
export function refGemm(
  A: Float32Array,
  transA: boolean,
  B: Float32Array,
  M: number,
  K: number,
  N: number,
  bias: Float32Array | null,
  act: string,
  C0: Float32Array | null,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = (bias ? bias[n] : 0) + (C0 ? C0[m * N + n] : 0);
      let mag = Math.abs(bias ? bias[n] : 0) + Math.abs(C0 ? C0[m * N + n] : 0);
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + m] : A[m * K + k];
        s += a * B[k * N + n];
        mag += Math.abs(a * B[k * N + n]);
      }
      value[m * N + n] = refActivation(s, act);
      scale[m * N + n] = mag;
    }
  }
  return { value, scale };
}

/** Largest |got - want| / (scale + tiny) over the elements. */
export function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>, scale?: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const s = scale ? scale[i] : Math.abs(want[i]);
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / (s + 1e-30));
  }
  return worst;
}

/** max |got - want| / max |want| over one tensor (the norm-wise relative error). */
export function normRelError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let mag = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    mag = Math.max(mag, Math.abs(want[i]));
  }
  return err / mag;
}
