/**
 * Optimizers with PyTorch's update rules (torch.optim defaults), written on tfjs ops so that the
 * SLM Lab `optim_spec` hyperparameters mean what they mean in PyTorch. tfjs's own optimizers differ
 * (epsilon placement in RMSprop, no AdamW, default epsilons), hence these.
 *
 * Each optimizer is bound to the variables it updates and treats them as one flat vector; its slots
 * are flat variables created eagerly so `getState`/`setState` work before the first step.
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
  /** One update from the flat gradient [sum of sizes] (variables in order, each flattened). Does not dispose `g`. */
  applyFlat(g: Tensor): void;
  /** Called before the gradients of its variables are computed (a Hogwild optimizer reads the global parameters). */
  beforeGradients?(): void;
  /** Slots (flat over all variables) and step count as named tensors: `${prefix}/${slot}` and `${prefix}/step`. */
  getState(prefix: string): Record<string, TensorData>;
  setState(prefix: string, state: Readonly<Record<string, TensorData>>): void;
  dispose(): void;
}

/** An `optim_spec` this lib cannot build; one line. */
export class OptimizerConfigError extends Error {
  override readonly name = 'OptimizerConfigError';
}

/**
 * One update rule on the flat gradient `g` [P] of all the optimizer's variables: updates the flat
 * slots and returns the amount to subtract from the flat parameters. `p()` gives the flat
 * parameters (only rules with L2 weight decay call it). Step `t` counts from 1.
 */
type Rule = (tf: Tf, g: Tensor, slots: readonly Variable[], t: number, lr: number, p: () => Tensor) => Tensor;

interface RuleDef {
  readonly slots: readonly string[];
  readonly rule: Rule;
  /** AdamW: p <- p * (1 - lr * decoupledDecay) before the step. */
  readonly decoupledDecay: number;
}

/** An update rule on the gradient after any L2 weight decay was added to it. */
type CoupledRule = (tf: Tf, g: Tensor, slots: readonly Variable[], t: number, lr: number) => Tensor;

/** A rule with torch's coupled (L2) weight decay: g <- g + wd * p before `rule`. */
function withL2(slots: readonly string[], wd: number, rule: CoupledRule): RuleDef {
  return {
    slots,
    decoupledDecay: 0,
    rule: (tf, g0, s, t, lr, p) => rule(tf, wd !== 0 ? tf.add(g0, tf.mul(p(), wd)) : g0, s, t, lr),
  };
}

function ruleFor(spec: OptimSpec): RuleDef {
  const [b1, b2] = spec.betas ?? [0.9, 0.999];
  const wdOf = (dflt: number): number => spec.weight_decay ?? dflt;
  switch (spec.name) {
    case 'Adam':
    case 'AdamW':
    case 'GlobalAdam': {
      const decoupled = spec.name === 'AdamW';
      const eps = spec.eps ?? 1e-8;
      const wd = wdOf(decoupled ? 0.01 : 0);
      const ams = spec.amsgrad ?? false;
      const slots = ams ? ['m', 'v', 'vmax'] : ['m', 'v'];
      const adam: CoupledRule = (tf, g, [m, v, vmax], t, lr) => {
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(m1);
        v.assign(v1);
        let vHat = v1;
        if (ams) {
          vHat = tf.maximum(vmax, v1);
          vmax.assign(vHat);
        }
        // lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) = (lr sqrt(bc2)/bc1) * m / (sqrt(v) + eps sqrt(bc2))
        const sbc2 = Math.sqrt(1 - b2 ** t);
        return tf.mul(tf.div(m1, tf.add(tf.sqrt(vHat), eps * sbc2)), (lr * sbc2) / (1 - b1 ** t));
      };
      return decoupled ? { slots, decoupledDecay: wd, rule: adam } : withL2(slots, wd, adam);
    }
    case 'RMSprop':
    case 'GlobalRMSprop': {
      const alpha = spec.alpha ?? 0.99;
      const eps = spec.eps ?? 1e-8;
      const mom = spec.momentum ?? 0;
      const centered = spec.centered ?? false;
      const slots = ['sq'];
      if (centered) slots.push('gavg');
      if (mom > 0) slots.push('buf');
      return withL2(slots, wdOf(0), (tf, g, s, _t, lr) => {
        const sq1 = tf.add(tf.mul(s[0], alpha), tf.mul(tf.square(g), 1 - alpha));
        s[0].assign(sq1);
        let avg: Tensor;
        if (centered) {
          const ga1 = tf.add(tf.mul(s[1], alpha), tf.mul(g, 1 - alpha));
          s[1].assign(ga1);
          avg = tf.add(tf.sqrt(tf.sub(sq1, tf.square(ga1))), eps);
        } else {
          avg = tf.add(tf.sqrt(sq1), eps);
        }
        if (mom > 0) {
          const buf = s[s.length - 1];
          const b = tf.add(tf.mul(buf, mom), tf.div(g, avg));
          buf.assign(b);
          return tf.mul(b, lr);
        }
        return tf.mul(tf.div(g, avg), lr);
      });
    }
    case 'SGD': {
      const mom = spec.momentum ?? 0;
      return withL2(mom > 0 ? ['buf'] : [], wdOf(0), (tf, g, s, t, lr) => {
        if (mom <= 0) return tf.mul(g, lr);
        const b = t === 1 ? g : tf.add(tf.mul(s[0], mom), g);
        s[0].assign(b);
        return tf.mul(b, lr);
      });
    }
    case 'Adagrad': {
      const eps = spec.eps ?? 1e-10;
      return withL2(['sum'], wdOf(0), (tf, g, [sum], _t, lr) => {
        const s1 = tf.add(sum, tf.square(g));
        sum.assign(s1);
        return tf.mul(tf.div(g, tf.add(tf.sqrt(s1), eps)), lr);
      });
    }
    case 'Adamax': {
      const eps = spec.eps ?? 1e-8;
      return withL2(['m', 'u'], wdOf(0), (tf, g, [m, u], t, lr) => {
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const u1 = tf.maximum(tf.mul(u, b2), tf.add(tf.abs(g), eps));
        m.assign(m1);
        u.assign(u1);
        return tf.mul(tf.div(m1, u1), lr / (1 - b1 ** t));
      });
    }
    case 'Adadelta': {
      const rho = spec.rho ?? 0.9;
      const eps = spec.eps ?? 1e-6;
      return withL2(['sq', 'acc'], wdOf(0), (tf, g, [sq, acc], _t, lr) => {
        const sq1 = tf.add(tf.mul(sq, rho), tf.mul(tf.square(g), 1 - rho));
        sq.assign(sq1);
        const delta = tf.mul(tf.div(tf.sqrt(tf.add(acc, eps)), tf.sqrt(tf.add(sq1, eps))), g);
        acc.assign(tf.add(tf.mul(acc, rho), tf.mul(tf.square(delta), 1 - rho)));
        return tf.mul(delta, lr);
      });
    }
    default:
      throw new OptimizerConfigError(
        `optim_spec.name '${String((spec as { name: unknown }).name)}' is not supported; use one of Adam, AdamW, RMSprop, SGD, Adagrad, Adamax, Adadelta`,
      );
  }
}

