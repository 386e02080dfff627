import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { conv2dOp, convOutputSize, type Conv2dGeometry } from './conv2d-op.js';

interface Case {
  readonly g: Conv2dGeometry;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly o: number;
  readonly act: 'relu' | 'sigmoid' | null;
}
// SLM Lab's Atari layers (8/4, 4/2, 3/1, valid), its 3x3/1 small-image layer, and padded, dilated,
// uneven and 1x1 variants.
const CASES: readonly Case[] = [
  { g: { kernel: 8, stride: 4, padding: 0, dilation: 1 }, h: 20, w: 24, c: 3, o: 4, act: 'relu' },
  { g: { kernel: 4, stride: 2, padding: 0, dilation: 1 }, h: 9, w: 9, c: 4, o: 5, act: 'relu' },
  { g: { kernel: 3, stride: 1, padding: 0, dilation: 1 }, h: 7, w: 6, c: 2, o: 3, act: null },
  { g: { kernel: 3, stride: 1, padding: 1, dilation: 1 }, h: 5, w: 5, c: 2, o: 3, act: 'sigmoid' },
  { g: { kernel: 3, stride: 2, padding: 1, dilation: 1 }, h: 8, w: 7, c: 3, o: 2, act: 'relu' },
  { g: { kernel: 3, stride: 2, padding: 0, dilation: 1 }, h: 8, w: 8, c: 1, o: 2, act: null },
  { g: { kernel: 3, stride: 1, padding: 2, dilation: 2 }, h: 6, w: 7, c: 2, o: 3, act: 'relu' },
  { g: { kernel: 1, stride: 1, padding: 0, dilation: 1 }, h: 3, w: 4, c: 5, o: 2, act: null },
  { g: { kernel: 3, stride: 2, padding: 1, dilation: 2 }, h: 9, w: 8, c: 2, o: 3, act: 'relu' },
];
const B = 2;

const randn = (n: number, rng: Rng): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

interface Data {
  readonly x: Float32Array;
  readonly k: Float32Array;
  readonly b: Float32Array;
  readonly r: Float32Array;
  readonly oh: number;
  readonly ow: number;
}
function data(cs: Case, seed: number): Data {
  const rng = new Rng(seed);
  const oh = convOutputSize(cs.h, cs.g);
  const ow = convOutputSize(cs.w, cs.g);
  const { kernel: k } = cs.g;
  return { x: randn(B * cs.h * cs.w * cs.c, rng), k: randn(k * k * cs.c * cs.o, rng), b: randn(cs.o, rng), r: randn(B * oh * ow * cs.o, rng), oh, ow };
}

interface Result {
  readonly y: Float64Array | Float32Array;
  readonly dx: Float64Array | Float32Array;
  readonly dk: Float64Array | Float32Array;
  readonly db: Float64Array | Float32Array;
}

/** The value and the gradients of L = sum(y * r), by the op under test. */
function byOp(tf: Tf, cs: Case, d: Data, inputGrad = true): Result {
  const op = conv2dOp(tf, cs.g, { activation: cs.act, inputGrad });
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, [B, cs.h, cs.w, cs.c]);
    const k = tf.tensor4d(d.k, [cs.g.kernel, cs.g.kernel, cs.c, cs.o]);
    const b = tf.tensor1d(d.b);
    const r = tf.tensor4d(d.r, [B, d.oh, d.ow, cs.o]);
    const y = op(x, k, b).dataSync() as Float32Array;
    const [dx, dk, db] = tf.grads((xx: Tensor, kk: Tensor, bb: Tensor) => tf.sum(tf.mul(op(xx as Tensor4D, kk as Tensor4D, bb as Tensor1D), r)))([x, k, b]);
    return { y, dx: dx.dataSync() as Float32Array, dk: dk.dataSync() as Float32Array, db: db.dataSync() as Float32Array };
  });
}

/** The same by tfjs's own conv2d and its registered gradient (cpu backend). */
function byTfjs(tf: Tf, cs: Case, d: Data): Result {
  const { kernel, stride, padding: p, dilation } = cs.g;
  const f = (x: Tensor, k: Tensor, b: Tensor): Tensor => {
    const z = tf.add(tf.conv2d(x as Tensor4D, k as Tensor4D, stride, [[0, 0], [p, p], [p, p], [0, 0]], 'NHWC', dilation), b);
    return cs.act === 'relu' ? tf.relu(z) : cs.act === 'sigmoid' ? tf.sigmoid(z) : z;
  };
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, [B, cs.h, cs.w, cs.c]);
    const k = tf.tensor4d(d.k, [kernel, kernel, cs.c, cs.o]);
    const b = tf.tensor1d(d.b);
    const r = tf.tensor4d(d.r, [B, d.oh, d.ow, cs.o]);
    const y = f(x, k, b).dataSync() as Float32Array;
    const [dx, dk, db] = tf.grads((xx: Tensor, kk: Tensor, bb: Tensor) => tf.sum(tf.mul(f(xx, kk, bb), r)))([x, k, b]);
    return { y, dx: dx.dataSync() as Float32Array, dk: dk.dataSync() as Float32Array, db: db.dataSync() as Float32Array };
  });
}

