/**
 * A torcharc architecture (SLM Lab 5.3's TorchArcNet `arc`) read as data into a plan: which layers
 * each module holds, with every lazy size inferred from the input shape, and the order the graph
 * calls them in. Nothing here allocates a tensor, so the agent check can run it on any spec.
 *
 * Format (torcharc 2): `modules: {name: ModuleSpec}`, where a ModuleSpec is one layer
 * `{Linear: {in_features, out_features}}`, `{Sequential: [layer, ...]}` or
 * `{compact: {prelayer?, layer: {type, keys, args}, postlayer?}}`; and
 * `graph: {input: x, modules: {name: [input]}, output: name}` (`name~tag` calls module `name` again
 * with the same weights). A layer is `{ClassName: kwargs}` with kwargs null or an object.
 */
import { LIMITS } from '@gymlab/spec';
import type { Activation } from '@gymlab/spec';
import { AgentConfigError, NotBuiltError } from '../types.js';
import type { BatchRenormParams } from './batch-renorm.js';
import { convOutputSize, type Conv2dGeometry } from './conv2d-op.js';

export type ArcLayer =
  | { readonly kind: 'linear'; readonly inFeatures: number; readonly outFeatures: number; readonly bias: boolean }
  | ({ readonly kind: 'conv2d'; readonly inChannels: number; readonly outChannels: number; readonly bias: boolean } & Conv2dGeometry)
  | { readonly kind: 'activation'; readonly activation: Activation }
  | { readonly kind: 'identity' }
  | { readonly kind: 'layer_norm'; readonly size: number; readonly eps: number; readonly affine: boolean }
  | { readonly kind: 'batch_norm'; readonly size: number; readonly eps: number; readonly momentum: number; readonly affine: boolean }
  | ({ readonly kind: 'batch_renorm'; readonly size: number } & BatchRenormParams)
  | { readonly kind: 'dropout'; readonly p: number }
  | { readonly kind: 'flatten' };

export interface ArcModulePlan {
  readonly name: string;
  /** A Sequential (or compact) module: its layers are named by index, as torch does. */
  readonly sequential: boolean;
  readonly layers: readonly ArcLayer[];
}

export interface ArcCall {
  /** Graph node name (`name` or `name~tag`). */
  readonly node: string;
  readonly module: string;
  readonly input: string;
}

export interface ArcPlan {
  readonly input: string;
  /** Modules in the order of their first call (the order their weights are drawn in). */
  readonly modules: readonly ArcModulePlan[];
  readonly calls: readonly ArcCall[];
  readonly output: string;
  /** Features per sample of the output (flattened). */
  readonly outputSize: number;
  /** Trainable parameters of the body. */
  readonly parameters: number;
  /** Whether a conv layer is in the plan: the body then runs image tensors as NHWC (see arc.ts). */
  readonly conv: boolean;
}

/** Module names built here, for messages. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  ReLU: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', ELU: 'elu', LeakyReLU: 'leakyrelu', SELU: 'selu', GELU: 'gelu', SiLU: 'silu', Softplus: 'softplus',
};
/** kwargs each activation accepts, with the only value gymlab computes (inplace is meaningless here). */
const ACTIVATION_KWARGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  ELU: { alpha: 1 }, LeakyReLU: { negative_slope: 0.01 }, GELU: { approximate: 'none' }, Softplus: { beta: 1, threshold: 20 },
};
const OTHER_LAYERS = ['Identity', 'Linear', 'LazyLinear', 'Conv2d', 'LazyConv2d', 'LayerNorm', 'BatchNorm1d', 'LazyBatchNorm1d', 'BatchRenorm1d', 'LazyBatchRenorm1d', 'Dropout', 'Flatten'] as const;
export const SUPPORTED_ARC_MODULES: readonly string[] = [...OTHER_LAYERS, ...Object.keys(ACTIVATIONS)].sort();
/** Real torch / SLM Lab / torcharc modules gymlab has not built (refused with NotBuiltError). */
const NOT_BUILT = new Set([
  'Conv1d', 'Conv3d', 'LazyConv1d', 'LazyConv3d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d',
  'BatchNorm2d', 'LazyBatchNorm2d', 'WeightNormLinear', 'LazyWeightNormLinear',
  'RNN', 'LSTM', 'GRU', 'MultiheadAttention', 'TransformerEncoder', 'TransformerEncoderLayer', 'Embedding',
  'MergeConcat', 'MergeStack', 'MergeSum', 'MergeProd', 'MergeMean', 'MergeDot', 'MergeBMM', 'MergeFiLM',
  'ForkChunk', 'ForkSplit', 'Get', 'Narrow', 'IndexSelect', 'Reduce', 'TorchFn',
]);

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function fail(path: string, problem: string): never {
  throw new AgentConfigError(`${path}: ${problem}`);
}