/** Flattens tensors into one 1-D tensor (caller owns it; call inside tidy). */
export function flatten(tf: Tf, ts: readonly Tensor[]): Tensor {
  return ts.length === 1 ? tf.reshape(ts[0], [-1]) : tf.concat(ts.map((t) => tf.reshape(t, [-1])));
}

/**
 * All variables are updated as one flat vector: one set of slot variables [P], one pass of the
 * update rule, then split back. On tfjs this is several times fewer ops than a pass per variable.
 */
class TorchOptimizer implements Optimizer {
  lr: number;
  private step = 0;
  private readonly slots: readonly Variable[];
  private readonly def: RuleDef;
  private readonly sizes: number[];

  constructor(
    private readonly tf: Tf,
    readonly name: OptimizerName,
    spec: OptimSpec,
    readonly vars: readonly Variable[],
  ) {
    this.def = ruleFor(spec);
    if (!(spec.lr >= 0) || !Number.isFinite(spec.lr)) throw new OptimizerConfigError(`optim_spec.lr must be a finite number >= 0, got ${spec.lr}`);
    if (vars.length === 0) throw new OptimizerConfigError('an optimizer needs at least one variable');
    this.lr = spec.lr;
    this.sizes = vars.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.slots = this.def.slots.map(() => tf.variable(tf.zeros([total]), false));
  }

  get stepCount(): number {
    return this.step;
  }

  apply(grads: readonly Tensor[]): void {
    if (grads.length !== this.vars.length) throw new Error(`optimizer got ${grads.length} gradients for ${this.vars.length} variables`);
    this.tf.tidy(() => this.applyFlat(flatten(this.tf, grads)));
  }

  /** One update from the flat gradient [P] (variables in order, each flattened). Does not dispose `g`. */
  applyFlat(g: Tensor): void {
    const tf = this.tf;
    this.step += 1;
    const t = this.step;
    const lr = this.lr;
    tf.tidy(() => {
      const delta = this.def.rule(tf, g, this.slots, t, lr, () => flatten(tf, this.vars));
      const parts = this.vars.length === 1 ? [delta] : tf.split(delta, this.sizes);
      const decay = this.def.decoupledDecay === 0 ? 1 : 1 - lr * this.def.decoupledDecay;
      this.vars.forEach((v, i) => {
        const base = decay === 1 ? v : tf.mul(v, decay);
        v.assign(tf.sub(base, tf.reshape(parts[i], v.shape)));
      });
    });
  }

  getState(prefix: string): Record<string, TensorData> {
    const out: Record<string, TensorData> = { [`${prefix}/step`]: { shape: [1], data: Float32Array.of(this.step) } };
    this.slots.forEach((s, j) => {
      out[`${prefix}/${this.def.slots[j]}`] = { shape: s.shape.slice(), data: s.dataSync() as Float32Array };
    });
    return out;
  }

  setState(prefix: string, state: Readonly<Record<string, TensorData>>): void {
    const step = state[`${prefix}/step`];
    if (step === undefined) throw new Error(`state has no tensor '${prefix}/step'`);
    this.slots.forEach((s, j) => {
      const key = `${prefix}/${this.def.slots[j]}`;
      const t = state[key];
      if (t === undefined || t.data.length !== s.size) throw new Error(`state tensor '${key}' is missing or has the wrong size`);
      this.tf.tidy(() => s.assign(this.tf.tensor1d(t.data)));
    });
    this.step = step.data[0];
  }

  dispose(): void {
    for (const s of this.slots) s.dispose();
  }
}

/** Builds the optimizer an SLM Lab `optim_spec` names, bound to `vars`. */
export function makeOptimizer(tf: Tf, spec: OptimSpec, vars: readonly Variable[]): Optimizer {
  return new TorchOptimizer(tf, spec.name, spec, vars);
}

/** A scalar-valued closure over tfjs ops. */
export type LossFn = () => Scalar;
