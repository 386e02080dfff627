/** A body NetModule followed by a head NetModule (SLM Lab's body + tail), as one NetModule. */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { NetModule, TensorData } from './types.js';

export class HeadedNet implements NetModule {
  readonly outputSize: number;
  readonly variables: readonly Variable[];

  /** `body` and `head` names must start with `name/`, so their state keys are this net's. */
  constructor(
    readonly name: string,
    private readonly body: NetModule,
    private readonly head: NetModule,
  ) {
    this.outputSize = head.outputSize;
    this.variables = [...body.variables, ...head.variables];
  }

  forward(x: Tensor, training = false): Tensor2D {
    return this.head.forward(this.body.forward(x, training), training);
  }
  variableNames(): string[] {
    return [...this.body.variableNames(), ...this.head.variableNames()];
  }
  namedWeights(): Record<string, Float32Array> {
    return { ...this.body.namedWeights(), ...this.head.namedWeights() };
  }
  getState(): Record<string, TensorData> {
    return { ...this.body.getState(), ...this.head.getState() };
  }
  setState(state: Readonly<Record<string, TensorData>>): void {
    this.body.setState(state);
    this.head.setState(state);
  }
  copyFrom(other: NetModule): void {
    const o = asHeaded(other, this.name);
    this.body.copyFrom(o.body);
    this.head.copyFrom(o.head);
  }
  polyakFrom(other: NetModule, coef: number): void {
    const o = asHeaded(other, this.name);
    this.body.polyakFrom(o.body, coef);
    this.head.polyakFrom(o.head, coef);
  }
  dispose(): void {
    this.body.dispose();
    this.head.dispose();
  }
}

function asHeaded(other: NetModule, name: string): HeadedNet {
  if (!(other instanceof HeadedNet)) throw new Error(`${name}: cannot copy from ${other.name}, a different architecture`);
  return other;
}