/** Direct loops in float64 (for dilation > 1, where tfjs's conv2d has no gradient). */
function byLoops(cs: Case, d: Data): Result {
  const { kernel: K, stride: s, padding: p, dilation: dl } = cs.g;
  const { h: H, w: W, c: C, o: O } = cs;
  const { oh, ow } = d;
  const xi = (n: number, i: number, j: number, ch: number): number => ((n * H + i) * W + j) * C + ch;
  const ki = (a: number, b2: number, ch: number, q: number): number => ((a * K + b2) * C + ch) * O + q;
  const y = new Float64Array(B * oh * ow * O);
  const dx = new Float64Array(d.x.length);
  const dk = new Float64Array(d.k.length);
  const db = new Float64Array(O);
  for (let n = 0; n < B; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let q = 0; q < O; q++) {
          let z = d.b[q];
          const at = (fn: (xIdx: number, kIdx: number) => void): void => {
            for (let a = 0; a < K; a++) {
              for (let b2 = 0; b2 < K; b2++) {
                const ii = i * s + a * dl - p;
                const jj = j * s + b2 * dl - p;
                if (ii < 0 || jj < 0 || ii >= H || jj >= W) continue;
                for (let ch = 0; ch < C; ch++) fn(xi(n, ii, jj, ch), ki(a, b2, ch, q));
              }
            }
          };
          at((xI, kI) => (z += d.x[xI] * d.k[kI]));
          const out = cs.act === 'relu' ? Math.max(z, 0) : cs.act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
          const oI = ((n * oh + i) * ow + j) * O + q;
          y[oI] = out;
          const dz = d.r[oI] * (cs.act === 'relu' ? (z > 0 ? 1 : 0) : cs.act === 'sigmoid' ? out * (1 - out) : 1);
          db[q] += dz;
          at((xI, kI) => {
            dx[xI] += dz * d.k[kI];
            dk[kI] += dz * d.x[xI];
          });
        }
      }
    }
  }
  return { y, dx, dk, db };
}

function expectClose(got: Result, want: Result, what: string): void {
  for (const key of ['y', 'dx', 'dk', 'db'] as const) {
    const a = got[key];
    const b = want[key];
    expect(a.length, `${what} ${key} length`).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
    expect(worst, `${what} ${key}`).toBeLessThan(1e-4);
  }
}

const label = (cs: Case): string =>
  `k${cs.g.kernel} s${cs.g.stride} p${cs.g.padding} d${cs.g.dilation} ${cs.h}x${cs.w}x${cs.c}->${cs.o} ${cs.act ?? 'linear'}`;

describe('convOutputSize', () => {
  it("is torch's formula: Atari 84 -> 20 -> 9 -> 7; padding and dilation count", () => {
    expect(convOutputSize(84, { kernel: 8, stride: 4, padding: 0, dilation: 1 })).toBe(20);
    expect(convOutputSize(20, { kernel: 4, stride: 2, padding: 0, dilation: 1 })).toBe(9);
    expect(convOutputSize(9, { kernel: 3, stride: 1, padding: 0, dilation: 1 })).toBe(7);
    expect(convOutputSize(5, { kernel: 3, stride: 1, padding: 1, dilation: 1 })).toBe(5);
    expect(convOutputSize(7, { kernel: 3, stride: 1, padding: 0, dilation: 3 })).toBe(1);
    expect(convOutputSize(6, { kernel: 3, stride: 1, padding: 0, dilation: 3 })).toBe(0);
  });
});

describe('conv2dOp: values and gradients equal tfjs-cpu conv2d (tf.grads; direct loops where it has none)', () => {
  it('on the cpu and the wasm backend, for every geometry', async () => {
    const reference: Result[] = [];
    const cpu = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
    CASES.forEach((cs, i) => {
      const d = data(cs, i);
      const want = cs.g.dilation > 1 ? byLoops(cs, d) : byTfjs(cpu, cs, d);
      if (cs.g.dilation === 1) expectClose(want, byLoops(cs, d), `tfjs vs loops ${label(cs)}`);
      reference.push(want);
      expectClose(byOp(cpu, cs, d), want, `cpu ${label(cs)}`);
    });
    const wasm = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
    expect(wasm.getBackend()).toBe('wasm');
    CASES.forEach((cs, i) => expectClose(byOp(wasm, cs, data(cs, i)), reference[i], `wasm ${label(cs)}`));
  });

  it('inputGrad false: kernel and bias gradients unchanged, zero input gradient', async () => {
    const tf = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
    const cs = CASES[0];
    const d = data(cs, 0);
    const full = byOp(tf, cs, d, true);
    const noX = byOp(tf, cs, d, false);
    expect(Array.from(noX.dk)).toEqual(Array.from(full.dk));
    expect(Array.from(noX.db)).toEqual(Array.from(full.db));
    expect(noX.dx.length).toBe(full.dx.length);
    expect(noX.dx.every((v) => v === 0)).toBe(true);
    expect(full.dx.some((v) => v !== 0)).toBe(true);
  });

  it('refuses an activation it cannot run inside itself', async () => {
    const tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
    expect(() => conv2dOp(tf, CASES[0].g, { activation: 'tanh', inputGrad: true })).toThrow(/tanh/);
  });
});
