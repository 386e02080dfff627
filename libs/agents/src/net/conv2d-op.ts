/**
 * A 2-D convolution layer (conv + bias + activation) as one `tf.customGrad` op whose backward pass
 * is built from forward convolutions, so it trains on every backend: tfjs-wasm has no
 * `Conv2DBackpropFilter` kernel (tfjs's own conv2d gradient throws there), while its forward
 * Conv2D (XNNPACK) is fast. Both gradients are correlations, which a forward conv computes.
 *
 * Layout is NHWC: x [B, H, W, C], kernel [k, k, C, O], output [B, OH, OW, O]. Geometry follows
 * torch's nn.Conv2d: symmetric zero `padding`, `stride`, `dilation`, square kernels, and
 * OH = floor((H + 2 padding - dilation (k - 1) - 1) / stride) + 1.
 *
 * - forward: tfjs's fused conv2d on the zero-padded input (its own kernel on each backend; im2col +
 *   matMul when both stride and dilation exceed 1, which tfjs's conv2d refuses);
 * - backward, with dz the gradient before the activation: dBias = sum dz; dKernel and dx as two
 *   more native conv2d calls (`kernelGrad`, `inputGrad`), never tfjs's Conv2DBackpropFilter nor
 *   its slow Conv2DBackpropInput on wasm.
 */
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { Activation } from '@gymlab/spec';
import { activationGradFromOutput, fusedActivation } from './activation.js';

/** One conv layer's geometry, torch nn.Conv2d semantics (square kernel). */
export interface Conv2dGeometry {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** Output height (or width) of a conv layer on an input of `size`; < 1 when the kernel does not fit. */
export function convOutputSize(size: number, g: Conv2dGeometry): number {
  return Math.floor((size + 2 * g.padding - g.dilation * (g.kernel - 1) - 1) / g.stride) + 1;
}

export interface Conv2dOpOptions {
  /**
   * Activation applied inside the op (null/'linear': none). Only activations tfjs can fuse into
   * conv2d and whose derivative is a function of the output (relu, elu, sigmoid, leakyrelu); apply
   * others after the op.
   */
  readonly activation: Activation | null;
  /**
   * Whether the op computes the gradient with respect to its input. A net's first layer reads the
   * observations, which need none: there the op returns a zero gradient for x and skips col2im.
   */
  readonly inputGrad: boolean;
}

/** x [B, H, W, C], kernel [k, k, C, O], bias [O] -> act(conv(x) + bias) [B, OH, OW, O]. */
export type Conv2dFn = (x: Tensor4D, kernel: Tensor4D, bias: Tensor1D) => Tensor4D;

/** Activations the op can run inside itself (see `Conv2dOpOptions.activation`). */
export function convFusable(a: Activation | null): boolean {
  return a === null || (fusedActivation(a) !== null && activationGradFromOutput.supports(a));
}

/** Builds the op for one geometry. */
export function conv2dOp(tf: Tf, g: Conv2dGeometry, opts: Conv2dOpOptions): Conv2dFn {
  const act = opts.activation === 'linear' ? null : opts.activation;
  if (!convFusable(act)) throw new Error(`conv2dOp: activation '${String(act)}' cannot run inside the op; apply it after`);
  const fused = fusedActivation(act) ?? 'linear';
  const { kernel: k, stride: s, padding: p, dilation: d } = g;
  const pad = (x: Tensor4D): Tensor4D => (p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]) : x);
  return tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [Tensor4D, Tensor4D, Tensor1D, GradSaveFunc];
    const xp = pad(x);
    const [bs, hp, wp, c] = xp.shape;
    const oh = convOutputSize(hp, { ...g, padding: 0 });
    const ow = convOutputSize(wp, { ...g, padding: 0 });
    const o = w.shape[3];
    let y: Tensor4D;
    if (s === 1 || d === 1) {
      y = tf.fused.conv2d({ x: xp, filter: w, strides: s, pad: 'valid', dilations: d, bias: b, activation: fused, leakyreluAlpha: 0.01 });
    } else {
      const cols = im2col(tf, xp, g, oh, ow);
      const z = tf.fused.matMul({ a: cols, b: tf.reshape(w, [k * k * c, o]), bias: b, activation: fused, leakyreluAlpha: 0.01 });
      y = tf.reshape(z, [bs, oh, ow, o]);
    }
    save([xp, w, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sxp, sw, sy] = saved as [Tensor4D, Tensor4D, Tensor4D];
        const dz = activationGradFromOutput(tf, dy as Tensor2D, sy as unknown as Tensor2D, act) as unknown as Tensor4D;
        const db = tf.sum(dz, [0, 1, 2]);
        const dw = kernelGrad(tf, sxp, dz, g);
        if (!opts.inputGrad) return [tf.zeros([bs, hp - 2 * p, wp - 2 * p, c]), dw, db];
        const dxp = inputGrad(tf, dz, sw, g, hp, wp);
        const dx = p > 0 ? tf.slice(dxp, [0, p, p, 0], [bs, hp - 2 * p, wp - 2 * p, c]) : dxp;
        return [dx, dw, db];
      },
    };
  }) as Conv2dFn;
}

