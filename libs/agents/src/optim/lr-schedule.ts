/**
 * SLM Lab's `lr_scheduler_spec`: its own `LinearToZero` (lr falls linearly to 0 over `frame` env
 * frames), else a torch.optim.lr_scheduler class stepped once per training (optimizer) step. The
 * closed forms below equal torch's chained updates at step `t`.
 */
import type { LrSchedulerSpec } from '@gymlab/spec';
import type { Optimizer } from './optimizers.js';

export class LrScheduleError extends Error {
  override readonly name = 'LrScheduleError';
}

const NAMES = ['LinearToZero', 'StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'ConstantLR', 'LinearLR'];

export class LrSchedule {
  constructor(
    private readonly spec: LrSchedulerSpec | null,
    /** The optimizer's lr from its optim_spec. */
    private readonly baseLr: number,
  ) {
    if (spec === null) return;
    const need = (key: 'frame' | 'step_size' | 'gamma' | 'T_max'): void => {
      const v = spec[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new LrScheduleError(`lr_scheduler_spec ${spec.name} needs a number '${key}'`);
    };
    if (!NAMES.includes(spec.name)) {
      throw new LrScheduleError(`lr_scheduler_spec.name '${String(spec.name)}' is not supported; use one of ${NAMES.join(', ')}`);
    }
    if (spec.name === 'LinearToZero') need('frame');
    if (spec.name === 'StepLR') need('step_size');
    if (spec.name === 'ExponentialLR') need('gamma');
    if (spec.name === 'CosineAnnealingLR') need('T_max');
    if (spec.name === 'MultiStepLR' && !Array.isArray(spec.milestones)) throw new LrScheduleError("lr_scheduler_spec MultiStepLR needs a list 'milestones'");
  }

  /**
   * The lr after `frame` env frames and `step` optimizer steps:
   * - none: base
   * - LinearToZero: base * max(0, 1 - frame / spec.frame)
   * - StepLR: base * gamma^floor(step / step_size) (gamma default 0.1)
   * - MultiStepLR: base * gamma^(number of milestones <= step)
   * - ExponentialLR: base * gamma^step
   * - CosineAnnealingLR: eta_min + (base - eta_min) * (1 + cos(pi * step / T_max)) / 2 (step clamped at T_max)
   * - ConstantLR: base * factor while step < total_iters, then base (factor 1/3, total_iters 5)
   * - LinearLR: base * (start + (end - start) * min(step, total_iters) / total_iters) (1/3 -> 1 over 5)
   */
  lrAt(frame: number, step: number): number {
    const s = this.spec;
    const base = this.baseLr;
    if (s === null) return base;
    const gamma = s.gamma ?? 0.1;
    switch (s.name) {
      case 'LinearToZero':
        return base * Math.max(0, 1 - frame / (s.frame as number));
      case 'StepLR':
        return base * gamma ** Math.floor(step / (s.step_size as number));
      case 'MultiStepLR':
        return base * gamma ** (s.milestones ?? []).filter((m) => m <= step).length;
      case 'ExponentialLR':
        return base * gamma ** step;
      case 'CosineAnnealingLR': {
        const T = s.T_max as number;
        const etaMin = s.eta_min ?? 0;
        return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * Math.min(step, T)) / T))) / 2;
      }
      case 'ConstantLR':
        return step < (s.total_iters ?? 5) ? base * (s.factor ?? 1 / 3) : base;
      case 'LinearLR': {
        const total = s.total_iters ?? 5;
        const a = s.start_factor ?? 1 / 3;
        const b = s.end_factor ?? 1;
        return base * (total <= 0 ? b : a + ((b - a) * Math.min(step, total)) / total);
      }
    }
  }

  /** Sets each optimizer's lr for the step it is about to take (its `stepCount`) at `frame`; returns the first one's lr. */
  apply(optimizers: readonly Optimizer[], frame: number): number {
    let first = this.baseLr;
    optimizers.forEach((o, i) => {
      o.lr = this.lrAt(frame, o.stepCount);
      if (i === 0) first = o.lr;
    });
    return first;
  }
}