/**
 * Reads `arc` against the per-sample input shape; throws AgentConfigError / NotBuiltError (one
 * line) naming the key under `root` (the arc's key path in the spec).
 */
export function planArc(arc: unknown, inputShape: readonly number[], root = 'agent.net.arc'): ArcPlan {
  if (!isObj(arc)) fail(root, 'expected an object with modules and graph');
  for (const k of Object.keys(arc)) if (k !== 'modules' && k !== 'graph') fail(`${root}.${k}`, 'unknown key; allowed: modules, graph');
  const modulesSpec = arc['modules'];
  const graph = arc['graph'];
  if (!isObj(modulesSpec) || Object.keys(modulesSpec).length === 0) fail(`${root}.modules`, 'expected an object of module name -> module spec');
  if (!isObj(graph)) fail(`${root}.graph`, 'expected an object with input, modules and output');
  for (const k of Object.keys(graph)) if (!['input', 'modules', 'output'].includes(k)) fail(`${root}.graph.${k}`, 'unknown key; allowed: input, modules, output');
  const input = readInput(graph['input'], root);
  const specs = new Map<string, ModuleLayers>();
  for (const [name, spec] of Object.entries(modulesSpec)) specs.set(name, moduleLayers(spec, `${root}.modules.${name}`));

  const gm = graph['modules'];
  if (!isObj(gm) || Object.keys(gm).length === 0) fail(`${root}.graph.modules`, 'expected an object of node name -> [input node]');
  const shapes = new Map<string, readonly number[]>([[input, inputShape]]);
  const built = new Map<string, { plan: ArcModulePlan; inShape: readonly number[]; outShape: readonly number[] }>();
  const calls: ArcCall[] = [];
  for (const [node, inputs] of Object.entries(gm)) {
    const path = `${root}.graph.modules.${node}`;
    const module = node.split('~')[0];
    if (!specs.has(module)) fail(path, `names no module; modules: ${[...specs.keys()].join(', ')}`);
    if (shapes.has(node)) fail(path, 'node name used twice');
    if (!Array.isArray(inputs) || inputs.length !== 1 || typeof inputs[0] !== 'string') {
      if (Array.isArray(inputs) || isObj(inputs)) {
        throw new NotBuiltError('TorchArcNet graph: a module with several or keyword inputs not built yet', `${path} must be a list of one input node`);
      }
      fail(path, 'expected a list of one input node, e.g. [x]');
    }
    const from = inputs[0] as string;
    const inShape = shapes.get(from);
    if (inShape === undefined) fail(path, `input '${from}' is not the graph input or an earlier node`);
    let b = built.get(module);
    const spec = specs.get(module);
    if (b === undefined && spec !== undefined) {
      const { layers, outShape } = planLayers(spec, inShape);
      b = { plan: { name: module, sequential: spec.sequential, layers }, inShape, outShape };
      built.set(module, b);
    } else if (b !== undefined && b.inShape.join(',') !== inShape.join(',')) {
      fail(path, `module '${module}' was called on shape [${b.inShape.join(', ')}], here on [${inShape.join(', ')}]`);
    }
    if (b === undefined) return fail(path, 'unreachable: module not planned');
    shapes.set(node, b.outShape);
    calls.push({ node, module, input: from });
  }
  for (const name of specs.keys()) if (!built.has(name)) fail(`${root}.modules.${name}`, 'is not called in graph.modules');
  const output = readOutput(graph['output'], root);
  const outShape = shapes.get(output);
  if (outShape === undefined) fail(`${root}.graph.output`, `'${output}' is not a node; nodes: ${[...shapes.keys()].join(', ')}`);
  const modules = [...built.values()].map((b) => b.plan);
  const parameters = modules.reduce((n, m) => n + m.layers.reduce((s, l) => s + layerParams(l), 0), 0);
  if (parameters > LIMITS.parameters) fail(`${root}.modules`, `the body holds ${parameters.toLocaleString('en-US')} parameters, more than ${LIMITS.parameters.toLocaleString('en-US')}`);
  const conv = modules.some((m) => m.layers.some((l) => l.kind === 'conv2d'));
  return { input, modules, calls, output, outputSize: outShape.reduce((a, b) => a * b, 1), parameters, conv };
}

