/**
 * One place that turns an SLM Lab `net` spec into a NetModule, so every algorithm accepts every
 * net type built here. Each type registers a check (the spec against the input shape, without a
 * tensor: for checkAgentSpec) and a builder; adding one (ConvNet, RecurrentNet, ...) is one entry
 * in NET_TYPES below. A type without an entry is refused with NotBuiltError.
 *
 * What is built: the body alone (a shared actor-critic body, [B, body width]) or the body with an
 * output layer (SLM Lab's tail: a Linear of `output.size` and `out_layer_activation`).
 */
import type { Tf } from '@gymlab/backends';
import type { Activation, NetSpec } from '@gymlab/spec';
import { Rng } from '@gymlab/random';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { ArcBody } from './arc.js';
import { planArc } from './arc-spec.js';
import { DuelingMlp } from './dueling.js';
import { HeadedNet } from './headed.js';
import { buildConvNet, checkConvNet } from './conv.js';
import { buildDuelingConvNet } from './conv-dueling.js';
import { calculateGain } from './init.js';
import { buildRecurrentNet, checkRecurrentNet } from './recurrent.js';
import { Mlp, type MlpNorm } from './mlp.js';
import type { NetModule } from './types.js';

/** What the algorithm builds: Q-values over discrete actions, or an on-policy actor / critic. */
export type NetRole = 'q' | 'actor-critic';

/** SLM Lab's tail: one Linear on the body. */
export interface OutputLayer {
  readonly size: number;
  readonly activation: Activation | null;
  /** Gain of `init_fn` for this layer; default the hidden layers' gain. */
  readonly gain?: number;
}

export interface BuildNetOptions {
  /** Prefix of every weight name. */
  readonly name: string;
  readonly seed: number;
  /** Gain of `init_fn` for the body's layers; default calculateGain(hid_layers_activation). */
  readonly hiddenGain?: number;
  /** The output layer; absent: the body alone (its last layer activated, as a hidden layer). */
  readonly output?: OutputLayer;
}

export interface NetEntry {
  /** Throws AgentConfigError / NotBuiltError (one line) when the spec cannot build on this input. */
  check(net: NetSpec, inputShape: readonly number[], role: NetRole, shared: boolean, path: string): void;
  build(tf: Tf, net: NetSpec, inputShape: readonly number[], opts: BuildNetOptions): NetModule;
}

function flatInput(type: string, inputShape: readonly number[]): number {
  if (inputShape.length !== 1) throw new AgentConfigError(`${type} needs a flat Box observation space, got shape [${inputShape.join(', ')}]`);
  return inputShape[0];
}

function mlpNorm(net: NetSpec): MlpNorm | null {
  if (net.batch_norm) return 'batch_norm';
  return net.layer_norm ? 'layer_norm' : null;
}

const mlpNet: NetEntry = {
  check(net, inputShape, _role, shared) {
    flatInput('MLPNet', inputShape);
    if (shared && net.hid_layers.length === 0) throw new AgentConfigError('agent.net.hid_layers must not be empty for a shared actor-critic net');
  },
  build(tf, net, inputShape, o) {
    const common = { inputSize: flatInput('MLPNet', inputShape), activation: net.hid_layers_activation, initFn: net.init_fn, seed: o.seed, name: o.name, hiddenGain: o.hiddenGain, norm: mlpNorm(net) };
    if (o.output !== undefined) {
      return new Mlp(tf, { ...common, hidden: net.hid_layers, outputSize: o.output.size, outputActivation: o.output.activation, outputGain: o.output.gain });
    }
    const hid = net.hid_layers;
    if (hid.length === 0) throw new AgentConfigError('agent.net.hid_layers must not be empty for a net body without an output layer');
    return new Mlp(tf, { ...common, hidden: hid.slice(0, -1), outputSize: hid[hid.length - 1], outputActivation: net.hid_layers_activation, outputGain: o.hiddenGain, normOutput: true });
  },
};

const duelingMlpNet: NetEntry = {
  check(net, inputShape, role) {
    if (role !== 'q') throw new AgentConfigError('agent.net.type DuelingMLPNet computes Q-values for the DQN family (VanillaDQN, DQN, DoubleDQN); use MLPNet or TorchArcNet');
    flatInput('DuelingMLPNet', inputShape);
    if (net.hid_layers.length === 0) throw new AgentConfigError('agent.net.hid_layers must not be empty for DuelingMLPNet (the value and advantage streams share a body)');
  },
  build(tf, net, inputShape, o) {
    if (o.output === undefined) throw new AgentConfigError('DuelingMLPNet has no body-only form; it needs the number of actions');
    return new DuelingMlp(tf, {
      inputSize: flatInput('DuelingMLPNet', inputShape), hidden: net.hid_layers, activation: net.hid_layers_activation,
      numActions: o.output.size, initFn: net.init_fn, gain: o.hiddenGain, seed: o.seed, name: o.name,
    });
  },
};

