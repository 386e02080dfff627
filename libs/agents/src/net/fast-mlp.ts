/**
 * An `MlpConfig` (MLPNet's hidden sizes, activations, init_fn, gains and seed) as a `FastMlp` of
 * `@gymlab/backends`' fast CPU path, with the same initial weights as `Mlp` builds from the same
 * config: the same `initLinear` draws from the same seeded `Rng`, layer by layer. What the fast
 * path does not have (norm layers, activations other than linear, relu and tanh) is refused with
 * one `NotBuiltError` line.
 */
import { FAST_ACTIVATIONS, FastMlp, type FastActivation, type FastKernels } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, OptimSpec } from '@gymlab/spec';
import { AgentConfigError, NotBuiltError } from '../types.js';
import type { TensorData } from './types.js';
import { calculateGain, initLinear } from './init.js';
import type { MlpConfig } from './mlp.js';

function fastActivation(a: Activation | null | undefined, key: string): FastActivation {
  const name = a ?? 'linear';
  if (!(FAST_ACTIVATIONS as readonly string[]).includes(name)) {
    throw new NotBuiltError(`${key} '${name}' on the fast CPU path`, `it has ${FAST_ACTIVATIONS.join(', ')}`);
  }
  return name as FastActivation;
}

/** What the fast path's Adam cannot run in optimizer spec `o`, as the key under it (`name 'SGD'`, `amsgrad`), or null when it can. */
export function unbuiltOptimKey(o: OptimSpec): string | null {
  if (o.name !== 'Adam' && o.name !== 'AdamW') return `name '${o.name}'`;
  if (o.amsgrad === true) return 'amsgrad';
  return null;
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

/**
 * Checkpoint tensors of FastMlp nets under the tfjs `Mlp`'s names, so both paths read each
 * other's checkpoints: `<name>/l<i>/kernel` [in, out] and `<name>/l<i>/bias` [out] (copies).
 */
export function fastLayerTensors(nets: Iterable<readonly [string, FastMlp]>): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const [name, net] of nets) {
    net.layers.forEach((l, i) => {
      out[`${name}/l${i}/kernel`] = { shape: [l.kernel.length / l.bias.length, l.bias.length], data: l.kernel.slice() };
      out[`${name}/l${i}/bias`] = { shape: [l.bias.length], data: l.bias.slice() };
    });
  }
  return out;
}

/** The same names as `fastLayerTensors`, each a copy of the weights alone. */
export function fastLayerWeights(nets: Iterable<readonly [string, FastMlp]>): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [key, t] of Object.entries(fastLayerTensors(nets))) out[key] = t.data;
  return out;
}

/** Copies checkpoint tensor `key` into `into`; AgentConfigError naming `who` and the key when it is missing or of another size. */
export function takeTensor(t: Readonly<Record<string, TensorData>>, key: string, into: Float32Array, who: string): void {
  const d = Object.prototype.hasOwnProperty.call(t, key) ? t[key] : undefined;
  if (d === undefined || d.data.length !== into.length) throw new AgentConfigError(`${who} state tensor '${key}' is missing or has the wrong size`);
  into.set(d.data);
}

/** Restores `fastLayerTensors`' tensors into the nets (AgentConfigError on a missing or misfit one). */
export function restoreFastLayers(t: Readonly<Record<string, TensorData>>, nets: Iterable<readonly [string, FastMlp]>, who: string): void {
  for (const [name, net] of nets) {
    net.layers.forEach((l, i) => {
      takeTensor(t, `${name}/l${i}/kernel`, l.kernel, who);
      takeTensor(t, `${name}/l${i}/bias`, l.bias, who);
    });
  }
}
