import { describe, expect, it } from 'vitest';
import { FAST_ACTIVATIONS, FastArena, FastKernelsUnavailableError, loadFastKernels, loadNativeKernels, type FastKernels } from './kernels.js';
import { kernelKinds, nativeStatus, nativeStatusTitle } from './test-utils/kinds.js';
import { maxRelError, normRelError, randomArray, refActivation, refGemm, SELU_ALPHA, SELU_SCALE, uniformStream } from './test-utils/reference.js';

type Placed = { arena: FastArena; at: number[]; view: Float32Array[] };

/** Places arrays in a fresh arena of `kernels`; returns their offsets and views. */
function placeOn(kernels: FastKernels, sizes: readonly number[]): Placed {
  const arena = new FastArena(kernels);
  const at = sizes.map((n) => arena.alloc(n));
  arena.commit();
  return { arena, at, view: sizes.map((n, i) => arena.f32(at[i], n)) };
}

describe('native kernels: built where they can be', () => {
  it(nativeStatusTitle(), () => {
    const s = nativeStatus();
    // x86-64 with a C++ compiler and Node's headers: the build must have made them, and they load
    if (s.obstacle === null) expect(s.error).toBeNull();
    else expect(s.kernels).toBeNull();
  });
});

describe.each(kernelKinds())('%s kernels', (_kind, kernels) => {
  const place = (sizes: readonly number[]): Placed => placeOn(kernels, sizes);

  describe('gemm', () => {
    // sizes around the register tiles (wasm 4 x 8, native 6 x 16): multiples, and remainders of 1-5 rows and 1-15 columns
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
      [6, 16, 16],
      [13, 7, 23],
      [11, 9, 40],
      [256, 4, 33],
      [13, 37, 3], // native: fewer than 8 columns (output layers) take dot products along K, or whole rows of A^T
      [21, 8, 1],
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

  describe('activations and reductions', () => {
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

  describe('batch normalisation passes', () => {
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
});

describe('loadFastKernels, loadNativeKernels', () => {
  it('refuse a missing file with one line saying how to build it', () => {
    expect(() => loadFastKernels('/nonexistent/fast-kernels.wasm')).toThrow(FastKernelsUnavailableError);
    expect(() => loadFastKernels('/nonexistent/fast-kernels.wasm')).toThrow(/^the fast CPU path's kernels are not built \(.*\); run `npm run build`/);
    expect(() => loadNativeKernels('/nonexistent/fast-kernels.node')).toThrow(FastKernelsUnavailableError);
    expect(() => loadNativeKernels('/nonexistent/fast-kernels.node')).toThrow(/^the native kernels are not built \(\/nonexistent\/fast-kernels.node is missing\); run `npm run build` on x86-64 with a C\+\+ compiler[^\n]*$/);
  });
});

describe('native kernels equal the wasm kernels', () => {
  const native = nativeStatus().kernels;
  const kinds = native === null ? [] : [loadFastKernels(), native];
  /** Runs `run` on a fresh arena of each kind holding the same inputs; returns each kind's views. */
  function onBoth(inputs: readonly Float32Array[], run: (p: Placed) => void): Float32Array[][] {
    return kinds.map((kernels) => {
      const p = placeOn(kernels, inputs.map((v) => v.length));
      inputs.forEach((v, i) => p.view[i].set(v));
      run(p);
      return p.view;
    });
  }

  it.each([
    [7, 13, 23],
    [6, 5, 16],
    [61, 37, 45],
    [256, 4, 256],
    [64, 256, 1],
  ])('gemm %ix%ix%i, A B and A^T B, every activation with bias and accumulate: within 1e-5 of the terms\' magnitude', (M, K, N) => {
    for (const transA of [false, true]) {
      const next = uniformStream(M + K + N);
      const A = randomArray(next, M * K, 2);
      const B = randomArray(next, K * N, 2);
      const bias = randomArray(next, N);
      const C0 = randomArray(next, M * N);
      for (const act of FAST_ACTIVATIONS) {
        const [sm, sk] = transA ? [4, 4 * M] : [4 * K, 4];
        const [wasmC, nativeC] = onBoth([A, B, bias, C0], ({ arena, at }) => arena.k.gemm(at[0], sm, sk, at[1], at[3], M, K, N, at[2], FAST_ACTIVATIONS.indexOf(act), 1)).map((v) => v[3]);
        const { scale } = refGemm(A, transA, B, M, K, N, bias, act, C0);
        expect(maxRelError(nativeC, Array.from(wasmC), scale), `${act} transA=${transA}`).toBeLessThan(1e-5);
      }
    }
  });

  it('the elementwise, reduction and normalisation kernels on 37 x 29 (vector bodies and tails)', () => {
    const [M, N] = [37, 29];
    const next = uniformStream(17);
    const x = randomArray(next, M * N, 3);
    const g = randomArray(next, M * N);
    const vec = Array.from({ length: 5 }, () => randomArray(next, N, 1));
    for (const act of FAST_ACTIVATIONS) {
      const a = FAST_ACTIVATIONS.indexOf(act);
      const [w, n] = onBoth([x, g, ...vec, new Float32Array(M * N), new Float32Array(M * N), new Float32Array(N), new Float32Array(M * N)], ({ arena, at }) => {
        arena.k.activate(at[0], M * N, a);
        arena.k.activationBackward(at[1], at[0], M * N, a);
        arena.k.columnSum(at[1], at[9], M, N, 0);
        arena.k.transpose(at[0], at[10], M, N);
        arena.k.normalizeAffine(at[1], at[2], at[3], at[4], at[5], at[7], at[8], M, N, a);
        arena.k.normalizeInputGrad(at[1], at[7], at[4], at[5], at[6], at[8], M, N);
        arena.k.scale(at[1], M * N, 0.75);
      });
      // norm-wise: 1 - y^2 cancels near |y| = 1, so a few ulp of tanh are large relative to one element
      for (const i of [0, 1, 7, 8, 9, 10]) expect(normRelError(n[i], Array.from(w[i])), `${act} output ${i}`).toBeLessThan(1e-5);
    }
  });

  it('adam (coupled and decoupled weight decay) and sumSquares on 1001 values', () => {
    const next = uniformStream(23);
    const n = 1001;
    const p = randomArray(next, n);
    const g = randomArray(next, n);
    const m = randomArray(next, n, 0.1);
    const v = Float32Array.from(randomArray(next, n, 0.01), Math.abs);
    for (const decoupled of [0, 1]) {
      const sums: number[] = [];
      const [w, nat] = onBoth([p, g, m, v], ({ arena, at }) => {
        arena.k.adam(at[0], at[1], at[2], at[3], n, 1e-3, 0.9, 0.999, 1e-8, 1e-3 / 0.1, Math.sqrt(1 - 0.999), 0.01, decoupled);
        sums.push(arena.k.sumSquares(at[0], n));
      });
      for (const i of [0, 2, 3]) expect(normRelError(nat[i], Array.from(w[i])), `decoupled=${decoupled} buffer ${i}`).toBeLessThan(1e-6);
      expect(Math.abs(sums[1] - sums[0]) / sums[0]).toBeLessThan(1e-6);
    }
  });

  it('the f64 column sums are the same numbers (same order of additions)', () => {
    const [M, N] = [45, 11];
    const next = uniformStream(31);
    const [a, b] = [randomArray(next, M * N, 2), randomArray(next, M * N, 2)];
    const mu = new Float32Array(new Float64Array(Array.from({ length: N }, () => next() - 0.5)).buffer);
    const out = kinds.map((kernels) => {
      const { arena, at, view } = placeOn(kernels, [M * N, M * N, 2 * N, 2 * N, 2 * N]);
      view[0].set(a);
      view[1].set(b);
      view[2].set(mu);
      arena.k.columnSum64(at[0], at[3], M, N);
      arena.k.columnDot64(at[0], at[1], at[2], at[4], M, N);
      return [...new Float64Array(arena.memory.buffer, at[3], N), ...new Float64Array(arena.memory.buffer, at[4], N)];
    });
    if (native !== null) expect(out[1]).toEqual(out[0]);
  });
});
