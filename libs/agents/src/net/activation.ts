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

/** Applies a non-fusable activation (tanh, selu, softplus, gelu, silu) as torch defines it. */
export function applyActivation(tf: Tf, x: Tensor2D, a: Activation): Tensor2D {
  switch (a) {
    case 'tanh':
      return tf.tanh(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu': {
      // torch's exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    }
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, 0.01);
    case 'linear':
      return x;
  }
}
