/**
 * numpy's PCG64 bit generator (numpy/random/src/pcg64): a 128-bit LCG
 * `state <- state * M + inc (mod 2^128)` with PCG's default 128-bit multiplier M, whose output is
 * XSL-RR: `rotr64(high64(state) ^ low64(state), state >> 122)`, computed after each step.
 * Seeding is numpy's `pcg64_set_seed`: from the 4 uint64 words w of
 * `SeedSequence(seed).generate_state(4, uint64)`, initstate = (w0 << 64) | w1,
 * initseq = (w2 << 64) | w3, inc = (initseq << 1) | 1; state = 0, step, state += initstate, step.
 * `nextUint32` keeps numpy's buffer: one 64-bit draw gives its low half now and its high half on
 * the next call.
 *
 * Arithmetic: the state and increment are held as eight 16-bit limbs each (least significant
 * first), so a step is 36 small products summed exactly in float64; no BigInt per draw.
 */
import { SeedSequence, type Entropy } from './seed-sequence.js';

// M = 0x2360ed051fc65da4_4385df649fccf645 (numpy's PCG_DEFAULT_MULTIPLIER_128) in 16-bit limbs.
const M0 = 0xf645;
const M1 = 0x9fcc;
const M2 = 0xdf64;
const M3 = 0x4385;
const M4 = 0x5da4;
const M5 = 0x1fc6;
const M6 = 0xed05;
const M7 = 0x2360;
const INV_2_16 = 1 / 65536;
const TWO_16 = 65536;
const TWO_32 = 4294967296;
const TWO_48 = 281474976710656;
/** 2^-53: `(x >> 11) * 2^-53` is numpy's `next_double`. */
const INV_2_53 = 1 / 9007199254740992;

/** numpy's `PCG64.state['state']` plus the uint32 buffer, as numpy reports them. */
export interface PCG64State {
  /** The 128-bit LCG state. */
  readonly state: bigint;
  /** The 128-bit increment (odd): the stream. */
  readonly inc: bigint;
  readonly hasUint32: boolean;
  readonly uinteger: number;
}

/**
 * The state as 7 JSON-safe integers: LCG state in 48-, 48- and 32-bit pieces (lowest first), the
 * uint32 buffer (`2^32 + uinteger` when full, else 0), and the increment in the same 3 pieces.
 */
export type PCG64Numbers = readonly [s0: number, s1: number, s2: number, buffer: number, i0: number, i1: number, i2: number];

export class PCG64 {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private s4 = 0;
  private s5 = 0;
  private s6 = 0;
  private s7 = 0;
  private c0 = 1;
  private c1 = 0;
  private c2 = 0;
  private c3 = 0;
  private c4 = 0;
  private c5 = 0;
  private c6 = 0;
  private c7 = 0;
  /** High and low 32 bits of the last 64-bit output. */
  private outHi = 0;
  private outLo = 0;
  private hasUint32 = false;
  private uinteger = 0;

  /** Seeded as numpy's `PCG64(seed)` (a SeedSequence is built from plain entropy). */
  constructor(seed: Entropy | SeedSequence) {
    const seq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    const w = seq.generateWords(8);
    // uint64 word k = (w[2k+1] << 32) | w[2k]; initstate = (word0 << 64) | word1.
    const initState = limbsOf([w[2], w[3], w[0], w[1]]);
    const initSeq = limbsOf([w[6], w[7], w[4], w[5]]);
    const inc = new Array<number>(8);
    for (let k = 0; k < 8; k++) inc[k] = ((initSeq[k] << 1) & 0xffff) | (k > 0 ? initSeq[k - 1] >>> 15 : 1);
    this.setLimbs(new Array<number>(8).fill(0), inc);
    this.step();
    this.setLimbs(add128(this.stateLimbs(), initState), inc);
    this.step();
  }

