/**
 * numpy's `SeedSequence` (numpy/random/bit_generator.pyx), bit for bit: the entropy is split into
 * 32-bit words (lowest first), hashed into a pool of 4 words, and `generateState` hashes the pool
 * out into as many words as a bit generator needs. `new SeedSequence(s).generateState(4, 'uint64')`
 * equals numpy's `SeedSequence(s).generate_state(4, np.uint64)` for every non-negative integer `s`
 * (also beyond 2^32 and 2^63, given as a bigint) and every sequence of them.
 */

/** Entropy: a non-negative integer (a safe-integer number or a bigint), or a sequence of them. */
export type Entropy = number | bigint | readonly (number | bigint)[];

export interface SeedSequenceOptions {
  /** numpy's `spawn_key`: the path of this sequence among spawned children. Default []. */
  readonly spawnKey?: readonly (number | bigint)[];
  /** Words in the entropy pool (at least 4, numpy's default). */
  readonly poolSize?: number;
}

const DEFAULT_POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
/** Half the bits of a uint32. */
const XSHIFT = 16;
const TWO_32 = 4294967296;

/** The 32-bit words of one non-negative integer, lowest first; 0 is one word [0] (numpy's rule). */
function integerWords(x: number | bigint, what: string): number[] {
  if (typeof x === 'bigint') {
    if (x < 0n) throw new RangeError(`SeedSequence: ${what} = ${x} (allowed: a non-negative integer)`);
    const out: number[] = [];
    do {
      out.push(Number(x & 0xffffffffn));
      x >>= 32n;
    } while (x > 0n);
    return out;
  }
  if (!Number.isSafeInteger(x) || x < 0) {
    throw new RangeError(`SeedSequence: ${what} = ${x} (allowed: a non-negative integer below 2^53, or a bigint)`);
  }
  const out: number[] = [];
  do {
    out.push(x % TWO_32);
    x = Math.floor(x / TWO_32);
  } while (x > 0);
  return out;
}

/** numpy's `_coerce_to_uint32_array` for integers and sequences of integers. */
export function entropyWords(entropy: Entropy, what = 'entropy'): number[] {
  if (typeof entropy === 'number' || typeof entropy === 'bigint') return integerWords(entropy, what);
  return entropy.flatMap((x, i) => integerWords(x, `${what}[${i}]`));
}

/** The running multiplier of numpy's `hashmix` (input-output in numpy's C code). */
class HashMix {
  private h: number;

  constructor(init: number) {
    this.h = init;
  }

  next(value: number): number {
    let v = (value ^ this.h) >>> 0;
    this.h = Math.imul(this.h, MULT_A) >>> 0;
    v = Math.imul(v, this.h) >>> 0;
    return (v ^ (v >>> XSHIFT)) >>> 0;
  }
}

function mix(x: number, y: number): number {
  const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (r ^ (r >>> XSHIFT)) >>> 0;
}

/** numpy's `mix_entropy`: hashes `entropy` into `pool` (in place). */
function mixEntropy(pool: Uint32Array, entropy: readonly number[]): void {
  const hash = new HashMix(INIT_A);
  const n = pool.length;
  for (let i = 0; i < n; i++) pool[i] = hash.next(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < n; src++) {
    for (let dst = 0; dst < n; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hash.next(pool[src]));
    }
  }
  for (let src = n; src < entropy.length; src++) {
    for (let dst = 0; dst < n; dst++) pool[dst] = mix(pool[dst], hash.next(entropy[src]));
  }
}

export class SeedSequence {
  readonly entropy: Entropy;
  readonly spawnKey: readonly (number | bigint)[];
  readonly poolSize: number;
  /** The hashed entropy pool (numpy's `pool`). */
  readonly pool: Uint32Array;
  private childrenSpawned = 0;

  constructor(entropy: Entropy, options: SeedSequenceOptions = {}) {
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    if (!Number.isInteger(poolSize) || poolSize < DEFAULT_POOL_SIZE) {
      throw new RangeError(`SeedSequence: poolSize = ${poolSize} (allowed: an integer >= ${DEFAULT_POOL_SIZE})`);
    }
    this.entropy = typeof entropy === 'object' ? Object.freeze([...entropy]) : entropy;
    this.spawnKey = Object.freeze([...(options.spawnKey ?? [])]);
    this.poolSize = poolSize;
    this.pool = new Uint32Array(poolSize);
    mixEntropy(this.pool, this.assembledEntropy());
  }

  /** numpy's `get_assembled_entropy`: run entropy (zero-padded to the pool when spawned), then the spawn key. */
  private assembledEntropy(): number[] {
    const run = entropyWords(this.entropy);
    const spawn = entropyWords(this.spawnKey, 'spawnKey');
    if (spawn.length > 0) while (run.length < this.poolSize) run.push(0);
    return run.concat(spawn);
  }

  /** `nWords` 32-bit words of state (numpy's `generate_state(n_words, np.uint32)`). */
  generateWords(nWords: number): Uint32Array {
    if (!Number.isInteger(nWords) || nWords < 0) throw new RangeError(`SeedSequence: nWords = ${nWords} (allowed: an integer >= 0)`);
    const out = new Uint32Array(nWords);
    let h = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let v = (this.pool[i % this.poolSize] ^ h) >>> 0;
      h = Math.imul(h, MULT_B) >>> 0;
      v = Math.imul(v, h) >>> 0;
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return out;
  }

  /**
   * numpy's `generate_state(n_words, dtype)`. A uint64 word k is the 32-bit words 2k (low half)
   * and 2k+1 (high half), as numpy views them little-endian.
   */
  generateState(nWords: number, dtype?: 'uint32'): Uint32Array;
  generateState(nWords: number, dtype: 'uint64'): BigUint64Array;
  generateState(nWords: number, dtype: 'uint32' | 'uint64' = 'uint32'): Uint32Array | BigUint64Array {
    if (dtype === 'uint32') return this.generateWords(nWords);
    const w = this.generateWords(2 * nWords);
    const out = new BigUint64Array(nWords);
    for (let k = 0; k < nWords; k++) out[k] = (BigInt(w[2 * k + 1]) << 32n) | BigInt(w[2 * k]);
    return out;
  }

  /** numpy's `spawn(n)`: children whose spawn keys extend this one's with 0, 1, ... (counting on across calls). */
  spawn(n: number): SeedSequence[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`SeedSequence: spawn(${n}) (allowed: an integer >= 0)`);
    const first = this.childrenSpawned;
    this.childrenSpawned += n;
    return Array.from(
      { length: n },
      (_, i) => new SeedSequence(this.entropy, { spawnKey: [...this.spawnKey, first + i], poolSize: this.poolSize }),
    );
  }
}
