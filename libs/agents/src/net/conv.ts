/**
 * SLM Lab's ConvNet body (conv.py, v5.3): conv layers `conv_hid_layers` ([out_channels, kernel,
 * stride, padding, dilation], torch nn.Conv2d), each followed by `hid_layers_activation` and, from
 * the second layer on, BatchNorm2d when `batch_norm`; the maps flattened; then the fully connected
 * layers `fc_hid_layers` with the same activation. `normalize` divides the input by 255 first.
 * The output is the last hidden layer (the heads are the factory's); `DuelingConvNet`
 * (conv-dueling.ts) adds its two streams to this body.
 *
 * Layout: observations arrive as SLM Lab's (PyTorch's) [C, H, W] per row, as [B, C, H, W] or
 * flattened [B, C*H*W]; the net transposes them once to NHWC, tfjs's native layout, and every conv
 * runs in NHWC (kernels [k, k, C_in, C_out]). Flattening is in NHWC order, so the first fc kernel's
 * rows are ordered (y, x, channel), unlike torch's (channel, y, x): weights are gymlab's own.
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, InitFn, NetSpec } from '@gymlab/spec';
import { AgentConfigError } from '../types.js';
import { applyActivation } from './activation.js';
import { BatchNorm2d } from './conv-batch-norm.js';
import { conv2dOp, convFusable, convOutputSize, type Conv2dFn, type Conv2dGeometry } from './conv2d-op.js';
import { calculateGain, initLinear } from './init.js';
import { assignNamedState, fcLayers } from './conv-fc.js';
import type { Mlp } from './mlp.js';
import type { NetModule, TensorData } from './types.js';

/** The keys of `agent.net` a ConvNet reads. */
export type ConvNetSpec = Pick<NetSpec, 'conv_hid_layers' | 'fc_hid_layers' | 'hid_layers_activation' | 'init_fn' | 'normalize' | 'batch_norm'>;

/** One conv layer: output channels and geometry. */
export interface ConvLayerSpec extends Conv2dGeometry {
  readonly outChannels: number;
}

/** Parameters a conv body may hold (the spec lib's bound on dense parameters). */
const MAX_PARAMETERS = 1e8;

interface ConvPlan {
  readonly layers: readonly ConvLayerSpec[];
  /** [C, H, W] after each layer. */
  readonly maps: readonly (readonly [number, number, number])[];
  readonly flatSize: number;
}

/** Reads `conv_hid_layers` against the input shape; throws AgentConfigError (one line) when it does not fit. */
function planConv(spec: ConvNetSpec, inputShape: readonly number[], type: string): ConvPlan {
  if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new AgentConfigError(
      `agent.net.type: ${type} takes image observations [channels, height, width]; this env's observations have shape [${inputShape.join(', ')}] (use MLPNet)`,
    );
  }
  const raw = spec.conv_hid_layers;
  if (raw === null || raw.length === 0) {
    throw new AgentConfigError(`agent.net.conv_hid_layers: ${type} needs at least one layer [out_channels, kernel, stride, padding, dilation]`);
  }
  const names = ['out_channels', 'kernel', 'stride', 'padding', 'dilation'] as const;
  const layers: ConvLayerSpec[] = [];
  const maps: [number, number, number][] = [];
  let [c, h, w] = inputShape as [number, number, number];
  let params = 0;
  raw.forEach((entry, i) => {
    const at = `agent.net.conv_hid_layers[${i}]`;
    if (entry.length < 2 || entry.length > 5) {
      throw new AgentConfigError(`${at}: a layer is [out_channels, kernel, stride?, padding?, dilation?] (2 to 5 integers), got ${entry.length}`);
    }
    const [outChannels, kernel, stride = 1, padding = 0, dilation = 1] = entry;
    const values = [outChannels, kernel, stride, padding, dilation];
    values.forEach((v, j) => {
      const min = j === 3 ? 0 : 1;
      if (!Number.isInteger(v) || v < min) throw new AgentConfigError(`${at}[${j}]: ${names[j]} must be an integer >= ${min}, got ${v}`);
    });
    const geom = { kernel, stride, padding, dilation };
    const oh = convOutputSize(h, geom);
    const ow = convOutputSize(w, geom);
    if (oh < 1 || ow < 1) {
      throw new AgentConfigError(
        `${at}: kernel ${kernel} (dilation ${dilation}, padding ${padding}) does not fit the ${h}x${w} map it receives from input [${inputShape.join(', ')}]; use a smaller kernel or fewer layers`,
      );
    }
    params += kernel * kernel * c * outChannels + outChannels;
    layers.push({ outChannels, ...geom });
    [c, h, w] = [outChannels, oh, ow];
    maps.push([c, h, w]);
  });
  const flatSize = c * h * w;
  let fcIn = flatSize;
  for (const units of spec.fc_hid_layers ?? []) {
    params += fcIn * units + units;
    fcIn = units;
  }
  if (params > MAX_PARAMETERS) {
    throw new AgentConfigError(
      `agent.net.conv_hid_layers: the conv and fc layers hold ${params.toExponential(2)} parameters (${Math.round((params * 4) / 2 ** 20)} MiB) on input [${inputShape.join(', ')}]; at most ${MAX_PARAMETERS.toExponential(0)} are allowed`,
    );
  }
  return { layers, maps, flatSize };
}