  /** One LCG step; the XSL-RR output of the new state goes to outHi/outLo. */
  private step(): void {
    const { s0, s1, s2, s3, s4, s5, s6, s7 } = this;
    // Limb k of s * M + inc: sum over i + j = k of s_i * M_j (each < 2^32), plus inc_k and the carry.
    let t = s0 * M0 + this.c0;
    const n0 = t & 0xffff;
    let carry = (t - n0) * INV_2_16;
    t = s0 * M1 + s1 * M0 + this.c1 + carry;
    const n1 = t & 0xffff;
    carry = (t - n1) * INV_2_16;
    t = s0 * M2 + s1 * M1 + s2 * M0 + this.c2 + carry;
    const n2 = t & 0xffff;
    carry = (t - n2) * INV_2_16;
    t = s0 * M3 + s1 * M2 + s2 * M1 + s3 * M0 + this.c3 + carry;
    const n3 = t & 0xffff;
    carry = (t - n3) * INV_2_16;
    t = s0 * M4 + s1 * M3 + s2 * M2 + s3 * M1 + s4 * M0 + this.c4 + carry;
    const n4 = t & 0xffff;
    carry = (t - n4) * INV_2_16;
    t = s0 * M5 + s1 * M4 + s2 * M3 + s3 * M2 + s4 * M1 + s5 * M0 + this.c5 + carry;
    const n5 = t & 0xffff;
    carry = (t - n5) * INV_2_16;
    t = s0 * M6 + s1 * M5 + s2 * M4 + s3 * M3 + s4 * M2 + s5 * M1 + s6 * M0 + this.c6 + carry;
    const n6 = t & 0xffff;
    carry = (t - n6) * INV_2_16;
    t = s0 * M7 + s1 * M6 + s2 * M5 + s3 * M4 + s4 * M3 + s5 * M2 + s6 * M1 + s7 * M0 + this.c7 + carry;
    const n7 = t & 0xffff;
    this.s0 = n0;
    this.s1 = n1;
    this.s2 = n2;
    this.s3 = n3;
    this.s4 = n4;
    this.s5 = n5;
    this.s6 = n6;
    this.s7 = n7;
    // XSL-RR: x = high64 ^ low64, rotated right by the top 6 bits of the state.
    const xh = ((n7 << 16) | n6) ^ ((n3 << 16) | n2);
    const xl = ((n5 << 16) | n4) ^ ((n1 << 16) | n0);
    const rot = n7 >>> 10;
    const r = rot & 31;
    let hi: number;
    let lo: number;
    if (r === 0) {
      hi = xh;
      lo = xl;
    } else {
      hi = (xh >>> r) | (xl << (32 - r));
      lo = (xl >>> r) | (xh << (32 - r));
    }
    if (rot >= 32) {
      this.outHi = lo >>> 0;
      this.outLo = hi >>> 0;
    } else {
      this.outHi = hi >>> 0;
      this.outLo = lo >>> 0;
    }
  }

  /** numpy's `next_double`: `(next_uint64 >> 11) * 2^-53`, uniform in [0, 1). */
  nextDouble(): number {
    this.step();
    return (this.outHi * 2097152 + (this.outLo >>> 11)) * INV_2_53;
  }