function readInput(v: unknown, root: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  if (Array.isArray(v) && v.length > 1) throw new NotBuiltError('TorchArcNet graph: several inputs not built yet', `${root}.graph.input must name one input`);
  return fail(`${root}.graph.input`, 'expected the input node name, e.g. x');
}

/** SLM Lab takes the first element of a tuple output. */
function readOutput(v: unknown, root: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length >= 1 && typeof v[0] === 'string') return v[0];
  return fail(`${root}.graph.output`, 'expected a node name (or a list of them; the first is used)');
}

interface ModuleLayers {
  readonly items: readonly unknown[];
  /** Sequential or compact: layers are indexed (`path[i]`). */
  readonly sequential: boolean;
  readonly path: string;
}

/** The layer specs of one module: Sequential's list, compact's expansion, or the single layer. */
function moduleLayers(spec: unknown, path: string): ModuleLayers {
  if (!isObj(spec) || Object.keys(spec).length !== 1) fail(path, 'expected a single-key object: {Sequential: [...]}, {compact: {...}} or {LayerName: kwargs}');
  const [key, value] = Object.entries(spec)[0];
  if (key === 'Sequential') {
    if (!Array.isArray(value) || value.length === 0) fail(`${path}.Sequential`, 'expected a non-empty list of layers');
    return { items: value, sequential: true, path: `${path}.Sequential` };
  }
  if (key === 'compact') return { items: expandCompact(value, `${path}.compact`), sequential: true, path: `${path}.compact` };
  return { items: [spec], sequential: false, path };
}

function expandCompact(v: unknown, path: string): unknown[] {
  if (!isObj(v)) fail(path, 'expected {prelayer?, layer: {type, keys, args}, postlayer?}');
  for (const k of Object.keys(v)) if (!['prelayer', 'layer', 'postlayer'].includes(k)) fail(`${path}.${k}`, 'unknown key; allowed: prelayer, layer, postlayer');
  const layer = v['layer'];
  if (!isObj(layer) || typeof layer['type'] !== 'string' || !Array.isArray(layer['keys']) || !Array.isArray(layer['args'])) {
    fail(`${path}.layer`, 'expected {type, keys: [kwarg names], args: [values per layer]}');
  }
  const pre = v['prelayer'] ?? [];
  const post = v['postlayer'] ?? [];
  if (!Array.isArray(pre) || !Array.isArray(post)) fail(path, 'prelayer and postlayer must be lists of layers');
  const keys = layer['keys'] as unknown[];
  const out: unknown[] = [];
  for (const a of layer['args'] as unknown[]) {
    const vals = Array.isArray(a) ? a : [a];
    out.push(...pre, { [layer['type'] as string]: Object.fromEntries(keys.map((k, i) => [String(k), vals[i]])) }, ...post);
  }
  if (out.length === 0) fail(`${path}.layer.args`, 'expected at least one layer');
  return out;
}

