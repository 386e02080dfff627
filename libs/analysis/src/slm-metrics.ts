/**
 * SLM Lab v5's fitness metrics (kengz/SLM-Lab, `slm_lab/experiment/analysis.py`: `calc_strength`,
 * `calc_efficiency`, `calc_stability`, `calc_consistency`), computed exactly as its code does,
 * including pandas' handling of missing values: a series is a `number[]` in which NaN marks a
 * missing value; sums and means skip NaN (pandas `skipna`; the sum of nothing is 0, the mean of
 * nothing is NaN); arithmetic on NaN gives NaN. Scalars may come out NaN or ±Infinity, exactly
 * where SLM Lab's would; the public session/trial functions turn those into null.
 *
 * Notation: a session has N checkpoints i = 0..N-1 with mean return R_i, frame f_i and optimizer
 * step count o_i; R_rand is the random-agent baseline of the env.
 */

/** Sum of the non-NaN values (0 when there are none), as pandas `Series.sum()`. */
export function nanSum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) if (!Number.isNaN(x)) s += x;
  return s;
}

/** Mean of the non-NaN values (NaN when there are none), as pandas `Series.mean()`. */
export function nanMean(xs: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const x of xs) {
    if (!Number.isNaN(x)) {
      s += x;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** Sample standard deviation (ddof 1) of the non-NaN values; NaN with fewer than 2, as pandas `std()`. */
export function nanStd(xs: readonly number[]): number {
  const vals = xs.filter((x) => !Number.isNaN(x));
  if (vals.length < 2) return NaN;
  const m = vals.reduce((a, b) => a + b, 0) / vals.length;
  const ss = vals.reduce((a, x) => a + (x - m) * (x - m), 0);
  return Math.sqrt(ss / (vals.length - 1));
}

/** Maximum of the non-NaN values (NaN when there are none), as pandas `Series.max()`. */
export function nanMax(xs: readonly number[]): number {
  let m = NaN;
  for (const x of xs) if (!Number.isNaN(x) && (Number.isNaN(m) || x > m)) m = x;
  return m;
}

/**
 * Strength (`calc_strength`): how far above the random baseline the returns are.
 * local strength  str_i = R_i - R_rand;
 * strength        str   = mean_i str_i   (over checkpoints with a return).
 * Shapes: meanReturns [N] -> localStrengths [N].
 */
export function calcStrength(meanReturns: readonly number[], meanRandomReturn: number): { strength: number; localStrengths: number[] } {
  const localStrengths = meanReturns.map((r) => r - meanRandomReturn);
  return { strength: nanMean(localStrengths), localStrengths };
}

/**
 * Efficiency (`calc_efficiency`) of strength per unit of time t (frames for sample efficiency,
 * optimizer steps for training efficiency). SLM Lab's code (whose docstring writes a different,
 * 1/t-weighted formula) computes:
 *   K = { i : str_i / t_i is finite }      (drops t_i = 0, and missing str_i)
 *   eff = ( sum_{i in K} str_i / t_i ) / ( sum_i str_i )   (the denominator over all non-missing i)
 *   local eff_i = ( sum_{j in K, j <= i} str_j / t_j ) / ( sum_{j <= i} str_j )  for i in K, NaN otherwise.
 * Shapes: localStrengths [N], ts [N] -> localEfficiencies [N].
 */
export function calcEfficiency(localStrengths: readonly number[], ts: readonly number[]): { efficiency: number; localEfficiencies: number[] } {
  if (localStrengths.length !== ts.length) throw new RangeError(`calcEfficiency: ${localStrengths.length} strengths but ${ts.length} times`);
  const ratios = localStrengths.map((s, i) => s / ts[i]);
  const kept = ratios.map((r) => Number.isFinite(r));
  const efficiency = nanSum(ratios.filter((_, i) => kept[i])) / nanSum(localStrengths);
  const localEfficiencies: number[] = [];
  let ratioSum = 0;
  let strSum = 0;
  localStrengths.forEach((s, i) => {
    if (kept[i]) ratioSum += ratios[i];
    if (!Number.isNaN(s)) strSum += s;
    localEfficiencies.push(kept[i] ? ratioSum / strSum : NaN);
  });
  return { efficiency, localEfficiencies };
}

/**
 * Stability (`calc_stability`): 1 minus the fraction of strength lost in drops between
 * consecutive checkpoints.
 *   drop_i = min(str_{i+1} - str_i, 0)                    for i = 0..N-2
 *   sta    = 1 - | sum_i drop_i / sum_i str_i |           (both sums over i = 0..N-2, skipping missing)
 *   local sta_i = 1 - | drop_i / str_i |
 * With N = 1 both sums are 0 and sta is NaN. Shapes: localStrengths [N] -> localStabilities [N-1].
 */
export function calcStability(localStrengths: readonly number[]): { stability: number; localStabilities: number[] } {
  const drops: number[] = [];
  const denoms: number[] = [];
  for (let i = 0; i + 1 < localStrengths.length; i++) {
    const d = localStrengths[i + 1] - localStrengths[i];
    drops.push(Number.isNaN(d) ? NaN : Math.min(d, 0));
    denoms.push(localStrengths[i]);
  }
  const localStabilities = drops.map((d, i) => 1 - Math.abs(d / denoms[i]));
  const stability = 1 - Math.abs(nanSum(drops) / nanSum(denoms));
  return { stability, localStabilities };
}

/**
 * Consistency (`calc_consistency` with `util.calc_srs_mean_std`) across the sessions j of a trial.
 * The sessions' local strengths are truncated to the shortest length M; for each i < M
 *   mean_i = mean_j str_{i,j},  std_i = sample std (ddof 1) over j of str_{i,j}  (NaN with < 2 sessions)
 *   con    = 1 - 2 * sum_i std_i / sum_i mean_i           (sums skipping NaN)
 *   local con_i = 1 - 2 * std_i / mean_i
 * With one session every std_i is NaN, the sum is 0, and con = 1.
 * Shapes: localStrengthsList [S][N_j] -> localConsistencies [M].
 */
export function calcConsistency(localStrengthsList: readonly (readonly number[])[]): { consistency: number; localConsistencies: number[] } {
  if (localStrengthsList.length === 0) throw new RangeError('calcConsistency: no sessions');
  const m = Math.min(...localStrengthsList.map((s) => s.length));
  const means: number[] = [];
  const stds: number[] = [];
  for (let i = 0; i < m; i++) {
    const col = localStrengthsList.map((s) => s[i]);
    means.push(nanMean(col));
    stds.push(nanStd(col));
  }
  const localConsistencies = means.map((mu, i) => 1 - (2 * stds[i]) / mu);
  const consistency = 1 - (2 * nanSum(stds)) / nanSum(means);
  return { consistency, localConsistencies };
}
