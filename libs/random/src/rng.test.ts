import { describe, expect, it } from 'vitest';
import { PCG64, RNG_STATE_SIZE, Rng, defaultRng } from '@gymlab/random';

/** numpy 2.4.6: `[repr(x) for x in np.random.default_rng(seed).random(20)]` (tools/numpy-random-reference.py). */
const NUMPY_RANDOM: [seed: number | bigint, draws: number[]][] = [
  [
    0,
    [
      0.6369616873214543, 0.2697867137638703, 0.04097352393619469, 0.016527635528529094, 0.8132702392002724, 0.9127555772777217,
      0.6066357757671799, 0.7294965609839984, 0.5436249914654229, 0.9350724237877682, 0.8158535541215322, 0.002738500170148095,
      0.8574042765875693, 0.033585575305464355, 0.7296554464299441, 0.17565562060255901, 0.8631789223498866, 0.5414612202490917,
      0.2997118905373848, 0.42268722119765845,
    ],
  ],
  [
    12345,
    [
      0.22733602246716966, 0.31675833970975287, 0.7973654573327341, 0.6762546707509746, 0.391109550601909, 0.33281392786638453,
      0.5983087535871898, 0.18673418560371335, 0.6727560440146213, 0.9418028652699372, 0.248245714629571, 0.9488811518333182,
      0.6672374531003724, 0.09589793559411208, 0.4418396661678128, 0.8864799193275177, 0.6974534998820221, 0.3264728640701121,
      0.7339281633300665, 0.22013495554548623,
    ],
  ],
  [
    2n ** 63n,
    [
      0.8113443785196867, 0.5964526365028158, 0.8682590770096154, 0.42512580114253495, 0.24949788677302331, 0.22827081255010595,
      0.45825833747036426, 0.8759213674949479, 0.4621837560130321, 0.2122852105098848, 0.8675069671484337, 0.35759171001559154,
      0.6153907474297795, 0.9744900906559932, 0.43110340363926214, 0.4678899448793008, 0.19493163321490947, 0.8839394673965473,
      0.32300047792422226, 0.7404614164832618,
    ],
  ],
];

const draws = (rng: Rng, n: number, f: (r: Rng) => number): number[] => Array.from({ length: n }, () => f(rng));

