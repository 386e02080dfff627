/** Schema tables of the small spec parts: decay schedules, optimizers, losses, lr schedulers. */
import { flag, int, list, num, p, required, tagged, type Check, type Is } from './dsl.js';

const decayUses = ['start_val', 'end_val', 'start_step', 'end_step'] as const;

const decayStepOrder: Check = (o) =>
  typeof o['start_step'] === 'number' && typeof o['end_step'] === 'number' && o['end_step'] < o['start_step']
    ? { key: 'end_step', problem: `must be >= start_step (${o['start_step']}), got ${o['end_step']}` }
    : null;

/** SLM Lab's VarScheduler specs: `explore_var_spec`, `entropy_coef_spec`, `clip_eps_spec`. */
const decaySpecTable = tagged({
  tag: 'name',
  what: 'decay schedule',
  fill: 'all',
  props: {
    start_val: required(num(), 'Value at and before start_step.'),
    end_val: p(num(), 'Value at and after end_step (default: start_val).', { defaultFrom: 'start_val' }),
    start_step: p(int({ min: 0 }), 'Frame at which the decay starts.', { default: 0 }),
    end_step: p(int({ min: 0 }), 'Frame at which the decay ends.', { default: 0 }),
    frequency: p(int({ min: 1 }), 'periodic_decay: period in frames.', { default: 60 }),
  },
  variants: {
    no_decay: { doc: 'Constant start_val.', uses: decayUses },
    linear_decay: { doc: 'Linear from start_val to end_val between start_step and end_step.', uses: decayUses },
    rate_decay: { doc: 'Exponential decay from start_val towards end_val.', uses: decayUses },
    periodic_decay: { doc: 'Decaying cosine-like cycles with period `frequency`.', uses: [...decayUses, 'frequency'] },
  },
  checks: [decayStepOrder],
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface DecaySpecField extends Is<typeof decaySpecTable> {}
export const decaySpec: DecaySpecField = decaySpecTable;

const lr = (dflt: number) => p(num({ min: 0, exclusiveMin: true }), 'Learning rate.', { default: dflt });
const betas = p(list(num({ min: 0, max: 1, exclusiveMax: true }), { minItems: 2, maxItems: 2 }), 'Coefficients of the running averages of the gradient and its square.', {
  default: [0.9, 0.999],
});
/** A number >= 0 (0 when absent unless `dflt` says otherwise). */
const nonNegative = (doc: string, dflt = 0) => p(num({ min: 0 }), doc, { default: dflt });
const eps = (dflt: number) => nonNegative('Term added to the denominator for numerical stability.', dflt);
const weightDecay = (dflt: number) => nonNegative('Weight decay (L2 penalty; decoupled for AdamW).', dflt);
const momentum = nonNegative('Momentum factor.');
/** torch.optim.RMSprop's keys that SLM Lab's GlobalRMSprop keeps. */
const rmspropProps = {
  lr: lr(0.01),
  alpha: p(num({ min: 0, max: 1 }), 'Smoothing constant.', { default: 0.99 }),
  eps: eps(1e-8),
  weight_decay: weightDecay(0),
};

const adamProps = (wd: number, lrDefault = 0.001) => ({
  lr: lr(lrDefault),
  betas,
  eps: eps(1e-8),
  weight_decay: weightDecay(wd),
  amsgrad: flag('Use the AMSGrad variant.'),
});

/** torch.optim optimizers and their keyword arguments, with torch's defaults. */
const optimSpecTable = tagged({
  tag: 'name',
  what: 'optimizer',
  fill: 'variant',
  common: ['lr'],
  variants: {
    Adam: { doc: 'torch.optim.Adam', props: adamProps(0) },
    AdamW: { doc: 'torch.optim.AdamW (decoupled weight decay)', props: adamProps(0.01) },
    GlobalAdam: {
      doc: "SLM Lab: Adam with its state in shared memory, for meta.distributed 'shared' (Hogwild)",
      props: { lr: lr(0.001), betas, eps: eps(1e-8), weight_decay: weightDecay(0) },
    },
    GlobalRMSprop: {
      doc: "SLM Lab: RMSprop with its state in shared memory, for meta.distributed 'shared' (Hogwild)",
      props: rmspropProps,
    },
    Adamax: {
      doc: 'torch.optim.Adamax',
      props: { lr: lr(0.002), betas, eps: eps(1e-8), weight_decay: weightDecay(0) },
    },
    RMSprop: {
      doc: 'torch.optim.RMSprop',
      props: { ...rmspropProps, momentum, centered: flag('Normalise the gradient by an estimate of its variance.') },
    },
    SGD: {
      doc: 'torch.optim.SGD',
      props: {
        lr: lr(0.001),
        momentum,
        dampening: nonNegative('Dampening for momentum.'),
        weight_decay: weightDecay(0),
        nesterov: flag('Nesterov momentum.'),
      },
    },
    Adagrad: {
      doc: 'torch.optim.Adagrad',
      props: {
        lr: lr(0.01),
        lr_decay: nonNegative('Learning-rate decay.'),
        weight_decay: weightDecay(0),
        initial_accumulator_value: nonNegative('Initial value of the sum of squares.'),
        eps: eps(1e-10),
      },
    },
    Adadelta: {
      doc: 'torch.optim.Adadelta',
      props: {
        lr: lr(1.0),
        rho: p(num({ min: 0, max: 1 }), 'Coefficient of the running average of squared gradients.', { default: 0.9 }),
        eps: eps(1e-6),
        weight_decay: weightDecay(0),
      },
    },
  },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface OptimSpecField extends Is<typeof optimSpecTable> {}
export const optimSpec: OptimSpecField = optimSpecTable;

/** torch.nn loss names used by SLM Lab nets (`loss_spec`). */
const lossSpecTable = tagged({
  tag: 'name',
  what: 'loss',
  fill: 'variant',
  variants: {
    MSELoss: { doc: 'Mean squared error.', props: {} },
    L1Loss: { doc: 'Mean absolute error.', props: {} },
    SmoothL1Loss: {
      doc: 'Huber-like loss, quadratic below beta.',
      props: { beta: nonNegative('Threshold between the L2 and L1 parts.', 1.0) },
    },
    HuberLoss: {
      doc: 'Huber loss.',
      props: { delta: p(num({ min: 0, exclusiveMin: true }), 'Threshold between the L2 and L1 parts.', { default: 1.0 }) },
    },
    CrossEntropyLoss: { doc: 'Classification loss: SLM Lab builds it for any net; no algorithm here regresses values with it (Reinforce and Random do not read loss_spec).', props: {} },
  },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface LossSpecField extends Is<typeof lossSpecTable> {}
export const lossSpec: LossSpecField = lossSpecTable;

const gammaFactor = (mustGive: boolean) =>
  p(num({ min: 0, exclusiveMin: true, max: 1 }), 'Multiplicative factor of lr decay.', mustGive ? { required: true } : { default: 0.1 });

/** SLM Lab lr schedulers: its LinearToZero, and torch.optim.lr_scheduler classes with their kwargs. */
const lrSchedulerSpecTable = tagged({
  tag: 'name',
  what: 'lr scheduler',
  fill: 'variant',
  variants: {
    LinearToZero: {
      doc: 'SLM Lab: lr falls linearly to 0 over `frame` env frames.',
      props: { frame: required(int({ min: 1 }), 'Env frames over which lr reaches 0.') },
    },
    StepLR: {
      doc: 'torch StepLR',
      props: { step_size: required(int({ min: 1 }), 'Period of lr decay (scheduler steps).'), gamma: gammaFactor(false) },
    },
    MultiStepLR: {
      doc: 'torch MultiStepLR',
      props: {
        milestones: required(list(int({ min: 0 }), { minItems: 1 }), 'Scheduler steps at which lr is multiplied by gamma.'),
        gamma: gammaFactor(false),
      },
    },
    ExponentialLR: { doc: 'torch ExponentialLR', props: { gamma: gammaFactor(true) } },
    CosineAnnealingLR: {
      doc: 'torch CosineAnnealingLR',
      props: {
        T_max: required(int({ min: 1 }), 'Half period (scheduler steps).'),
        eta_min: nonNegative('Minimum lr.'),
      },
    },
    ConstantLR: {
      doc: 'torch ConstantLR',
      props: {
        factor: p(num({ min: 0, max: 1 }), 'Factor applied until total_iters.', { default: 1 / 3 }),
        total_iters: p(int({ min: 0 }), 'Scheduler steps with the factor applied.', { default: 5 }),
      },
    },
    LinearLR: {
      doc: 'torch LinearLR',
      props: {
        start_factor: p(num({ min: 0, exclusiveMin: true, max: 1 }), 'Factor at the first step.', { default: 1 / 3 }),
        end_factor: p(num({ min: 0, max: 1 }), 'Factor at total_iters.', { default: 1.0 }),
        total_iters: p(int({ min: 0 }), 'Scheduler steps to reach end_factor.', { default: 5 }),
      },
    },
  },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface LrSchedulerSpecField extends Is<typeof lrSchedulerSpecTable> {}
export const lrSchedulerSpec: LrSchedulerSpecField = lrSchedulerSpecTable;