const torchArcNet: NetEntry = {
  check(net, inputShape, _role, _shared, path) {
    if (net.arc === null) throw new AgentConfigError(`${path}.arc is required for TorchArcNet`);
    planArc(net.arc, inputShape, `${path}.arc`);
  },
  build(tf, net, inputShape, o) {
    const plan = planArc(net.arc, inputShape);
    const gain = o.hiddenGain ?? calculateGain(net.hid_layers_activation);
    const seeds = new Rng(o.seed);
    const body = new ArcBody(tf, { plan, inputShape, initFn: net.init_fn, gain, seed: seeds.deriveSeed(), name: o.name, scaleInput: net.normalize ? 1 / 255 : 1 });
    return withOutputLayer(tf, net, body, o, seeds.deriveSeed(), gain);
  },
};

/**
 * SLM Lab's tail on a body: one Linear of `o.output.size` units (its `out_layer_activation`), named
 * `${name}/tail`; without `o.output`, the body alone.
 */
function withOutputLayer(tf: Tf, net: NetSpec, body: NetModule, o: BuildNetOptions, seed: number, gain: number): NetModule {
  if (o.output === undefined) return body;
  const head = new Mlp(tf, {
    inputSize: body.outputSize, hidden: [], activation: net.hid_layers_activation, outputSize: o.output.size, outputActivation: o.output.activation,
    initFn: net.init_fn, seed, name: `${o.name}/tail`, hiddenGain: gain, outputGain: o.output.gain ?? gain,
  });
  return new HeadedNet(o.name, body, head);
}

/** A body-and-tail net type whose body comes from `build` (ConvNet, RecurrentNet). */
function bodyNet(check: (net: NetSpec, inputShape: readonly number[]) => void, build: (tf: Tf, net: NetSpec, inputShape: readonly number[], seed: number, name: string) => NetModule): NetEntry {
  return {
    check: (net, inputShape) => check(net, inputShape),
    build(tf, net, inputShape, o) {
      const seeds = new Rng(o.seed);
      const body = build(tf, net, inputShape, seeds.deriveSeed(), o.name);
      return withOutputLayer(tf, net, body, o, seeds.deriveSeed(), o.hiddenGain ?? calculateGain(net.hid_layers_activation));
    },
  };
}

const duelingConvNet: NetEntry = {
  check(net, inputShape, role) {
    if (role !== 'q') throw new AgentConfigError('agent.net.type DuelingConvNet computes Q-values for the DQN family (VanillaDQN, DQN, DoubleDQN); use ConvNet');
    checkConvNet(net, inputShape, 'DuelingConvNet');
  },
  build(tf, net, inputShape, o) {
    if (o.output === undefined) throw new AgentConfigError('DuelingConvNet has no body-only form; it needs the number of actions');
    return buildDuelingConvNet(tf, net, inputShape, o.seed, o.name, o.output.size);
  },
};

/** Net types this build constructs. */
const NET_TYPES: Readonly<Record<string, NetEntry>> = {
  MLPNet: mlpNet,
  DuelingMLPNet: duelingMlpNet,
  TorchArcNet: torchArcNet,
  ConvNet: bodyNet(checkConvNet, buildConvNet),
  DuelingConvNet: duelingConvNet,
  RecurrentNet: bodyNet(checkRecurrentNet, buildRecurrentNet),
};

/** Names of the net types this build constructs, sorted. */
export function builtNetTypes(): string[] {
  return Object.keys(NET_TYPES).sort();
}

function entryFor(type: string): NetEntry {
  const entry = Object.prototype.hasOwnProperty.call(NET_TYPES, type) ? NET_TYPES[type] : undefined;
  if (entry === undefined) {
    throw new NotBuiltError(`net ${type}: not built yet`, `agent.net.type '${type}' is not built in gymlab yet; built: ${builtNetTypes().join(', ')}`);
  }
  return entry;
}

/**
 * Checks that `net` builds on inputs of `inputShape` (one sample's shape) for `role`; `shared`:
 * the algorithm will build the body alone (a shared actor-critic); `path`: the spec's key of `net`
 * (`agent.critic_net` for CrossQ's critics), in messages. Throws NotBuiltError / AgentConfigError
 * with one line.
 */
export function checkNetSpec(net: NetSpec, inputShape: readonly number[], role: NetRole, shared = false, path = 'agent.net'): void {
  entryFor(net.type).check(net, inputShape, role, shared, path);
}

/** Builds `net` (after `checkNetSpec`) for inputs [B, ...inputShape]. */
export function buildNet(tf: Tf, net: NetSpec, inputShape: readonly number[], opts: BuildNetOptions): NetModule {
  return entryFor(net.type).build(tf, net, inputShape, opts);
}
