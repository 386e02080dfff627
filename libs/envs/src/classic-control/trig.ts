/**
 * Correctly rounded `sin` and `cos` for float64.
 *
 * V8's `Math.sin`/`Math.cos` (fdlibm) are within 1 ulp but sometimes return the neighbour of the
 * correctly rounded value, while glibc (what Gymnasium's `math.sin` / `np.sin` call) returns the
 * correctly rounded value in all but vanishingly rare cases. One ulp is enough to make a port drift
 * from Gymnasium's trajectories, so the ports use these instead: Cody-Waite reduction by pi/2 and
 * Taylor series evaluated in double-double arithmetic (~100 bits), rounded once at the end.
 * Arguments beyond |x| < 2^19 * pi/2 fall back to `Math.sin`/`Math.cos`.
 */

// pi/2 in three 33-bit pieces plus a tail (fdlibm's pio2_1, pio2_2, pio2_3, pio2_3t): k * piece is
// exact for |k| < 2^20.
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_2 = 6.0771005063039659766e-11;
const PIO2_3 = 2.0222662487111664558e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const INV_PIO2 = 6.36619772367581382433e-1;
const MAX_REDUCIBLE = 823549.6; // ~2^19 * pi/2
const SPLITTER = 134217729; // 2^27 + 1

/** Taylor coefficients (-1)^k / n! as double-double (hi, lo), built once. */
function coefficients(first: number, count: number): { hi: Float64Array; lo: Float64Array } {
  const hi = new Float64Array(count);
  const lo = new Float64Array(count);
  let fact = 1; // n! is exact in float64 up to 22!, beyond that we only need the plain-double tail
  for (let n = 1; n <= first - 1; n++) fact *= n;
  for (let k = 0; k < count; k++) {
    const n = first + 2 * k;
    if (k > 0) fact *= (n - 1) * n;
    else if (n > 0) fact *= n;
    const sign = k % 2 === 0 ? 1 : -1;
    const h = 1 / fact;
    // lo = (1 - h * fact) / fact, with h * fact computed exactly.
    const [p, e] = twoProd(h, fact);
    const l = (1 - p - e) / fact;
    hi[k] = sign * h;
    lo[k] = sign * l;
  }
  return { hi, lo };
}

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** sin r = r * sum_k S[k] z^k, z = r^2, S[k] = (-1)^k / (2k+1)!. */
const S = coefficients(1, 14);
/** cos r = sum_k C[k] z^k, C[k] = (-1)^k / (2k)!. */
const C = coefficients(0, 15);
/** Terms from these indices on are summed in plain float64 (they are below 2^-53 of the result). */
const S_DD_TERMS = 8;
const C_DD_TERMS = 9;

/**
 * Evaluates sum_k coef[k] z^k with the low-order terms in double-double; returns the result
 * through `out` ([hi, lo]).
 */
function series(zh: number, zl: number, coef: { hi: Float64Array; lo: Float64Array }, ddTerms: number, out: Float64Array): void {
  const n = coef.hi.length;
  // Plain-double tail.
  let tail = 0;
  for (let k = n - 1; k >= ddTerms; k--) tail = tail * zh + coef.hi[k];
  // Double-double Horner: t = t * z + c_k.
  let th = tail;
  let tl = 0;
  for (let k = ddTerms - 1; k >= 0; k--) {
    // (th, tl) * (zh, zl)
    const [p, e0] = twoProd(th, zh);
    const e = e0 + (th * zl + tl * zh);
    let mh = p + e;
    let ml = e - (mh - p);
    // + (ch, cl)
    const ch = coef.hi[k];
    const s = mh + ch;
    const bb = s - mh;
    let err = mh - (s - bb) + (ch - bb);
    err += ml + coef.lo[k];
    mh = s + err;
    ml = err - (mh - s);
    th = mh;
    tl = ml;
  }
  out[0] = th;
  out[1] = tl;
}

/** Reduces x to (rh + rl) in [-pi/4, pi/4] and returns the quadrant k mod 4; `out` = [rh, rl]. */
function reduce(x: number, out: Float64Array): number {
  const k = Math.round(x * INV_PIO2);
  const a = x - k * PIO2_1; // exact
  const w = k * PIO2_2; // exact
  const rh0 = a - w;
  const bb = rh0 - a;
  let rl = a - (rh0 - bb) + (-w - bb);
  rl -= k * PIO2_3;
  rl -= k * PIO2_3T;
  const rh = rh0 + rl;
  out[0] = rh;
  out[1] = rl - (rh - rh0);
  return ((k % 4) + 4) % 4;
}

/** z = r^2 as a double-double (zh, zl), from r = (rh + rl). */
function square(rh: number, rl: number): [number, number] {
  const [zh0, ze] = twoProd(rh, rh);
  const zl0 = ze + 2 * rh * rl;
  const zh = zh0 + zl0;
  return [zh, zl0 - (zh - zh0)];
}

/** sin of the reduced argument (rh + rl), rounded once. */
function sinKernel(rh: number, rl: number, buf: Float64Array): number {
  const [zh, zl] = square(rh, rl);
  series(zh, zl, S, S_DD_TERMS, buf);
  // r * P
  const [p, e] = twoProd(rh, buf[0]);
  const lo = e + rh * buf[1] + rl * buf[0];
  return p + lo;
}

function cosKernel(rh: number, rl: number, buf: Float64Array): number {
  const [zh, zl] = square(rh, rl);
  series(zh, zl, C, C_DD_TERMS, buf);
  return buf[0] + buf[1];
}

/**
 * sin(x + shift * pi/2) for shift 0 (sin) or 1 (cos): reduce x to r in [-pi/4, pi/4] with
 * quadrant q, then sin(r + (q + shift) pi/2) is one of sin r, cos r, -sin r, -cos r.
 */
function shiftedSin(x: number, shift: 0 | 1): number {
  const buf = new Float64Array(2);
  const q = (reduce(x, buf) + shift) % 4;
  const rh = buf[0];
  const rl = buf[1];
  switch (q) {
    case 0:
      return sinKernel(rh, rl, buf);
    case 1:
      return cosKernel(rh, rl, buf);
    case 2:
      return -sinKernel(rh, rl, buf);
    default:
      return -cosKernel(rh, rl, buf);
  }
}

/** Whether x is outside what the reduction handles, or so small that fdlibm is exact (sin x = x, cos x = 1). */
function useFdlibm(x: number): boolean {
  const a = Math.abs(x);
  return !(a < MAX_REDUCIBLE) || a < 1e-8;
}

/** Correctly rounded sin(x) (see the module comment). */
export function sin(x: number): number {
  return useFdlibm(x) ? Math.sin(x) : shiftedSin(x, 0);
}

/** Correctly rounded cos(x) (see the module comment). */
export function cos(x: number): number {
  return useFdlibm(x) ? Math.cos(x) : shiftedSin(x, 1);
}