function planLayers(m: ModuleLayers, inShape: readonly number[]): { layers: ArcLayer[]; outShape: readonly number[] } {
  let shape = inShape;
  const layers: ArcLayer[] = [];
  m.items.forEach((spec, i) => {
    const layer = readLayer(spec, shape, m.sequential ? `${m.path}[${i}]` : m.path);
    layers.push(layer);
    shape = outShapeOf(layer, shape);
  });
  return { layers, outShape: shape };
}

function readLayer(spec: unknown, shape: readonly number[], path: string): ArcLayer {
  if (!isObj(spec) || Object.keys(spec).length !== 1) fail(path, 'expected a single-key object {LayerName: kwargs}');
  const [name, raw] = Object.entries(spec)[0];
  if (raw !== null && !isObj(raw)) fail(`${path}.${name}`, 'kwargs must be an object or null');
  const kw = kwargs(raw ?? {}, `${path}.${name}`);
  const features = (): number => {
    if (shape.length !== 1) fail(`${path}.${name}`, `needs flat features, got shape [${shape.join(', ')}]; add Flatten before it`);
    return shape[0];
  };
  if (name in ACTIVATIONS) {
    kw.only(['inplace', ...Object.keys(ACTIVATION_KWARGS[name] ?? {})]);
    for (const [k, only] of Object.entries(ACTIVATION_KWARGS[name] ?? {})) {
      if (kw.has(k) && kw.get(k) !== only) fail(`${path}.${name}.${k}`, `only ${JSON.stringify(only)} (torch's default) is built, got ${JSON.stringify(kw.get(k))}`);
    }
    return { kind: 'activation', activation: ACTIVATIONS[name] };
  }
  switch (name) {
    case 'Identity':
      return { kind: 'identity' };
    case 'Linear':
    case 'LazyLinear': {
      kw.only(name === 'Linear' ? ['in_features', 'out_features', 'bias'] : ['out_features', 'bias']);
      const inFeatures = features();
      if (name === 'Linear' && kw.posInt('in_features') !== inFeatures) fail(`${path}.Linear.in_features`, `is ${String(kw.get('in_features'))} but the input has ${inFeatures} features`);
      const outFeatures = kw.posInt('out_features');
      if (outFeatures > LIMITS.layer_width) fail(`${path}.${name}.out_features`, `${outFeatures} is more than ${LIMITS.layer_width} (allowed: 1 to ${LIMITS.layer_width})`);
      return { kind: 'linear', inFeatures, outFeatures, bias: kw.bool('bias', true) };
    }
    case 'Conv2d':
    case 'LazyConv2d':
      return readConv2d(name, kw, shape, `${path}.${name}`);
    case 'LayerNorm': {
      kw.only(['normalized_shape', 'eps', 'elementwise_affine', 'bias']);
      const size = features();
      const ns = kw.get('normalized_shape');
      const n = Array.isArray(ns) && ns.length === 1 ? ns[0] : ns;
      if (n !== size) fail(`${path}.LayerNorm.normalized_shape`, `must be the input's ${size} features, got ${JSON.stringify(ns)}`);
      if (!kw.bool('bias', true) && kw.bool('elementwise_affine', true)) fail(`${path}.LayerNorm.bias`, 'only true is built');
      return { kind: 'layer_norm', size, eps: kw.positive('eps', 1e-5), affine: kw.bool('elementwise_affine', true) };
    }
    case 'BatchNorm1d':
    case 'LazyBatchNorm1d': {
      kw.only([...(name === 'BatchNorm1d' ? ['num_features'] : []), 'eps', 'momentum', 'affine', 'track_running_stats']);
      const size = features();
      if (name === 'BatchNorm1d' && kw.get('num_features') !== size) fail(`${path}.BatchNorm1d.num_features`, `must be the input's ${size} features, got ${JSON.stringify(kw.get('num_features'))}`);
      if (!kw.bool('track_running_stats', true)) fail(`${path}.${name}.track_running_stats`, 'only true is built');
      const momentum = kw.positive('momentum', 0.1);
      if (momentum > 1) fail(`${path}.${name}.momentum`, `must be in (0, 1], got ${momentum}`);
      return { kind: 'batch_norm', size, eps: kw.positive('eps', 1e-5), momentum, affine: kw.bool('affine', true) };
    }
    case 'BatchRenorm1d':
    case 'LazyBatchRenorm1d':
      return readBatchRenorm(name, kw, features(), `${path}.${name}`);
    case 'Dropout': {
      kw.only(['p', 'inplace']);
      const p = kw.has('p') ? kw.get('p') : 0.5;
      if (typeof p !== 'number' || !(p >= 0 && p < 1)) fail(`${path}.Dropout.p`, `must be a number in [0, 1), got ${JSON.stringify(p)}`);
      return { kind: 'dropout', p };
    }
    case 'Flatten':
      kw.only(['start_dim', 'end_dim']);
      if ((kw.has('start_dim') && kw.get('start_dim') !== 1) || (kw.has('end_dim') && kw.get('end_dim') !== -1)) fail(`${path}.Flatten`, 'only start_dim 1 and end_dim -1 (the defaults) are built');
      return { kind: 'flatten' };
  }
  if (NOT_BUILT.has(name)) throw new NotBuiltError(`TorchArcNet module ${name}: not built yet`, `${path}: supported modules: ${SUPPORTED_ARC_MODULES.join(', ')}`);
  return fail(path, `unknown module '${name}'; supported: ${SUPPORTED_ARC_MODULES.join(', ')}`);
}