/**
 * dKernel[ky, kx, c, o] = sum over b, i, j of xp[b, s i + d ky, s j + d kx, c] dz[b, i, j, o]: a
 * convolution of xp (batch and channels swapped) with dz as the filter, stride d and dilation s.
 * When both exceed 1 (tfjs's conv2d takes one of them > 1 only): cols^T dz with im2col.
 */
function kernelGrad(tf: Tf, xp: Tensor4D, dz: Tensor4D, g: Conv2dGeometry): Tensor4D {
  const { kernel: k, stride: s, dilation: d } = g;
  const [bs, oh, ow, o] = dz.shape;
  const c = xp.shape[3];
  if (s > 1 && d > 1) {
    const cols = im2col(tf, xp, g, oh, ow);
    return tf.reshape(tf.matMul(tf.transpose(cols) as Tensor2D, tf.reshape(dz, [bs * oh * ow, o])), [k, k, c, o]);
  }
  const corr = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]), tf.transpose(dz, [1, 2, 0, 3]), d, 'valid', 'NHWC', s); // [C, >= k, >= k, O]
  const exact = corr.shape[1] === k && corr.shape[2] === k ? corr : tf.slice(corr, [0, 0, 0, 0], [c, k, k, o]);
  return tf.transpose(exact, [1, 2, 0, 3]);
}

/**
 * dxp[b, y, x, c] = sum over taps and o of dz[b, i, j, o] kernel[ky, kx, c, o] where
 * y = s i + d ky, x = s j + d kx: dz zero-stuffed by the stride, padded by d (k - 1), correlated with
 * the kernel flipped in space and transposed in channels (stride 1, dilation d). Rows and columns of
 * xp no tap reaches get 0.
 */
function inputGrad(tf: Tf, dz: Tensor4D, w: Tensor4D, g: Conv2dGeometry, hp: number, wp: number): Tensor4D {
  const { kernel: k, stride: s, dilation: d } = g;
  const [bs, oh, ow, o] = dz.shape;
  const spanH = s * (oh - 1) + 1;
  const spanW = s * (ow - 1) + 1;
  let stuffed = dz;
  if (s > 1) {
    const spread = tf.pad(tf.reshape(dz, [bs, oh, 1, ow, 1, o]), [[0, 0], [0, 0], [0, s - 1], [0, 0], [0, s - 1], [0, 0]]);
    stuffed = tf.slice(tf.reshape(spread, [bs, oh * s, ow * s, o]), [0, 0, 0, 0], [bs, spanH, spanW, o]) as Tensor4D;
  }
  const reach = d * (k - 1);
  const padded = tf.pad(stuffed, [[0, 0], [reach, hp - spanH], [reach, wp - spanW], [0, 0]]);
  const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(padded, flipped, 1, 'valid', 'NHWC', d);
}

/** [B, Hp, Wp, C] (already padded) -> [B OH OW, k k C], columns ordered (tap row, tap column, channel). */
function im2col(tf: Tf, xp: Tensor4D, g: Conv2dGeometry, oh: number, ow: number): Tensor2D {
  const { kernel: k, stride: s, dilation: d } = g;
  const [bs, , , c] = xp.shape;
  const taps: Tensor4D[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      const y0 = ky * d;
      const x0 = kx * d;
      taps.push(tf.stridedSlice(xp, [0, y0, x0, 0], [bs, y0 + s * (oh - 1) + 1, x0 + s * (ow - 1) + 1, c], [1, s, s, 1]) as Tensor4D);
    }
  }
  const stacked = taps.length === 1 ? taps[0] : tf.concat(taps, 3);
  return tf.reshape(stacked, [bs * oh * ow, k * k * c]);
}
