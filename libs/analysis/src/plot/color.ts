/** Colours: a qualitative palette for series and the viridis colour scale for values. */

/** Ten distinguishable series colours (the "tab10" qualitative palette). */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** Colour of series i: PALETTE[i mod 10]. */
export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/**
 * Viridis sampled at t = 0, 1/9, ..., 1 (matplotlib's colormap). Ten samples rather than
 * d3-scale-chromatic's 256-entry ramp, which would change the colour of every saved point.
 */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

const hex2 = (v: number): string => Math.round(v).toString(16).padStart(2, '0');

/**
 * Viridis colour of t in [0, 1] (clamped; NaN gives grey): linear interpolation between the ten
 * samples at t = k/9.
 */
export function viridis(t: number): string {
  if (Number.isNaN(t)) return '#999999';
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const a = VIRIDIS[k];
  const b = VIRIDIS[k + 1];
  return '#' + [0, 1, 2].map((j) => hex2(a[j] + f * (b[j] - a[j]))).join('');
}