/** Validates a ConvNet spec against the observation shape [C, H, W] without building tensors (AgentConfigError, one line). */
export function checkConvNet(spec: ConvNetSpec, inputShape: readonly number[], type = 'ConvNet'): void {
  planConv(spec, inputShape, type);
}

/**
 * Conv kernel init, torch semantics: the default is nn.Conv2d's (U(+-1/sqrt(fan_in)) for weight and
 * bias, fan_in = C_in k k), a named `init_fn` as SLM Lab's init_layers (bias 0). xavier counts
 * fan_out = C_out k k. Returns the kernel in NHWC layout [k, k, C_in, C_out].
 */
export function initConvKernel(inC: number, outC: number, k: number, initFn: InitFn | null, gain: number, rng: Rng): { kernel: Float32Array; bias: Float32Array } {
  const fanIn = inC * k * k;
  // initLinear(fanIn, outC) draws torch's [C_out, C_in k k] matrix; xavier's fan_out there is C_out,
  // so its gain is rescaled to give torch's bound gain sqrt(6 / (fan_in + C_out k k)).
  const xavier = initFn === 'xavier_uniform_' || initFn === 'xavier_normal_';
  const g = xavier ? gain * Math.sqrt((fanIn + outC) / (fanIn + outC * k * k)) : gain;
  const torch = initLinear(fanIn, outC, initFn, g, rng); // [out, in, ky, kx]
  const kernel = new Float32Array(torch.weight.length);
  for (let o = 0; o < outC; o++) {
    for (let c = 0; c < inC; c++) {
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) kernel[((ky * k + kx) * inC + c) * outC + o] = torch.weight[((o * inC + c) * k + ky) * k + kx];
      }
    }
  }
  return { kernel, bias: torch.bias };
}

interface ConvLayer {
  readonly kernel: Variable;
  readonly bias: Variable;
  readonly op: Conv2dFn;
  /** Activation applied after the op (one it cannot fuse). */
  readonly after: Activation | null;
  readonly bn: BatchNorm2d | null;
}

/** The conv + fc body as a NetModule: [B, C, H, W] or [B, C*H*W] -> [B, last fc size or flattened maps]. */
export class ConvNet implements NetModule {
  readonly name: string;
  readonly outputSize: number;
  readonly variables: readonly Variable[];
  /** [C, H, W] of the input. */
  readonly inputShape: readonly [number, number, number];
  private readonly layers: readonly ConvLayer[];
  private readonly fc: Mlp | null;
  private readonly normalize: boolean;

  constructor(
    private readonly tf: Tf,
    spec: ConvNetSpec,
    inputShape: readonly number[],
    seed: number,
    name: string,
    type = 'ConvNet',
  ) {
    const plan = planConv(spec, inputShape, type);
    this.name = name;
    this.inputShape = [inputShape[0], inputShape[1], inputShape[2]];
    this.normalize = spec.normalize;
    const act = spec.hid_layers_activation;
    const gain = calculateGain(act);
    const rng = new Rng(seed);
    let inC = this.inputShape[0];
    this.layers = plan.layers.map((l, i) => {
      const init = initConvKernel(inC, l.outChannels, l.kernel, spec.init_fn, gain, rng);
      const inside = convFusable(act);
      const layer: ConvLayer = {
        kernel: tf.tidy(() => tf.variable(tf.tensor4d(init.kernel, [l.kernel, l.kernel, inC, l.outChannels]), true)),
        bias: tf.tidy(() => tf.variable(tf.tensor1d(init.bias), true)),
        op: conv2dOp(tf, l, { activation: inside ? act : null, inputGrad: i > 0 }),
        after: inside || act === 'linear' ? null : act,
        bn: spec.batch_norm && i > 0 ? new BatchNorm2d(tf, l.outChannels) : null,
      };
      inC = l.outChannels;
      return layer;
    });
    this.fc = fcLayers(tf, plan.flatSize, spec.fc_hid_layers ?? [], act, spec.init_fn, rng.deriveSeed(), `${name}/fc`);
    this.outputSize = this.fc?.outputSize ?? plan.flatSize;
    this.variables = [...this.layers.flatMap((l) => [l.kernel, l.bias, ...(l.bn ? [l.bn.gamma, l.bn.beta] : [])]), ...(this.fc?.variables ?? [])];
  }