type Kwargs = ReturnType<typeof kwargs>;

/** torch nn.Conv2d / LazyConv2d on a [C, H, W] input: square kernels, symmetric zero padding, groups 1. */
function readConv2d(name: string, kw: Kwargs, shape: readonly number[], path: string): ArcLayer {
  kw.only([...(name === 'Conv2d' ? ['in_channels'] : []), 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode']);
  if (shape.length !== 3) fail(path, `needs a [channels, height, width] input, got shape [${shape.join(', ')}]`);
  const [c, h, w] = shape;
  if (name === 'Conv2d' && kw.posInt('in_channels') !== c) fail(`${path}.in_channels`, `is ${String(kw.get('in_channels'))} but the input has ${c} channels`);
  const outChannels = kw.posInt('out_channels');
  if (outChannels > LIMITS.layer_width) fail(`${path}.out_channels`, `${outChannels} is more than ${LIMITS.layer_width} (allowed: 1 to ${LIMITS.layer_width})`);
  if (kw.has('groups') && kw.get('groups') !== 1) throw new NotBuiltError(`TorchArcNet ${name} groups ${JSON.stringify(kw.get('groups'))}: not built yet`, `${path}.groups: allowed: 1`);
  if (kw.has('padding_mode') && kw.get('padding_mode') !== 'zeros') throw new NotBuiltError(`TorchArcNet ${name} padding_mode ${JSON.stringify(kw.get('padding_mode'))}: not built yet`, `${path}.padding_mode: allowed: 'zeros'`);
  const square = (k: string, dflt: number, min: number): number => {
    const v = kw.has(k) ? kw.get(k) : dflt;
    if (k === 'padding' && v === 'valid') return 0;
    if (k === 'padding' && v === 'same') throw new NotBuiltError(`TorchArcNet ${name} padding 'same': not built yet`, `${path}.padding: allowed: an integer >= 0 or 'valid'`);
    const pair = Array.isArray(v) && v.length === 2 ? v : [v, v];
    if (!pair.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min)) fail(`${path}.${k}`, `expected an integer >= ${min} (or a pair of them), got ${JSON.stringify(v)}`);
    if (pair[0] !== pair[1]) throw new NotBuiltError(`TorchArcNet ${name} non-square ${k}: not built yet`, `${path}.${k}: give one integer`);
    return pair[0] as number;
  };
  if (!kw.has('kernel_size')) fail(`${path}.kernel_size`, 'is required (an integer >= 1)');
  const geom = { kernel: square('kernel_size', 1, 1), stride: square('stride', 1, 1), padding: square('padding', 0, 0), dilation: square('dilation', 1, 1) };
  if (convOutputSize(h, geom) < 1 || convOutputSize(w, geom) < 1) {
    fail(path, `kernel ${geom.kernel} (dilation ${geom.dilation}, padding ${geom.padding}) does not fit the ${h}x${w} map it receives`);
  }
  return { kind: 'conv2d', inChannels: c, outChannels, bias: kw.bool('bias', true), ...geom };
}

/** SLM Lab's BatchRenorm1d / LazyBatchRenorm1d (agent/net/batch_renorm.py), with its defaults. */
function readBatchRenorm(name: string, kw: Kwargs, size: number, path: string): ArcLayer {
  kw.only([...(name === 'BatchRenorm1d' ? ['num_features'] : []), 'eps', 'momentum', 'r_max', 'd_max', 'warmup_steps']);
  if (name === 'BatchRenorm1d' && kw.get('num_features') !== size) fail(`${path}.num_features`, `must be the input's ${size} features, got ${JSON.stringify(kw.get('num_features'))}`);
  const momentum = kw.positive('momentum', 0.01);
  if (momentum > 1) fail(`${path}.momentum`, `must be in (0, 1], got ${momentum}`);
  const rMax = kw.positive('r_max', 3);
  if (rMax < 1) fail(`${path}.r_max`, `must be >= 1, got ${rMax}`);
  const dMax = kw.has('d_max') ? kw.get('d_max') : 5;
  if (typeof dMax !== 'number' || !(dMax >= 0) || !Number.isFinite(dMax)) fail(`${path}.d_max`, `expected a number >= 0, got ${JSON.stringify(dMax)}`);
  const warmup = kw.has('warmup_steps') ? kw.get('warmup_steps') : 10000;
  if (typeof warmup !== 'number' || !Number.isInteger(warmup) || warmup < 0) fail(`${path}.warmup_steps`, `expected an integer >= 0, got ${JSON.stringify(warmup)}`);
  return { kind: 'batch_renorm', size, eps: kw.positive('eps', 1e-5), momentum, rMax, dMax, warmupSteps: warmup };
}

function outShapeOf(l: ArcLayer, shape: readonly number[]): readonly number[] {
  if (l.kind === 'linear') return [l.outFeatures];
  if (l.kind === 'conv2d') return [l.outChannels, convOutputSize(shape[1], l), convOutputSize(shape[2], l)];
  if (l.kind === 'flatten') return [shape.reduce((a, b) => a * b, 1)];
  return shape;
}

function layerParams(l: ArcLayer): number {
  if (l.kind === 'linear') return l.inFeatures * l.outFeatures + (l.bias ? l.outFeatures : 0);
  if (l.kind === 'conv2d') return l.kernel * l.kernel * l.inChannels * l.outChannels + (l.bias ? l.outChannels : 0);
  if (((l.kind === 'layer_norm' || l.kind === 'batch_norm') && l.affine) || l.kind === 'batch_renorm') return 2 * l.size;
  return 0;
}

function kwargs(o: Obj, path: string) {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const get = (k: string): unknown => (has(k) ? o[k] : undefined);
  return {
    has,
    get,
    only(allowed: readonly string[]): void {
      for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown argument; allowed: ${allowed.join(', ') || 'none'}`);
    },
    posInt(k: string): number {
      const v = get(k);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`${path}.${k}`, `expected an integer >= 1, got ${JSON.stringify(v)}`);
      return v;
    },
    positive(k: string, dflt: number): number {
      const v = has(k) ? get(k) : dflt;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) fail(`${path}.${k}`, `expected a number > 0, got ${JSON.stringify(v)}`);
      return v;
    },
    bool(k: string, dflt: boolean): boolean {
      const v = has(k) ? get(k) : dflt;
      if (typeof v !== 'boolean') fail(`${path}.${k}`, `expected true or false, got ${JSON.stringify(v)}`);
      return v;
    },
  };
}
