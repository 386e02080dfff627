/**
 * Optimizers with PyTorch's update rules (torch.optim defaults), written on tfjs ops so that the
 * SLM Lab `optim_spec` hyperparameters mean what they mean in PyTorch. tfjs's own optimizers differ
 * (epsilon placement in RMSprop, no AdamW, default epsilons), hence these.
 *
 * Each optimizer is bound to the variables it updates; its slots are variables of the same shapes,
 * created eagerly so `getState`/`setState` work before the first step.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { OptimizerName, OptimSpec } from '@gymlab/spec';
import type { TensorData } from '../net/mlp.js';

export interface Optimizer {
  readonly name: OptimizerName;
  /** Current learning rate; an lr scheduler sets it. */
  lr: number;
  /** The variables this optimizer updates, in order. */
  readonly vars: readonly Variable[];
  /** Steps taken so far. */
  readonly stepCount: number;
  /** One update; `grads[i]` is the gradient of `vars[i]`. Does not dispose `grads`. */
  apply(grads: readonly Tensor[]): void;
  /** Slots and step count as named tensors: `${prefix}/${slot}/${i}` and `${prefix}/step`. */
  getState(prefix: string): Record<string, TensorData>;
  setState(prefix: string, state: Readonly<Record<string, TensorData>>): void;
  dispose(): void;
}

/** An `optim_spec` this lib cannot build; one line. */
export class OptimizerConfigError extends Error {
  override readonly name = 'OptimizerConfigError';
}

type Rule = (tf: Tf, p: Variable, g: Tensor, slots: readonly Variable[], step: number, lr: number) => void;

interface RuleDef {
  readonly slots: readonly string[];
  readonly rule: Rule;
}

function ruleFor(spec: OptimSpec): RuleDef {
  const [b1, b2] = spec.betas ?? [0.9, 0.999];
  switch (spec.name) {
    case 'Adam':
    case 'AdamW': {
      const decoupled = spec.name === 'AdamW';
      const eps = spec.eps ?? 1e-8;
      const wd = spec.weight_decay ?? (decoupled ? 0.01 : 0);
      const ams = spec.amsgrad ?? false;
      return {
        slots: ams ? ['m', 'v', 'vmax'] : ['m', 'v'],
        rule: (tf, p, g0, [m, v, vmax], t, lr) => {
          let g = g0;
          if (wd !== 0 && !decoupled) g = tf.add(g, tf.mul(p, wd));
          const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
          const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
          m.assign(m1);
          v.assign(v1);
          let vHat = v1;
          if (ams) {
            vHat = tf.maximum(vmax, v1);
            vmax.assign(vHat);
          }
          const bc1 = 1 - b1 ** t;
          const bc2 = 1 - b2 ** t;
          const denom = tf.add(tf.mul(tf.sqrt(vHat), 1 / Math.sqrt(bc2)), eps);
          const base = wd !== 0 && decoupled ? tf.mul(p, 1 - lr * wd) : p;
          p.assign(tf.sub(base, tf.mul(tf.div(m1, denom), lr / bc1)));
        },
      };
    }
    case 'RMSprop': {
      const alpha = spec.alpha ?? 0.99;
      const eps = spec.eps ?? 1e-8;
      const wd = spec.weight_decay ?? 0;
      const mom = spec.momentum ?? 0;
      const centered = spec.centered ?? false;
      const slots = ['sq'];
      if (centered) slots.push('gavg');
      if (mom > 0) slots.push('buf');
      return {
        slots,
        rule: (tf, p, g0, s, _t, lr) => {
          const g = wd !== 0 ? tf.add(g0, tf.mul(p, wd)) : g0;
          const sq = s[0];
          const sq1 = tf.add(tf.mul(sq, alpha), tf.mul(tf.square(g), 1 - alpha));
          sq.assign(sq1);
          let avg: Tensor;
          if (centered) {
            const ga = s[1];
            const ga1 = tf.add(tf.mul(ga, alpha), tf.mul(g, 1 - alpha));
            ga.assign(ga1);
            avg = tf.add(tf.sqrt(tf.sub(sq1, tf.square(ga1))), eps);
          } else {
            avg = tf.add(tf.sqrt(sq1), eps);
          }
          if (mom > 0) {
            const buf = s[s.length - 1];
            const b = tf.add(tf.mul(buf, mom), tf.div(g, avg));
            buf.assign(b);
            p.assign(tf.sub(p, tf.mul(b, lr)));
          } else {
            p.assign(tf.sub(p, tf.mul(tf.div(g, avg), lr)));
          }
        },
      };
    }
    case 'SGD': {
      const wd = spec.weight_decay ?? 0;
      const mom = spec.momentum ?? 0;
      return {
        slots: mom > 0 ? ['buf'] : [],
        rule: (tf, p, g0, s, t, lr) => {
          const g = wd !== 0 ? tf.add(g0, tf.mul(p, wd)) : g0;
          if (mom > 0) {
            const buf = s[0];
            const b = t === 1 ? g : tf.add(tf.mul(buf, mom), g);
            buf.assign(b);
            p.assign(tf.sub(p, tf.mul(b, lr)));
          } else {
            p.assign(tf.sub(p, tf.mul(g, lr)));
          }
        },
      };
    }
    case 'Adagrad': {
      const eps = spec.eps ?? 1e-10;
      const wd = spec.weight_decay ?? 0;
      return {
        slots: ['sum'],
        rule: (tf, p, g0, [sum], _t, lr) => {
          const g = wd !== 0 ? tf.add(g0, tf.mul(p, wd)) : g0;
          const s1 = tf.add(sum, tf.square(g));
          sum.assign(s1);
          p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(s1), eps)), lr)));
        },
      };
    }
    case 'Adamax': {
      const eps = spec.eps ?? 1e-8;
      const wd = spec.weight_decay ?? 0;
      return {
        slots: ['m', 'u'],
        rule: (tf, p, g0, [m, u], t, lr) => {
          const g = wd !== 0 ? tf.add(g0, tf.mul(p, wd)) : g0;
          const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
          const u1 = tf.maximum(tf.mul(u, b2), tf.add(tf.abs(g), eps));
          m.assign(m1);
          u.assign(u1);
          p.assign(tf.sub(p, tf.mul(tf.div(m1, u1), lr / (1 - b1 ** t))));
        },
      };
    }
    case 'Adadelta': {
      const rho = spec.rho ?? 0.9;
      const eps = spec.eps ?? 1e-6;
      const wd = spec.weight_decay ?? 0;
      return {
        slots: ['sq', 'acc'],
        rule: (tf, p, g0, [sq, acc], _t, lr) => {
          const g = wd !== 0 ? tf.add(g0, tf.mul(p, wd)) : g0;
          const sq1 = tf.add(tf.mul(sq, rho), tf.mul(tf.square(g), 1 - rho));
          sq.assign(sq1);
          const delta = tf.mul(tf.div(tf.sqrt(tf.add(acc, eps)), tf.sqrt(tf.add(sq1, eps))), g);
          acc.assign(tf.add(tf.mul(acc, rho), tf.mul(tf.square(delta), 1 - rho)));
          p.assign(tf.sub(p, tf.mul(delta, lr)));
        },
      };
    }
    default:
      throw new OptimizerConfigError(
        `optim_spec.name '${String((spec as { name: unknown }).name)}' is not supported; use one of Adam, AdamW, RMSprop, SGD, Adagrad, Adamax, Adadelta`,
      );
  }
}

