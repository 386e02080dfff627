import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { SilReplay } from './sil-replay.js';

const cfg = { obsSize: 1, actionSize: 1, numEnvs: 1, maxSize: 8, batchSize: 4, useCer: false, gamma: 0.5 };

/** One sub-env's steps: obs = step index, action = 10 + index, the given rewards and end flags. */
function steps(rewards: number[], terminated: number[], from = 0) {
  const n = rewards.length;
  return {
    obs: Float32Array.from({ length: n }, (_, i) => from + i),
    actions: Float32Array.from({ length: n }, (_, i) => 10 + from + i),
    rewards: Float64Array.from(rewards),
    terminated: Uint8Array.from(terminated),
    truncated: new Uint8Array(n),
  };
}

/** Every (obs, action, return) the ring holds, read by sampling with a fresh Rng many times. */
function held(m: SilReplay): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  const rng = new Rng(0);
  for (let k = 0; k < 50; k++) {
    const b = m.sample(rng);
    for (let i = 0; i < b.size; i++) out.set(b.obs[i], [b.actions[i], b.returns[i]]);
  }
  return out;
}

describe('SilReplay', () => {
  it('stores Monte-Carlo returns (gamma 0.5) once the episode ends: [1,1,1] -> 1.75, 1.5, 1', () => {
    const m = new SilReplay(cfg);
    m.addSteps(steps([1, 1], [0, 0]), 2);
    expect(m.size).toBe(0);
    expect(m.pendingSize).toBe(2);
    expect(() => m.sample(new Rng(0))).toThrow(/empty/);
    m.addSteps(steps([1], [1], 2), 1); // the third step of the same episode, terminated
    expect(m.size).toBe(3);
    expect(m.pendingSize).toBe(0);
    expect(m.head).toBe(2);
    const h = held(m);
    expect(h.get(0)).toEqual([10, 1.75]);
    expect(h.get(1)).toEqual([11, 1.5]);
    expect(h.get(2)).toEqual([12, 1]);
  });

  it('keeps sub-envs apart (time-major rows) and ends an episode on truncation without bootstrap', () => {
    const m = new SilReplay({ ...cfg, numEnvs: 2, gamma: 0.5 });
    // rows: t0 e0, t0 e1, t1 e0, t1 e1; env 0 rewards [2, 4] terminated at t1; env 1 rewards [1, 3] truncated at t1
    const s = {
      obs: Float32Array.of(0, 100, 1, 101),
      actions: Float32Array.of(0, 1, 1, 0),
      rewards: Float64Array.of(2, 1, 4, 3),
      terminated: Uint8Array.of(0, 0, 1, 0),
      truncated: Uint8Array.of(0, 0, 0, 1),
    };
    m.addSteps(s, 4);
    expect(m.size).toBe(4);
    const h = held(m);
    expect(h.get(0)).toEqual([0, 4]); // 2 + 0.5 * 4
    expect(h.get(1)).toEqual([1, 4]);
    expect(h.get(100)).toEqual([1, 2.5]); // 1 + 0.5 * 3
    expect(h.get(101)).toEqual([0, 3]);
  });

  it('is a ring of maxSize; use_cer puts the newest transition last; float actions of any width', () => {
    const m = new SilReplay({ ...cfg, actionSize: 2, maxSize: 3, batchSize: 2, useCer: true, gamma: 0 });
    const s = {
      obs: Float32Array.of(0, 1, 2, 3, 4),
      actions: Float32Array.of(0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 4.5, -4.5),
      rewards: Float64Array.of(0, 1, 2, 3, 4),
      terminated: Uint8Array.of(0, 0, 0, 0, 1),
      truncated: Uint8Array.of(0, 0, 0, 0, 0),
    };
    m.addSteps(s, 5);
    expect(m.size).toBe(3);
    const rng = new Rng(3);
    for (let k = 0; k < 20; k++) {
      const b = m.sample(rng);
      expect(b.obs[1]).toBe(4);
      expect(Array.from(b.actions.subarray(2, 4))).toEqual([4.5, -4.5]);
      for (let i = 0; i < 2; i++) {
        expect(b.obs[i]).toBeGreaterThanOrEqual(2); // 0 and 1 were overwritten
        expect(b.returns[i]).toBe(b.obs[i]); // gamma 0: R = r = obs here
        expect(b.actions[2 * i]).toBe(b.obs[i] + 0.5);
      }
    }
  });

  it('an episode longer than maxSize keeps its newest steps; reset empties ring and pending', () => {
    const m = new SilReplay({ ...cfg, maxSize: 2, batchSize: 1, gamma: 1 });
    m.addSteps(steps([1, 1, 1, 1, 1], [0, 0, 0, 0, 1]), 5);
    expect(m.size).toBe(2);
    const h = held(m);
    expect(h.get(3)).toEqual([13, 2]);
    expect(h.get(4)).toEqual([14, 1]);
    expect(h.size).toBe(2);
    m.addSteps(steps([1], [0]), 1);
    m.reset();
    expect(m.size).toBe(0);
    expect(m.pendingSize).toBe(0);
  });
});