  forward(x: Tensor, training = false): Tensor2D {
    const tf = this.tf;
    const [c, h, w] = this.inputShape;
    let nchw: Tensor4D = x.rank === 4 ? (x as Tensor4D) : tf.reshape(x, [-1, c, h, w]);
    if (this.normalize) nchw = tf.div(nchw, 255);
    let hid: Tensor4D = tf.transpose(nchw, [0, 2, 3, 1]);
    for (const l of this.layers) {
      hid = l.op(hid, l.kernel as Tensor4D, l.bias as Tensor1D);
      if (l.after !== null) hid = applyActivation(tf, hid as unknown as Tensor2D, l.after) as unknown as Tensor4D;
      if (l.bn !== null) hid = l.bn.forward(hid, training);
    }
    const flat: Tensor2D = tf.reshape(hid, [hid.shape[0], -1]);
    return this.fc === null ? flat : this.fc.forward(flat);
  }

  variableNames(): string[] {
    return [
      ...this.layers.flatMap((l, i) => [`${this.name}/conv${i}/kernel`, `${this.name}/conv${i}/bias`, ...(l.bn ? [`${this.name}/bn${i}/gamma`, `${this.name}/bn${i}/beta`] : [])]),
      ...(this.fc?.variableNames() ?? []),
    ];
  }

  namedWeights(): Record<string, Float32Array> {
    const names = this.variableNames();
    return Object.fromEntries(this.variables.map((v, i) => [names[i], v.dataSync() as Float32Array]));
  }

  /** Every variable, trainable ones then the running statistics, by name. */
  private allNamed(): [string, Variable][] {
    const names = this.variableNames();
    const stats = this.layers.flatMap((l, i): [string, Variable][] =>
      l.bn ? [[`${this.name}/bn${i}/running_mean`, l.bn.runningMean], [`${this.name}/bn${i}/running_var`, l.bn.runningVar]] : [],
    );
    return [...this.variables.map((v, i): [string, Variable] => [names[i], v]), ...stats];
  }

  getState(): Record<string, TensorData> {
    return Object.fromEntries(this.allNamed().map(([n, v]) => [n, { shape: v.shape.slice(), data: v.dataSync() as Float32Array }]));
  }

  setState(state: Readonly<Record<string, TensorData>>): void {
    assignNamedState(this.tf, this.allNamed(), state);
  }

  copyFrom(other: NetModule): void {
    const mine = this.allNamed();
    const theirs = this.sameArchitecture(other).allNamed();
    mine.forEach(([, v], i) => v.assign(theirs[i][1]));
  }

  /** Trainable weights only, as SLM Lab's polyak_update (running statistics are buffers, not parameters). */
  polyakFrom(other: NetModule, coef: number): void {
    const tf = this.tf;
    const src = this.sameArchitecture(other).variables;
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(src[i], coef), tf.mul(v, 1 - coef)))));
  }

  dispose(): void {
    for (const l of this.layers) {
      l.kernel.dispose();
      l.bias.dispose();
      l.bn?.dispose();
    }
    this.fc?.dispose();
  }

  private sameArchitecture(other: NetModule): ConvNet {
    const same =
      other instanceof ConvNet &&
      other.allNamed().length === this.allNamed().length &&
      other.allNamed().every(([, v], i) => v.shape.join(',') === this.allNamed()[i][1].shape.join(','));
    if (!same) throw new Error(`ConvNet ${this.name}: cannot copy from ${other.name}, architectures differ`);
    return other;
  }
}

/** The factory's builder for `net.type: ConvNet` (body only; the algorithm adds its heads). */
export function buildConvNet(tf: Tf, spec: ConvNetSpec, inputShape: readonly number[], seed: number, name: string): ConvNet {
  return new ConvNet(tf, spec, inputShape, seed, name);
}
