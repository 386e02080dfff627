/**
 * What the ConvNet and RecurrentNet bodies share: SLM Lab's `build_fc_model` (fully connected
 * layers, each followed by the hidden activation) and loading named state into variables.
 */
import type { Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { Activation, InitFn } from '@gymlab/spec';
import { Mlp } from './mlp.js';
import type { TensorData } from './types.js';

/** `sizes` fully connected layers on `inputSize` features, every one activated; null when `sizes` is empty. */
export function fcLayers(tf: Tf, inputSize: number, sizes: readonly number[], activation: Activation, initFn: InitFn | null, seed: number, name: string): Mlp | null {
  if (sizes.length === 0) return null;
  return new Mlp(tf, {
    inputSize,
    hidden: sizes.slice(0, -1),
    activation,
    outputSize: sizes[sizes.length - 1],
    outputActivation: activation,
    initFn,
    seed,
    name,
  });
}

/** Assigns `state[name]` to each named variable; checks every name and shape before assigning any. */
export function assignNamedState(tf: Tf, named: readonly (readonly [string, Variable])[], state: Readonly<Record<string, TensorData>>): void {
  for (const [n, v] of named) {
    const t = state[n];
    if (t === undefined) throw new Error(`state has no tensor '${n}'`);
    if (t.shape.length !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
      throw new Error(`state tensor '${n}' has shape [${t.shape.join(',')}], expected [${v.shape.join(',')}]`);
    }
  }
  for (const [n, v] of named) tf.tidy(() => v.assign(tf.tensor(state[n].data, v.shape)));
}
