/**
 * numpy's float32 arithmetic where Gymnasium's MuJoCo rewards use it: actions are float32, so
 * `np.sum(np.square(action))` squares and sums in float32 (numpy's pairwise summation: a plain
 * loop below 8 elements, eight interleaved accumulators from 8 up to its block of 128).
 */
const f = Math.fround;

/** `np.sum(np.square(a))` for a float32 vector, as numpy rounds it. */
export function sumSquaresF32(a: Float32Array): number {
  const n = a.length;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + f(a[i] * a[i]));
    return res;
  }
  if (n > 128) throw new RangeError(`sumSquaresF32: ${n} elements (at most 128)`);
  const sq = (i: number): number => f(a[i] * a[i]);
  let r0 = sq(0), r1 = sq(1), r2 = sq(2), r3 = sq(3), r4 = sq(4), r5 = sq(5), r6 = sq(6), r7 = sq(7);
  let i = 8;
  for (; i < n - (n % 8); i += 8) {
    r0 = f(r0 + sq(i));
    r1 = f(r1 + sq(i + 1));
    r2 = f(r2 + sq(i + 2));
    r3 = f(r3 + sq(i + 3));
    r4 = f(r4 + sq(i + 4));
    r5 = f(r5 + sq(i + 5));
    r6 = f(r6 + sq(i + 6));
    r7 = f(r7 + sq(i + 7));
  }
  let res = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
  for (; i < n; i++) res = f(res + f(a[i] * a[i]));
  return f(0 + res);
}

/**
 * `weight * np.sum(np.square(action))` with a Python float weight: NumPy 2 keeps float32 (the
 * weight is rounded to float32, the product rounded once).
 */
export function controlCost(weight: number, action: Float32Array): number {
  return f(f(weight) * sumSquaresF32(action));
}

/** numpy's pairwise `np.sum(np.square(a))` over float64 values (blocks of 8 accumulators up to 128, halves above). */
export function sumSquaresF64(a: ArrayLike<number>, lo = 0, n = a.length - lo): number {
  if (n < 8) {
    let res = 0;
    for (let i = lo; i < lo + n; i++) res += a[i] * a[i];
    return res;
  }
  if (n <= 128) {
    const sq = (i: number): number => a[i] * a[i];
    let r0 = sq(lo), r1 = sq(lo + 1), r2 = sq(lo + 2), r3 = sq(lo + 3), r4 = sq(lo + 4), r5 = sq(lo + 5), r6 = sq(lo + 6), r7 = sq(lo + 7);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const k = lo + i;
      r0 += sq(k);
      r1 += sq(k + 1);
      r2 += sq(k + 2);
      r3 += sq(k + 3);
      r4 += sq(k + 4);
      r5 += sq(k + 5);
      r6 += sq(k + 6);
      r7 += sq(k + 7);
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += sq(lo + i);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return sumSquaresF64(a, lo, half) + sumSquaresF64(a, lo + half, n - half);
}
