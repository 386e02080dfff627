import { describe, expect, it } from 'vitest';
import { FAST_ACTIVATIONS, FastArena, FastKernelsUnavailableError, loadFastKernels } from './kernels.js';
import { maxRelError, normRelError, randomArray, refActivation, refGemm, SELU_ALPHA, SELU_SCALE, uniformStream } from './test-utils/reference.js';

const kernels = loadFastKernels();

/** Places arrays in a fresh arena; returns their offsets and views. */
function place(sizes: readonly number[]): { arena: FastArena; at: number[]; view: Float32Array[] } {
  const arena = new FastArena(kernels);
  const at = sizes.map((n) => arena.alloc(n));
  arena.commit();
  return { arena, at, view: sizes.map((n, i) => arena.f32(at[i], n)) };
}

describe('fast kernels: gemm', () => {
  // sizes around the 4 x 8 register tile: multiples, and remainders of 1-3 rows and 1-7 columns
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 4, 2],
    [3, 5, 7],
    [4, 8, 8],
    [5, 3, 9],
    [7, 13, 12],
    [8, 64, 64],
    [17, 33, 31],
    [128, 4, 64],
    [64, 64, 2],
    [129, 65, 66],
  ];
  for (const [M, K, N] of shapes) {
    for (const transA of [false, true]) {
      it(`${transA ? 'A^T B' : 'A B'} ${M}x${K}x${N} equals a plain-JS reference within 1e-5 of the terms' magnitude, for every activation, bias and accumulate`, () => {
        const next = uniformStream(M * 1000 + K * 10 + N + (transA ? 7 : 0));
        for (const act of FAST_ACTIVATIONS) {
          for (const withBias of [false, true]) {
            for (const acc of [false, true]) {
              const A = randomArray(next, M * K, 2);
              const B = randomArray(next, K * N, 2);
              const bias = randomArray(next, N);
              const C0 = randomArray(next, M * N);
              const { arena, at, view } = place([M * K, K * N, N, M * N]);
              view[0].set(A);
              view[1].set(B);
              view[2].set(bias);
              view[3].set(C0);
              const [sm, sk] = transA ? [4, 4 * M] : [4 * K, 4];
              arena.k.gemm(at[0], sm, sk, at[1], at[3], M, K, N, withBias ? at[2] : 0, FAST_ACTIVATIONS.indexOf(act), acc ? 1 : 0);
              const ref = refGemm(A, transA, B, M, K, N, withBias ? bias : null, act, acc ? C0 : null);
              expect(maxRelError(view[3], ref.value, ref.scale), `${act} bias=${withBias} acc=${acc}`).toBeLessThan(1e-5);
            }
          }
        }
      });
    }
  }

  it('leaves memory outside C untouched (no tile writes past a row end)', () => {
    const [M, K, N] = [5, 3, 7];
    const { arena, at, view } = place([M * K, K * N, M * N + 8]);
    view[0].set(randomArray(uniformStream(1), M * K));
    view[1].set(randomArray(uniformStream(2), K * N));
    view[2].fill(42);
    arena.k.gemm(at[0], 4 * K, 4, at[1], at[2], M, K, N, 0, 0, 0);
    expect(Array.from(view[2].subarray(M * N))).toEqual(new Array(8).fill(42));
  });
});

