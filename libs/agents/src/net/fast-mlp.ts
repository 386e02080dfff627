/**
 * An `MlpConfig` (MLPNet's hidden sizes, activations, init_fn, gains and seed) as a `FastMlp` of
 * `@gymlab/backends`' fast CPU path, with the same initial weights as `Mlp` builds from the same
 * config: the same `initLinear` draws from the same seeded `Rng`, layer by layer. What the fast
 * path does not have (norm layers, activations other than linear, relu and tanh) is refused with
 * one `NotBuiltError` line.
 */
import { FAST_ACTIVATIONS, FastMlp, type FastActivation, type FastKernels } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation } from '@gymlab/spec';
import { NotBuiltError } from '../types.js';
import { calculateGain, initLinear } from './init.js';
import type { MlpConfig } from './mlp.js';

function fastActivation(a: Activation | null | undefined, key: string): FastActivation {
  const name = a ?? 'linear';
  if (!(FAST_ACTIVATIONS as readonly string[]).includes(name)) {
    throw new NotBuiltError(`${key} '${name}' on the fast CPU path`, `it has ${FAST_ACTIVATIONS.join(', ')}`);
  }
  return name as FastActivation;
}

/** The `Mlp` that `cfg` describes, on the fast path, with buffers for `maxBatch` rows (and `extraParams` free parameters, see FastMlpConfig). */
export function buildFastMlp(kernels: FastKernels, cfg: MlpConfig, maxBatch: number, extraParams = 0): FastMlp {
  if ((cfg.norm ?? null) !== null) throw new NotBuiltError(`MLPNet ${cfg.norm} on the fast CPU path`);
  const hidden = fastActivation(cfg.activation, 'hid_layers_activation');
  const output = fastActivation(cfg.outputActivation, 'out_layer_activation');
  const rng = new Rng(cfg.seed);
  const hiddenGain = cfg.hiddenGain ?? calculateGain(cfg.activation);
  const outputGain = cfg.outputGain ?? hiddenGain;
  const last = cfg.hidden.length;
  return new FastMlp(kernels, {
    inputSize: cfg.inputSize,
    layers: [...cfg.hidden.map((size) => ({ size, activation: hidden })), { size: cfg.outputSize, activation: output }],
    maxBatch,
    extraParams,
    // FastMlp asks for the layers in order, so the draws are Mlp's
    init: (l, fanIn, fanOut) => initLinear(fanIn, fanOut, cfg.initFn, l === last ? outputGain : hiddenGain, rng),
  });
}
