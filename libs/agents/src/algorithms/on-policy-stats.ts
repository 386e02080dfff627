/**
 * Running mean and variance over batches (Chan et al.'s parallel update, as SB3's RunningMeanStd),
 * for `normalize_v_targets`. Float64 in JS.
 */
/** Mean of x[0..n) and the sum of squared deviations from it (float64, n >= 1). */
export function meanAndSquaredDeviation(x: ArrayLike<number>, n: number): { mean: number; ssd: number } {
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return { mean: m, ssd: v };
}

export class RunningMeanStd {
  mean = 0;
  var = 1;
  count = 1e-4;

  update(x: ArrayLike<number>): void {
    const n = x.length;
    if (n === 0) return;
    const { mean: m, ssd } = meanAndSquaredDeviation(x, n);
    const v = ssd / n;
    const delta = m - this.mean;
    const tot = this.count + n;
    this.mean += (delta * n) / tot;
    this.var = (this.var * this.count + v * n + (delta * delta * this.count * n) / tot) / tot;
    this.count = tot;
  }

  /** sqrt(var + 1e-8). */
  get std(): number {
    return Math.sqrt(this.var + 1e-8);
  }
}