class TorchOptimizer implements Optimizer {
  lr: number;
  private step = 0;
  private readonly slots: readonly (readonly Variable[])[];
  private readonly def: RuleDef;

  constructor(
    private readonly tf: Tf,
    readonly name: OptimizerName,
    spec: OptimSpec,
    readonly vars: readonly Variable[],
  ) {
    this.def = ruleFor(spec);
    if (!(spec.lr >= 0) || !Number.isFinite(spec.lr)) throw new OptimizerConfigError(`optim_spec.lr must be a finite number >= 0, got ${spec.lr}`);
    this.lr = spec.lr;
    this.slots = vars.map((v) => this.def.slots.map(() => tf.variable(tf.zerosLike(v), false)));
  }

  get stepCount(): number {
    return this.step;
  }

  apply(grads: readonly Tensor[]): void {
    if (grads.length !== this.vars.length) throw new Error(`optimizer got ${grads.length} gradients for ${this.vars.length} variables`);
    this.step += 1;
    const t = this.step;
    const lr = this.lr;
    this.tf.tidy(() => {
      this.vars.forEach((v, i) => this.def.rule(this.tf, v, grads[i], this.slots[i], t, lr));
    });
  }

  getState(prefix: string): Record<string, TensorData> {
    const out: Record<string, TensorData> = { [`${prefix}/step`]: { shape: [1], data: Float32Array.of(this.step) } };
    this.slots.forEach((vs, i) =>
      vs.forEach((s, j) => {
        out[`${prefix}/${this.def.slots[j]}/${i}`] = { shape: s.shape.slice(), data: s.dataSync() as Float32Array };
      }),
    );
    return out;
  }

  setState(prefix: string, state: Readonly<Record<string, TensorData>>): void {
    const step = state[`${prefix}/step`];
    if (step === undefined) throw new Error(`state has no tensor '${prefix}/step'`);
    this.slots.forEach((vs, i) =>
      vs.forEach((s, j) => {
        const key = `${prefix}/${this.def.slots[j]}/${i}`;
        const t = state[key];
        if (t === undefined || t.data.length !== s.size) throw new Error(`state tensor '${key}' is missing or has the wrong size`);
        this.tf.tidy(() => s.assign(this.tf.tensor(t.data, s.shape)));
      }),
    );
    this.step = step.data[0];
  }

  dispose(): void {
    for (const vs of this.slots) for (const s of vs) s.dispose();
  }
}

/** Builds the optimizer an SLM Lab `optim_spec` names, bound to `vars`. */
export function makeOptimizer(tf: Tf, spec: OptimSpec, vars: readonly Variable[]): Optimizer {
  return new TorchOptimizer(tf, spec.name, spec, vars);
}

/** A scalar-valued closure over tfjs ops. */
export type LossFn = () => Scalar;
