/**
 * The bookkeeping every NetModule shares: its variables by name (trainable weights in optimizer
 * order, then running statistics), and the state functions of the interface built on them.
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { NetModule, TensorData } from './types.js';

export interface NamedVar {
  /** Full name, starting with the module's name and a slash. */
  readonly name: string;
  readonly v: Variable;
  /** false: a running statistic (saved and copied, never optimised or polyak-averaged). */
  readonly trainable: boolean;
}

export class NamedVars {
  /** Trainable variables, in order. */
  readonly variables: readonly Variable[];
  private readonly trainableNames: readonly string[];
  private readonly buffers: readonly NamedVar[];

  constructor(
    private readonly tf: Tf,
    private readonly owner: string,
    private readonly all: readonly NamedVar[],
  ) {
    const trainable = all.filter((e) => e.trainable);
    this.variables = trainable.map((e) => e.v);
    this.trainableNames = trainable.map((e) => e.name);
    this.buffers = all.filter((e) => !e.trainable);
  }

  variableNames(): string[] {
    return [...this.trainableNames];
  }

  namedWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    this.variables.forEach((v, i) => {
      out[this.trainableNames[i]] = v.dataSync() as Float32Array;
    });
    return out;
  }

  getState(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const e of this.all) out[e.name] = { shape: e.v.shape.slice(), data: e.v.dataSync() as Float32Array };
    return out;
  }

  setState(state: Readonly<Record<string, TensorData>>): void {
    const tf = this.tf;
    for (const e of this.all) {
      const t = Object.prototype.hasOwnProperty.call(state, e.name) ? state[e.name] : undefined;
      if (t === undefined) throw new Error(`state has no tensor '${e.name}'`);
      if (t.shape.length !== e.v.shape.length || t.shape.some((d, j) => d !== e.v.shape[j])) {
        throw new Error(`state tensor '${e.name}' has shape [${t.shape.join(',')}], expected [${e.v.shape.join(',')}]`);
      }
      tf.tidy(() => e.v.assign(tf.tensor(t.data, e.v.shape)));
    }
  }

  /** this <- other: trainable variables on the device, running statistics through other's state. */
  copyFrom(other: NetModule): void {
    this.checkSameShape(other);
    this.variables.forEach((v, i) => v.assign(other.variables[i]));
    if (this.buffers.length === 0) return;
    const state = other.getState();
    const renamed: Record<string, TensorData> = {};
    for (const e of this.buffers) {
      const key = other.name + e.name.slice(this.owner.length);
      const t = state[key];
      if (t === undefined) throw new Error(`${this.owner}: cannot copy from ${other.name}, it has no '${key}'`);
      renamed[e.name] = t;
    }
    new NamedVars(this.tf, this.owner, this.buffers).setState(renamed);
  }

  /** this <- coef * other + (1 - coef) * this, trainable variables only (torch's parameters()). */
  polyakFrom(other: NetModule, coef: number): void {
    this.checkSameShape(other);
    const tf = this.tf;
    tf.tidy(() => {
      this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(other.variables[i], coef), tf.mul(v, 1 - coef))));
    });
  }

  dispose(): void {
    for (const e of this.all) e.v.dispose();
  }

  private checkSameShape(other: NetModule): void {
    const same =
      other.variables.length === this.variables.length &&
      other.variables.every((v, i) => (v as Tensor).shape.join(',') === this.variables[i].shape.join(','));
    if (!same) throw new Error(`${this.owner}: cannot copy from ${other.name}, shapes differ`);
  }
}

/** A NetModule whose state functions are its NamedVars' (each net supplies its forward pass). */
export abstract class NamedVarsNet implements NetModule {
  readonly variables: readonly Variable[];

  protected constructor(
    readonly name: string,
    readonly outputSize: number,
    private readonly vars: NamedVars,
  ) {
    this.variables = vars.variables;
  }

  abstract forward(x: Tensor, training?: boolean): Tensor2D;

  variableNames(): string[] {
    return this.vars.variableNames();
  }
  namedWeights(): Record<string, Float32Array> {
    return this.vars.namedWeights();
  }
  getState(): Record<string, TensorData> {
    return this.vars.getState();
  }
  setState(state: Readonly<Record<string, TensorData>>): void {
    this.vars.setState(state);
  }
  copyFrom(other: NetModule): void {
    this.vars.copyFrom(other);
  }
  polyakFrom(other: NetModule, coef: number): void {
    this.vars.polyakFrom(other, coef);
  }
  dispose(): void {
    this.vars.dispose();
  }
}