  /** numpy's `next_uint32` (buffered: low half of a fresh 64-bit draw, then its high half). */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.step();
    this.hasUint32 = true;
    this.uinteger = this.outHi;
    return this.outLo;
  }

  /**
   * numpy's `next_uint64` without a BigInt: one step, whose 64-bit output is then read from
   * `hi32` and `lo32` (until the next draw).
   */
  nextUint64Halves(): void {
    this.step();
  }

  /** High 32 bits of the latest 64-bit output. */
  get hi32(): number {
    return this.outHi;
  }

  /** Low 32 bits of the latest 64-bit output. */
  get lo32(): number {
    return this.outLo;
  }

  /** numpy's `next_uint64` (as a bigint: for tests and rare wide draws, not hot loops). */
  nextUint64(): bigint {
    this.step();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** The state as numpy's `bit_generator.state` reports it. */
  get state(): PCG64State {
    return {
      state: bigOf(this.stateLimbs()),
      inc: bigOf(this.incLimbs()),
      hasUint32: this.hasUint32,
      uinteger: this.hasUint32 ? this.uinteger : 0,
    };
  }

  set state(st: PCG64State) {
    if ((st.inc & 1n) !== 1n || st.inc >> 128n !== 0n || st.state < 0n || st.state >> 128n !== 0n || st.inc < 0n) {
      throw new RangeError('PCG64: state and inc must be 128-bit unsigned integers, inc odd');
    }
    this.setLimbs(limbsOfBig(st.state), limbsOfBig(st.inc));
    this.hasUint32 = st.hasUint32;
    this.uinteger = st.uinteger >>> 0;
  }

  /** The state as 7 JSON-safe integers (see {@link PCG64Numbers}). */
  toNumbers(): PCG64Numbers {
    const [a, b, c] = packLimbs(this.stateLimbs());
    const [d, e, f] = packLimbs(this.incLimbs());
    return [a, b, c, this.hasUint32 ? TWO_32 + this.uinteger : 0, d, e, f];
  }

  /** Restores `toNumbers()` output. */
  fromNumbers(v: readonly number[]): void {
    if (v.length !== 7) throw new RangeError(`PCG64: state needs 7 numbers, got ${v.length}`);
    const limits = [TWO_48, TWO_48, TWO_32, TWO_32 + TWO_32, TWO_48, TWO_48, TWO_32];
    for (let i = 0; i < 7; i++) {
      if (!Number.isInteger(v[i]) || v[i] < 0 || v[i] >= limits[i]) {
        throw new RangeError(`PCG64: state[${i}] = ${v[i]} (allowed: an integer in [0, ${limits[i]}))`);
      }
    }
    if (v[3] !== 0 && v[3] < TWO_32) throw new RangeError(`PCG64: state[3] = ${v[3]} (allowed: 0 or 2^32 + a uint32)`);
    const inc = unpackLimbs(v[4], v[5], v[6]);
    if ((inc[0] & 1) !== 1) throw new RangeError(`PCG64: state[4] = ${v[4]} (allowed: an odd integer, the increment is odd)`);
    this.setLimbs(unpackLimbs(v[0], v[1], v[2]), inc);
    this.hasUint32 = v[3] !== 0;
    this.uinteger = this.hasUint32 ? v[3] - TWO_32 : 0;
  }

  private stateLimbs(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.s4, this.s5, this.s6, this.s7];
  }

  private incLimbs(): number[] {
    return [this.c0, this.c1, this.c2, this.c3, this.c4, this.c5, this.c6, this.c7];
  }

  private setLimbs(s: readonly number[], c: readonly number[]): void {
    [this.s0, this.s1, this.s2, this.s3, this.s4, this.s5, this.s6, this.s7] = s;
    [this.c0, this.c1, this.c2, this.c3, this.c4, this.c5, this.c6, this.c7] = c;
  }
}

/** 16-bit limbs (lowest first) of a 128-bit value given as four uint32 words, lowest first. */
function limbsOf(words: readonly number[]): number[] {
  return words.flatMap((w) => [w & 0xffff, w >>> 16]);
}

function add128(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(8);
  let carry = 0;
  for (let k = 0; k < 8; k++) {
    const t = a[k] + b[k] + carry;
    out[k] = t & 0xffff;
    carry = t >>> 16;
  }
  return out;
}

function bigOf(limbs: readonly number[]): bigint {
  let x = 0n;
  for (let k = 7; k >= 0; k--) x = (x << 16n) | BigInt(limbs[k]);
  return x;
}

function limbsOfBig(x: bigint): number[] {
  return Array.from({ length: 8 }, (_, k) => Number((x >> BigInt(16 * k)) & 0xffffn));
}

/** Limbs 0-2, 3-5 and 6-7 as three integers below 2^48, 2^48 and 2^32. */
function packLimbs(l: readonly number[]): [number, number, number] {
  return [l[0] + l[1] * TWO_16 + l[2] * TWO_32, l[3] + l[4] * TWO_16 + l[5] * TWO_32, l[6] + l[7] * TWO_16];
}

function unpackLimbs(a: number, b: number, c: number): number[] {
  const three = (x: number): number[] => [x % TWO_16, Math.floor(x / TWO_16) % TWO_16, Math.floor(x / TWO_32)];
  return [...three(a), ...three(b), c % TWO_16, Math.floor(c / TWO_16)];
}
