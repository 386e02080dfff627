import { describe, expect, it } from 'vitest';
import { OnPolicyMemory } from './on-policy.js';

const step = (k: number, done: [number, number] = [0, 0]) => ({
  obs: Float32Array.of(k, k + 0.5, 10 + k, 10.5 + k),
  action: Int32Array.of(k % 2, 1),
  reward: Float64Array.of(k, -k),
  nextObs: Float32Array.of(k + 1, k + 1.5, 11 + k, 11.5 + k),
  terminated: Uint8Array.of(done[0], 0),
  truncated: Uint8Array.of(0, done[1]),
});

describe('OnPolicyMemory', () => {
  it('batch kind: ready after horizon steps, time-major layout, reset empties', () => {
    const m = new OnPolicyMemory({ kind: 'batch', numEnvs: 2, obsSize: 2, actionSize: 1, horizon: 3 });
    for (let k = 0; k < 3; k++) {
      expect(m.ready()).toBe(false);
      m.add(step(k, k === 1 ? [1, 0] : [0, 0]));
    }
    expect(m.ready()).toBe(true);
    const b = m.batch();
    expect(b.size).toBe(6);
    expect(Array.from(b.rewards)).toEqual([0, -0, 1, -1, 2, -2]);
    expect(Array.from(b.obs.subarray(4, 8))).toEqual([1, 1.5, 11, 11.5]); // row t=1: env0, env1
    expect(Array.from(b.actions)).toEqual([0, 1, 1, 1, 0, 1]);
    expect(Array.from(b.terminated)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(() => m.add(step(9))).toThrow(/full/);
    m.reset();
    expect(m.size).toBe(0);
    expect(m.ready()).toBe(false);
  });
  it('episodic kind: ready after N finished episodes, grows past its first capacity', () => {
    const m = new OnPolicyMemory({ kind: 'episodic', numEnvs: 2, obsSize: 2, actionSize: 1, episodes: 2 });
    for (let k = 0; k < 300; k++) m.add(step(k));
    expect(m.ready()).toBe(false);
    m.add(step(300, [1, 0]));
    expect(m.ready()).toBe(false);
    m.add(step(301, [0, 1]));
    expect(m.ready()).toBe(true);
    const b = m.batch();
    expect(b.steps).toBe(302);
    expect(b.rewards[2 * 299]).toBe(299);
    expect(b.nextObs[(2 * 301 + 1) * 2]).toBe(312);
  });
  it('rejects steps of the wrong width', () => {
    const m = new OnPolicyMemory({ kind: 'batch', numEnvs: 1, obsSize: 2, actionSize: 1, horizon: 2 });
    expect(() => m.add(step(0))).toThrow(/do not match/);
  });
});
