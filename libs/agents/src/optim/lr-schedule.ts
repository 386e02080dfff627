/**
 * SLM Lab's `lr_scheduler_spec`. SLM Lab steps its torch scheduler with the env frame count
 * (`lr_scheduler.step(epoch=frame)`), so `t` here is the frame; the algorithm sets the lr of its
 * optimizers with `apply(optimizers, frame)` before each training step.
 */
import type { LrSchedulerSpec } from '@gymlab/spec';
import type { Optimizer } from './optimizers.js';

export class LrScheduleError extends Error {
  override readonly name = 'LrScheduleError';
}

export class LrSchedule {
  constructor(
    private readonly spec: LrSchedulerSpec | null,
    /** The optimizer's lr from its optim_spec. */
    private readonly baseLr: number,
  ) {
    if (spec === null) return;
    const need = (key: keyof LrSchedulerSpec): void => {
      const v = spec[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new LrScheduleError(`lr_scheduler_spec ${spec.name} needs a number '${key}'`);
    };
    switch (spec.name) {
      case 'LinearToZero':
        need('frame');
        break;
      case 'StepLR':
        need('step_size');
        break;
      case 'ExponentialLR':
        need('gamma');
        break;
      case 'CosineAnnealingLR':
        need('T_max');
        break;
      case 'ConstantLR':
        break;
      default:
        throw new LrScheduleError(
          `lr_scheduler_spec.name '${String((spec as { name: unknown }).name)}' is not supported; use one of LinearToZero, StepLR, ExponentialLR, CosineAnnealingLR, ConstantLR`,
        );
    }
  }

  /**
   * The lr at `t` (frames):
   * - none / ConstantLR: base
   * - LinearToZero: base * max(0, 1 - t / frame)
   * - StepLR: base * gamma^floor(t / step_size) (gamma default 0.1, as torch)
   * - ExponentialLR: base * gamma^t
   * - CosineAnnealingLR: base * (1 + cos(pi * min(t, T_max) / T_max)) / 2 (eta_min 0)
   */
  lrAt(t: number): number {
    const s = this.spec;
    const base = this.baseLr;
    if (s === null) return base;
    switch (s.name) {
      case 'LinearToZero':
        return base * Math.max(0, 1 - t / (s.frame as number));
      case 'StepLR':
        return base * (s.gamma ?? 0.1) ** Math.floor(t / (s.step_size as number));
      case 'ExponentialLR':
        return base * (s.gamma as number) ** t;
      case 'CosineAnnealingLR': {
        const T = s.T_max as number;
        return (base * (1 + Math.cos((Math.PI * Math.min(t, T)) / T))) / 2;
      }
      case 'ConstantLR':
        return base;
      default:
        return base;
    }
  }

  /** Sets the lr of each optimizer to `lrAt(t)`; returns it. */
  apply(optimizers: readonly Optimizer[], t: number): number {
    const lr = this.lrAt(t);
    for (const o of optimizers) o.lr = lr;
    return lr;
  }
}