describe('fast kernels: activations and reductions', () => {
  it('tanh is within 1e-6 relative of Math.tanh over [-12, 12] and exact for tiny inputs', () => {
    const n = 24001;
    const { arena, at, view } = place([n]);
    for (let i = 0; i < n; i++) view[0][i] = -12 + (24 * i) / (n - 1);
    const x = Float32Array.from(view[0]);
    arena.k.activate(at[0], n, FAST_ACTIVATIONS.indexOf('tanh'));
    expect(maxRelError(view[0], Array.from(x, Math.tanh))).toBeLessThan(1e-6);
    const tiny = place([3]);
    tiny.view[0].set([1e-5, -3e-4, 0]);
    tiny.arena.k.activate(tiny.at[0], 3, FAST_ACTIVATIONS.indexOf('tanh'));
    expect(Array.from(tiny.view[0])).toEqual(Array.from(new Float32Array([1e-5, -3e-4, 0])));
  });

  it('selu is within 1e-6 of torch.nn.SELU (exact expm1) relative over [-90, 4], including tiny negative inputs', () => {
    const xs = [-90, -87.5, -20, -1, -0.35, -0.34, -1e-3, -1e-6, -1e-30, 0, 1e-6, 0.5, 4];
    for (let i = 0; i <= 2000; i++) xs.push(-10 + i / 200);
    const { arena, at, view } = place([xs.length]);
    view[0].set(xs);
    const x = Float32Array.from(view[0]);
    arena.k.activate(at[0], xs.length, FAST_ACTIVATIONS.indexOf('selu'));
    const want = Array.from(x, (v) => refActivation(v, 'selu'));
    expect(maxRelError(view[0], want)).toBeLessThan(1e-6);
  });

  it('relu, selu and linear forward, and every activation backward from the output, match the reference', () => {
    const n = 103;
    const next = uniformStream(5);
    for (const act of FAST_ACTIVATIONS) {
      const x = randomArray(next, n, 3);
      const g = randomArray(next, n);
      const { arena, at, view } = place([n, n]);
      view[0].set(x);
      view[1].set(g);
      arena.k.activate(at[0], n, FAST_ACTIVATIONS.indexOf(act));
      const y = Array.from(x, (v) => refActivation(v, act));
      expect(maxRelError(view[0], y)).toBeLessThan(1e-6);
      arena.k.activationBackward(at[1], at[0], n, FAST_ACTIVATIONS.indexOf(act));
      // d act / dz: linear 1, relu [z > 0], tanh 1 - y^2, selu scale for z > 0 else scale alpha e^z
      const dz = (z: number, v: number): number =>
        act === 'linear' ? 1 : act === 'relu' ? (v > 0 ? 1 : 0) : act === 'tanh' ? 1 - v * v : z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(z);
      const d = y.map((v, i) => g[i] * dz(x[i], v));
      expect(maxRelError(view[1], d, d.map((v, i) => Math.abs(g[i]) + Math.abs(v)))).toBeLessThan(1e-5);
    }
  });

  it('columnSum, transpose, sumSquares and scale match the reference on sizes not multiple of 4', () => {
    const [M, N] = [9, 7];
    const x = randomArray(uniformStream(9), M * N);
    const { arena, at, view } = place([M * N, N, M * N]);
    view[0].set(x);
    view[1].fill(1);
    arena.k.columnSum(at[0], at[1], M, N, 1);
    const sums = Array.from({ length: N }, (_, n) => 1 + Array.from({ length: M }, (_, m) => x[m * N + n]).reduce((a, b) => a + b, 0));
    expect(maxRelError(view[1], sums, sums.map(() => M + 1))).toBeLessThan(1e-6);
    arena.k.transpose(at[0], at[2], M, N);
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) expect(view[2][n * M + m]).toBe(x[m * N + n]);
    const ss = Array.from(x).reduce((a, v) => a + v * v, 0);
    expect(Math.abs(arena.k.sumSquares(at[0], M * N) - ss) / ss).toBeLessThan(1e-6);
    arena.k.scale(at[0], M * N, 0.5);
    expect(Array.from(view[0])).toEqual(Array.from(x, (v) => Math.fround(v * 0.5)));
  });
});

describe('loadFastKernels', () => {
  it('refuses a missing file with one line saying how to build it', () => {
    expect(() => loadFastKernels('/nonexistent/fast-kernels.wasm')).toThrow(FastKernelsUnavailableError);
    expect(() => loadFastKernels('/nonexistent/fast-kernels.wasm')).toThrow(/^the fast CPU path's kernels are not built \(.*\); run `npm run build`/);
  });
});

describe('fast kernels: batch normalisation passes', () => {
  it.each([
    [5, 7],
    [16, 12],
    [33, 9],
  ])('%i rows x %i columns (SIMD and tail columns): f64 column sums and centred products, normalise + affine + activation, input gradient equal plain JS', (M, N) => {
    const next = uniformStream(M * 100 + N);
    const x = randomArray(next, M * N, 3);
    const b = randomArray(next, M * N, 2);
    const [mu, inv, scale, shift, mg, mgz] = Array.from({ length: 6 }, () => randomArray(next, N, 1));
    const { arena, at, view } = place([M * N, M * N, N, N, N, N, N, N, M * N, M * N, 2 * N, 2 * N]);
    [x, b, mu, inv, scale, shift, mg, mgz].forEach((v, i) => view[i].set(v));
    const f64 = (i: number): Float64Array => new Float64Array(arena.memory.buffer, at[i], N);
    const col = (f: (m: number, j: number) => number): number[] => Array.from({ length: N }, (_, j) => Array.from({ length: M }, (_, m) => f(m, j)).reduce((s, v) => s + v, 0));
    arena.k.columnSum64(at[0], at[10], M, N);
    expect(maxRelError(Array.from(f64(10)), col((m, j) => x[m * N + j]))).toBeLessThan(1e-12);
    f64(11).set(Array.from(mu));
    arena.k.columnDot64(at[0], at[1], at[11], at[10], M, N);
    expect(maxRelError(Array.from(f64(10)), col((m, j) => (x[m * N + j] - mu[j]) * (b[m * N + j] - mu[j])))).toBeLessThan(1e-12);
    arena.k.columnDot64(at[0], at[1], 0, at[10], M, N);
    expect(maxRelError(Array.from(f64(10)), col((m, j) => x[m * N + j] * b[m * N + j]))).toBeLessThan(1e-12);
    for (const act of FAST_ACTIVATIONS) {
      arena.k.normalizeAffine(at[0], at[2], at[3], at[4], at[5], at[8], at[9], M, N, FAST_ACTIVATIONS.indexOf(act));
      const z = Array.from({ length: M * N }, (_, k) => (x[k] - mu[k % N]) * inv[k % N]);
      expect(normRelError(view[8], z)).toBeLessThan(1e-6);
      expect(normRelError(view[9], z.map((zk, k) => refActivation(scale[k % N] * zk + shift[k % N], act))), act).toBeLessThan(1e-6);
    }
    // g = b, z = x, s = scale
    arena.k.normalizeInputGrad(at[1], at[0], at[4], at[6], at[7], at[9], M, N);
    expect(normRelError(view[9], Array.from({ length: M * N }, (_, k) => scale[k % N] * (b[k] - mg[k % N] - x[k] * mgz[k % N])))).toBeLessThan(1e-6);
  });
});
