/**
 * One optimizer step: gradients by `tf.variableGrads`, global-norm clipping with the semantics of
 * torch.nn.utils.clip_grad_norm_, `apply`, and disposal of every intermediate. At most one data read.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { flatten, type LossFn, type Optimizer } from './optimizers.js';

export interface StepResult {
  /** Loss value at the parameters before the step. */
  readonly loss: number;
  /** Global L2 norm of the gradients before clipping. */
  readonly gradNorm: number;
}

/** One parameter group: its optimizer and (optional) clip_grad_val. */
export interface ParamGroup {
  readonly optimizer: Optimizer;
  /** Max global gradient norm of this group; null: no clipping. */
  readonly clipGradVal: number | null;
}

export interface GroupsStepResult {
  readonly loss: number;
  /** One global norm (before clipping) per group. */
  readonly gradNorms: readonly number[];
}

/**
 * Global L2 norm of `grads` (a scalar tensor) and, when `maxNorm` is set, the grads scaled by
 * min(1, maxNorm / (norm + 1e-6)) as torch does. The caller owns every returned tensor.
 */
export function clipByGlobalNorm(tf: Tf, grads: readonly Tensor[], maxNorm: number | null): { norm: Scalar; clipped: Tensor[] } {
  return tf.tidy(() => {
    const sq = grads.map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(sq.length === 1 ? sq[0] : tf.addN(sq)) as Scalar;
    if (maxNorm === null) return { norm, clipped: grads.map((g) => tf.clone(g)) };
    const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    return { norm, clipped: grads.map((g) => tf.mul(g, coef)) };
  });
}

/**
 * The global L2 norm of a flat gradient [P] and the gradient scaled by min(1, maxNorm / (norm +
 * 1e-6)) as torch.nn.utils.clip_grad_norm_ does; `maxNorm` null: not scaled. Call inside tidy.
 */
export function clipFlatByNorm(tf: Tf, flat: Tensor, maxNorm: number | null): { norm: Tensor; clipped: Tensor } {
  const norm = tf.sqrt(tf.sum(tf.square(flat)));
  return { norm, clipped: maxNorm === null ? flat : tf.mul(flat, tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1)) };
}

/**
 * Minimises `lossFn` over the variables of several groups with one gradient computation, clipping
 * each group by its own global norm and stepping its own optimizer. With disjoint parameter sets
 * this equals separate steps on separate losses summed into `lossFn` (e.g. actor + critic).
 * Each group's gradients are flattened into one vector: norm, clip and update run on it.
 */
export function minimizeGroups(tf: Tf, lossFn: LossFn, groups: readonly ParamGroup[]): GroupsStepResult {
  const allVars: Variable[] = groups.flatMap((g) => g.optimizer.vars as Variable[]);
  for (const g of groups) g.optimizer.beforeGradients?.();
  const { value, grads } = tf.variableGrads(lossFn, allVars);
  try {
    const packed = tf.tidy(() => {
      const norms: Tensor[] = [];
      for (const group of groups) {
        const gs = group.optimizer.vars.map((v) => {
          const g = grads[v.name];
          if (g === undefined) throw new Error(`no gradient for variable ${v.name}`);
          return g;
        });
        const { norm, clipped } = clipFlatByNorm(tf, flatten(tf, gs), group.clipGradVal);
        norms.push(norm);
        group.optimizer.applyFlat(clipped);
      }
      return tf.stack([value, ...norms]);
    });
    const data = packed.dataSync();
    packed.dispose();
    return { loss: data[0], gradNorms: Array.from(data.subarray(1)) };
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}

/**
 * One step of `optimizer` on `lossFn` over `vars` (which must be the optimizer's variables).
 * `clipGradVal`: max global gradient norm (SLM Lab `clip_grad_val`), null for none.
 */
export function minimize(tf: Tf, optimizer: Optimizer, lossFn: LossFn, vars: readonly Variable[], clipGradVal: number | null): StepResult {
  if (vars.length !== optimizer.vars.length || vars.some((v, i) => v !== optimizer.vars[i])) {
    throw new Error('minimize: vars must be the optimizer\'s variables, in order');
  }
  const r = minimizeGroups(tf, lossFn, [{ optimizer, clipGradVal }]);
  return { loss: r.loss, gradNorm: r.gradNorms[0] };
}

/**
 * The global norm of the gradients the optimizers applied: each group's norm after its
 * clip_grad_val scaling (norm * min(1, clip / (norm + 1e-6))), combined over groups.
 */
export function appliedGradNorm(gradNorms: readonly number[], groups: readonly ParamGroup[]): number {
  let sq = 0;
  gradNorms.forEach((g, i) => {
    const clip = groups[i].clipGradVal;
    const a = clip === null ? g : g * Math.min(1, clip / (g + 1e-6));
    sq += a * a;
  });
  return Math.sqrt(sq);
}
