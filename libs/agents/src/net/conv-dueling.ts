/**
 * SLM Lab's DuelingConvNet (conv.py, v5.3; Wang et al. 2016, "Dueling Network Architectures"): the
 * ConvNet body, then a state-value stream V (one linear unit) and an advantage stream A (one linear
 * unit per action) on the body's output, combined as Q(s, a) = V(s) + A(s, a) - mean_a' A(s, a').
 * Both streams are initialised by `init_fn` with the hidden activation's gain, as every other
 * layer (SLM Lab's init_layers). For the DQN family only: the net's output is Q, one per action.
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { AgentConfigError } from '../types.js';
import { ConvNet, checkConvNet, type ConvNetSpec } from './conv.js';
import { duelingQ } from './dueling.js';
import { Mlp } from './mlp.js';
import type { NetModule, TensorData } from './types.js';

/** Validates a DuelingConvNet spec against the observation shape [C, H, W] and the action count (AgentConfigError, one line). */
export function checkDuelingConvNet(spec: ConvNetSpec, inputShape: readonly number[], outDim: number): void {
  checkConvNet(spec, inputShape, 'DuelingConvNet');
  if (!Number.isInteger(outDim) || outDim < 1) throw new AgentConfigError(`agent.net.type: DuelingConvNet needs a discrete action space (Q per action), got ${outDim} outputs`);
}

export class DuelingConvNet implements NetModule {
  readonly name: string;
  /** One Q value per action. */
  readonly outputSize: number;
  readonly variables: readonly Variable[];
  private readonly value: Mlp;
  private readonly advantage: Mlp;

  /** The streams on `body`'s features; `rng` (the builder's, after the body's seed) seeds V then A. */
  constructor(
    private readonly tf: Tf,
    readonly body: ConvNet,
    spec: ConvNetSpec,
    outDim: number,
    rng: Rng,
  ) {
    const name = body.name;
    this.name = name;
    this.outputSize = outDim;
    const stream = (outputSize: number, stream: string): Mlp =>
      new Mlp(tf, {
        inputSize: body.outputSize,
        hidden: [],
        activation: spec.hid_layers_activation,
        outputSize,
        initFn: spec.init_fn,
        seed: rng.deriveSeed(),
        name: `${name}/${stream}`,
      });
    this.value = stream(1, 'v');
    this.advantage = stream(outDim, 'adv');
    this.variables = [...this.body.variables, ...this.value.variables, ...this.advantage.variables];
  }

  forward(x: Tensor, training = false): Tensor2D {
    const tf = this.tf;
    const h = this.body.forward(x, training);
    return duelingQ(tf, this.value.forward(h), this.advantage.forward(h));
  }

  variableNames(): string[] {
    return [...this.body.variableNames(), ...this.value.variableNames(), ...this.advantage.variableNames()];
  }

  namedWeights(): Record<string, Float32Array> {
    return { ...this.body.namedWeights(), ...this.value.namedWeights(), ...this.advantage.namedWeights() };
  }

  getState(): Record<string, TensorData> {
    return { ...this.body.getState(), ...this.value.getState(), ...this.advantage.getState() };
  }

  setState(state: Readonly<Record<string, TensorData>>): void {
    this.body.setState(state);
    this.value.setState(state);
    this.advantage.setState(state);
  }

  copyFrom(other: NetModule): void {
    const src = this.same(other);
    this.body.copyFrom(src.body);
    this.value.copyFrom(src.value);
    this.advantage.copyFrom(src.advantage);
  }

  polyakFrom(other: NetModule, coef: number): void {
    const src = this.same(other);
    this.body.polyakFrom(src.body, coef);
    this.value.polyakFrom(src.value, coef);
    this.advantage.polyakFrom(src.advantage, coef);
  }

  dispose(): void {
    this.body.dispose();
    this.value.dispose();
    this.advantage.dispose();
  }

  private same(other: NetModule): DuelingConvNet {
    if (!(other instanceof DuelingConvNet) || other.outputSize !== this.outputSize) {
      throw new Error(`DuelingConvNet ${this.name}: cannot copy from ${other.name}, architectures differ`);
    }
    return other;
  }
}

/**
 * The factory's builder for `net.type: DuelingConvNet`. Unlike the bodies it includes its output
 * (Q per action), so it takes the action count `outDim`: the algorithm uses it without a head.
 */
export function buildDuelingConvNet(tf: Tf, spec: ConvNetSpec, inputShape: readonly number[], seed: number, name: string, outDim: number): DuelingConvNet {
  checkDuelingConvNet(spec, inputShape, outDim);
  const rng = new Rng(seed);
  const body = new ConvNet(tf, spec, inputShape, rng.deriveSeed(), name, 'DuelingConvNet');
  return new DuelingConvNet(tf, body, spec, outDim, rng);
}
