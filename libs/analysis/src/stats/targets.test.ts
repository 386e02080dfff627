import { describe, expect, it } from 'vitest';
import { ENV_TARGETS, envTarget, firstIndexAtTarget, framesToTarget, secondsToTarget } from './targets.js';
import type { TargetRow } from './targets.js';

const row = (frame: number, wall: number, ma: number | null): TargetRow => ({ frame, wall_time: wall, return_ma: ma });

describe('ENV_TARGETS', () => {
  it("holds Gymnasium's registered reward thresholds", () => {
    // reward_threshold of each registration in gymnasium/envs/__init__.py ("none": not registered)
    const registered = 'CartPole-v1 475 Acrobot-v1 -100 MountainCar-v0 -110 MountainCarContinuous-v0 90 Pendulum-v1 none LunarLander-v3 200'.split(' ');
    const expected = Object.fromEntries(registered.flatMap((w, i) => (i % 2 === 0 ? [[w, registered[i + 1] === 'none' ? null : Number(registered[i + 1])]] : [])));
    expect(ENV_TARGETS).toEqual(expected);
    expect(Object.keys(ENV_TARGETS)).toHaveLength(6);
    expect(envTarget('Pendulum-v1')).toBeNull();
    expect(envTarget('toString')).toBeNull();
    expect(envTarget('CartPole-v1')).toBe(475);
  });
});

describe('framesToTarget / secondsToTarget', () => {
  const rows = [row(1000, 2, null), row(2000, 4, 300), row(3000, 6.5, 474.9), row(4000, 9, 475), row(5000, 11, 490)];

  it('is the first checkpoint whose return_ma reaches the target (>=)', () => {
    expect(firstIndexAtTarget(rows, 475)).toBe(3);
    expect(framesToTarget(rows, 475)).toBe(4000);
    expect(secondsToTarget(rows, 475)).toBe(9);
    expect(framesToTarget(rows, 300)).toBe(2000);
  });

  it('works for negative targets (Acrobot)', () => {
    const acro = [row(500, 1, -500), row(1000, 2, -150), row(1500, 3, -99.5)];
    expect(framesToTarget(acro, -100)).toBe(1500);
    expect(secondsToTarget(acro, -100)).toBe(3);
  });

  it('is null when the target is never reached', () => {
    expect(framesToTarget(rows, 500)).toBeNull();
    expect(secondsToTarget([], 1)).toBeNull();
  });

  it('rejects a non-finite target and a missing frame at the hit', () => {
    expect(() => framesToTarget(rows, NaN)).toThrow('firstIndexAtTarget: target NaN (allowed: a finite number)');
    const bad = [{ frame: null, wall_time: 1, return_ma: 10 }];
    expect(() => framesToTarget(bad, 5)).toThrow('framesToTarget: row 0 reaches the target but its "frame" is null');
  });
});
