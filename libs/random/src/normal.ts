/**
 * numpy's `random_standard_normal` (numpy/random/src/distributions/distributions.c): a 256-layer
 * ziggurat over one `next_uint64` per try. The low 8 bits pick the layer, bit 8 the sign and
 * bits 9-60 a 52-bit magnitude; the magnitude times the layer's width is the candidate, taken at
 * once when the magnitude is under the layer's threshold (about 99% of draws). Otherwise: in the
 * base layer a draw from the tail beyond r (Marsaglia's exponential method, on `next_double`), in
 * the others a uniform height under the layer, accepted below the density; a rejected try
 * starts again with a new 64-bit draw.
 *
 * Equal to numpy bit for bit with the same tables; the rare second tests call `Math.exp` and
 * `Math.log1p` where numpy calls the C library's `exp` and `log1p`, which can differ in the last
 * bit, so a draw could differ only when a uniform height lands within one ulp of the density
 * (never seen in the tests' draws).
 */
import type { PCG64 } from './pcg64.js';
import { FI, KI, WI, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from './ziggurat-tables.js';

/** 2^23: the low 23 magnitude bits come from the low word. */
const TWO_23 = 8388608;

/** One standard normal variate, drawn as numpy's `Generator.standard_normal()`. */
export function standardNormal(bg: PCG64): number {
  for (;;) {
    bg.nextUint64Halves();
    const hi = bg.hi32;
    const lo = bg.lo32;
    const idx = lo & 0xff;
    const negative = (lo & 0x100) !== 0;
    // rabs = bits 9..60 of the 64-bit draw: 23 bits of the low word, 29 of the high word.
    const rabs = (hi & 0x1fffffff) * TWO_23 + (lo >>> 9);
    const x = negative ? -(rabs * WI[idx]) : rabs * WI[idx];
    if (rabs < KI[idx]) return x;
    if (idx === 0) {
      for (;;) {
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-bg.nextDouble());
        const yy = -Math.log1p(-bg.nextDouble());
        // numpy takes the tail's sign from bit 8 of rabs (bit 17 of the draw).
        if (yy + yy > xx * xx) return (lo & 0x20000) !== 0 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
      }
    }
    if ((FI[idx - 1] - FI[idx]) * bg.nextDouble() + FI[idx] < Math.exp(-0.5 * x * x)) return x;
  }
}