describe('Rng = numpy default_rng', () => {
  for (const [seed, want] of NUMPY_RANDOM) {
    it(`random(): the first 20 draws of default_rng(${String(seed)})`, () => {
      expect(draws(new Rng(seed), 20, (r) => r.random())).toEqual(want);
    });
  }

  it('PCG64 state after seeding and the first raw 64-bit outputs equal numpy', () => {
    const p = new PCG64(0);
    expect(p.state).toEqual({
      state: 0x1aa1b5345996452d09585eb7a69561e3n,
      inc: 0x418ddadb3af71a82588133bc447873a9n,
      hasUint32: false,
      uinteger: 0,
    });
    expect([p.nextUint64(), p.nextUint64(), p.nextUint64()]).toEqual([0xa30febcfd9c2825fn, 0x4510bdf882d9d721n, 0xa7d3da94ecde8b8n]);
    const q = new PCG64(2n ** 63n);
    expect(q.state.state).toBe(0x19f38fac928ef115ada495ade18f7415n);
    expect(q.state.inc).toBe(0x71efe86c260ef309545d80ba006e813bn);
    expect(q.nextUint64()).toBe(0xcfb443e389167cfdn);
  });

  it('uniform(low, high) equals numpy (default_rng(42))', () => {
    const r = defaultRng(42);
    expect(draws(r, 4, (g) => g.uniform(-0.05, 0.05))).toEqual([
      0.027395604855596334, -0.006112156024794771, 0.03585979199113824, 0.019736802905936393,
    ]);
    expect(r.uniform(-Math.PI, Math.PI)).toBe(-2.5498589250729733);
  });

  it('integers equals numpy on the 32-bit (Lemire), full-32-bit and 64-bit paths, sharing the uint32 buffer', () => {
    const r = new Rng(3);
    expect(draws(r, 12, (g) => g.integers(10))).toEqual([8, 0, 1, 2, 1, 8, 8, 5, 0, 0, 3, 4]);
    expect(draws(r, 2, (g) => g.integers(2 ** 32))).toEqual([2668153314, 2057509658]);
    expect(draws(r, 3, (g) => g.integers(2 ** 40 + 3))).toEqual([175634794052, 807676119475, 124983707656]);
    expect(draws(r, 4, (g) => g.integers(-5, 5))).toEqual([-1, -2, 3, 0]);
    expect(r.random()).toBe(0.4306280204141778);
    expect(new Rng(0).int(1)).toBe(0);
    expect(() => r.integers(0)).toThrow('Rng.integers: [0, 0) (allowed: safe integers with low < high)');
  });

  it('nextUint32 equals numpy integers(0, 2**32, dtype=uint32)', () => {
    expect(draws(new Rng(8), 5, (g) => g.nextUint32())).toEqual([3090441204, 1404335234, 1007195001, 4240321754, 756055013]);
  });

  it('shuffle equals numpy Generator.shuffle', () => {
    const r = new Rng(5);
    expect(r.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([7, 6, 1, 3, 2, 4, 0, 9, 5, 8]);
    expect(r.shuffle(Int32Array.from([0, 1, 2, 3, 4, 5, 6]))).toEqual(Int32Array.from([6, 3, 0, 1, 4, 5, 2]));
    expect(r.random()).toBe(0.6523691115879877);
  });
});

describe('Rng state and other draws', () => {
  const mixed = (r: Rng): number[] => [r.random(), r.nextUint32(), r.normal(), r.int(7), r.uniform(2, 3), r.deriveSeed(), r.normal(0, 2)];

  it('getState -> JSON -> setState continues identically (buffer and stream included)', () => {
    const a = new Rng(11);
    a.nextUint32(); // the uint32 buffer is full
    a.normal();
    const saved = JSON.parse(JSON.stringify(a.getState())) as number[];
    expect(saved).toHaveLength(RNG_STATE_SIZE);
    const b = new Rng(99);
    b.setState(saved);
    expect(b.getState()).toEqual(a.getState());
    expect(b.bitGenerator.state).toEqual(a.bitGenerator.state);
    expect(mixed(b)).toEqual(mixed(a));
  });

  it('the state holds numpy\'s PCG64 state: 128-bit state and increment, uint32 buffer', () => {
    const r = new Rng(0);
    r.nextUint32();
    const st = r.bitGenerator.state;
    const [s0, s1, s2, buffer, i0, i1, i2, hasSpare] = r.getState();
    expect(BigInt(s0) + (BigInt(s1) << 48n) + (BigInt(s2) << 96n)).toBe(st.state);
    expect(BigInt(i0) + (BigInt(i1) << 48n) + (BigInt(i2) << 96n)).toBe(st.inc);
    expect(buffer).toBe(2 ** 32 + st.uinteger);
    expect(hasSpare).toBe(0);
  });

  it('a state saved with a Box-Muller spare normal (older checkpoints) loads; the spare is dropped', () => {
    const a = new Rng(4);
    a.random();
    const old = [...a.getState().slice(0, 7), 1, 0.25];
    const b = new Rng(0);
    b.setState(old);
    expect(b.getState()).toEqual(a.getState());
    expect(b.normal()).toBe(a.normal());
  });

  it('bad states are one-line errors', () => {
    const r = new Rng(0);
    const good = r.getState();
    const withEntry = (i: number, v: number): number[] => good.map((x, j) => (j === i ? v : x));
    expect(() => r.setState([1, 2, 3])).toThrow('Rng.setState: state has 3 numbers (allowed: 9, as getState() gives)');
    expect(() => r.setState(withEntry(0, 0.5))).toThrow('PCG64: state[0] = 0.5 (allowed: an integer in [0, 281474976710656))');
    expect(() => r.setState(withEntry(3, 5))).toThrow(/state\[3\] = 5/);
    expect(() => r.setState(withEntry(4, 2))).toThrow(/odd/);
    expect(() => r.setState(withEntry(8, Number.NaN))).toThrow(/state\[7..8\]/);
  });

  it('normal(): mean 0, variance 1 over many draws; int(n) covers 0..n-1 evenly', () => {
    const r = new Rng(1);
    const xs = draws(r, 20000, (g) => g.normal());
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.03); // sd of the mean 0.007
    expect(Math.abs(v - 1)).toBeLessThan(0.04);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 10000; i++) counts[r.int(5)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(150);
  });
});
