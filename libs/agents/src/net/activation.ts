/** Activations by SLM Lab name, and the subset tfjs can fuse into matMul. */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { Activation } from '@gymlab/spec';

type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid' | 'leakyrelu';

/** The tfjs fused-kernel activation for `a`, or null when it must run as a separate op. */
export function fusedActivation(a: Activation | null | undefined): FusedActivation | null {
  switch (a) {
    case null:
    case undefined:
    case 'linear':
      return 'linear';
    case 'relu':
    case 'elu':
    case 'sigmoid':
    case 'leakyrelu':
      return a;
    default:
      return null;
  }
}

/** Each activation as torch defines it, in tfjs ops. */
const ACTIVATION_OPS: Readonly<Record<Activation, (tf: Tf, x: Tensor2D) => Tensor2D>> = {
  linear: (_tf, x) => x,
  relu: (tf, x) => tf.relu(x),
  elu: (tf, x) => tf.elu(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  leakyrelu: (tf, x) => tf.leakyRelu(x, 0.01),
  tanh: (tf, x) => tf.tanh(x),
  selu: (tf, x) => tf.selu(x),
  softplus: (tf, x) => tf.softplus(x),
  silu: (tf, x) => tf.mul(x, tf.sigmoid(x)),
  // torch's exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
  gelu: (tf, x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
};

/** Applies activation `a` as its own op (for the non-fusable ones: tanh, selu, softplus, gelu, silu). */
export function applyActivation(tf: Tf, x: Tensor2D, a: Activation): Tensor2D {
  return ACTIVATION_OPS[a](tf, x);
}

const FROM_OUTPUT: ReadonlySet<Activation> = new Set(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'leakyrelu']);

/**
 * dL/dz from dL/dy and the output y = act(z), for activations whose derivative is a function of y:
 * linear 1; relu [y > 0]; tanh 1 - y^2; sigmoid y (1 - y); elu y > 0 ? 1 : y + 1; leakyrelu y > 0 ? 1 : 0.01.
 */
export function activationGradFromOutput(tf: Tf, dy: Tensor2D, y: Tensor2D, a: Activation | null): Tensor2D {
  switch (a) {
    case null:
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'elu':
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1))) as Tensor2D;
    case 'leakyrelu':
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, 0.01)) as Tensor2D;
    default:
      throw new Error(`activation '${a}' has no derivative in terms of its output`);
  }
}
activationGradFromOutput.supports = (a: Activation): boolean => FROM_OUTPUT.has(a);
