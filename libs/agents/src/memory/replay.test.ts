import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { continuousActions, Replay } from './replay.js';
import { NEW_TRANSITION_ERROR, PrioritizedReplay, priorityOf } from './prioritized.js';

function fill(mem: Replay, n: number): void {
  // transition k: obs = [k, -k], action k % 2, reward k, nextObs = [k + 1, -(k + 1)], terminated when k % 3 == 2
  for (let k = 0; k < n; k++) {
    mem.add(new Float32Array([k, -k]), k % 2, k, new Float32Array([k + 1, -(k + 1)]), k % 3 === 2);
  }
}

describe('Replay', () => {
  it('stores transitions in a ring buffer and counts head, size and seen size as SLM Lab', () => {
    const mem = new Replay({ obsSize: 2, maxSize: 4, batchSize: 3, useCer: false });
    expect(mem.head).toBe(-1);
    fill(mem, 6);
    expect(mem.size).toBe(4);
    expect(mem.seenSize).toBe(6);
    expect(mem.head).toBe(1); // rows 0..3 then 0, 1
    const batch = mem.sample(new Rng(1));
    for (let i = 0; i < batch.size; i++) {
      const k = batch.reward[i];
      expect(k).toBeGreaterThanOrEqual(2); // transitions 0 and 1 were overwritten
      expect(Array.from(batch.obs.subarray(2 * i, 2 * i + 2))).toEqual([k, -k]);
      expect(Array.from(batch.nextObs.subarray(2 * i, 2 * i + 2))).toEqual([k + 1, -(k + 1)]);
      expect(batch.action[i]).toBe(k % 2);
      expect(batch.terminated[i]).toBe(k % 3 === 2 ? 1 : 0);
    }
  });

  it('reads row r of a vector-env batch', () => {
    const mem = new Replay({ obsSize: 2, maxSize: 8, batchSize: 1, useCer: true });
    const obs = new Float32Array([1, 2, 3, 4]);
    const next = new Float32Array([5, 6, 7, 8]);
    mem.add(obs, 1, 0.5, next, false, 1);
    const b = mem.sample(new Rng(0));
    expect(Array.from(b.obs)).toEqual([3, 4]);
    expect(Array.from(b.nextObs)).toEqual([7, 8]);
  });

  it('use_cer puts the newest transition last in every batch', () => {
    const mem = new Replay({ obsSize: 2, maxSize: 100, batchSize: 8, useCer: true });
    fill(mem, 50);
    const rng = new Rng(3);
    for (let t = 0; t < 5; t++) {
      const b = mem.sample(rng);
      expect(b.reward[7]).toBe(49);
      expect(b.idx[7]).toBe(mem.head);
    }
  });

  it('samples uniformly over held rows (deterministic for a seed)', () => {
    const mem = new Replay({ obsSize: 2, maxSize: 10, batchSize: 10, useCer: false });
    fill(mem, 4);
    const counts = [0, 0, 0, 0];
    const rng = new Rng(9);
    for (let t = 0; t < 2000; t++) for (const j of mem.sample(rng).idx) counts[j]++;
    for (const c of counts) expect(c / 20000).toBeCloseTo(0.25, 1);
    const a = Array.from(mem.sample(new Rng(5)).idx);
    const b = Array.from(mem.sample(new Rng(5)).idx);
    expect(a).toEqual(b);
  });
});

describe('Replay with continuous actions and checkpoints', () => {
  it('stores and samples action vectors (addRow reads row r of a vector step)', () => {
    const mem = new Replay({ obsSize: 1, maxSize: 4, batchSize: 3, useCer: true }, continuousActions(2));
    expect(mem.actionSize).toBe(2);
    const obs = new Float32Array([10, 20]);
    const act = new Float32Array([0.1, -0.1, 0.7, -0.7]);
    mem.addRow(obs, act, new Float32Array([1, 2]), obs, new Uint8Array([0, 1]), 1);
    const b = mem.sample(new Rng(0));
    expect(b.action).toBeInstanceOf(Float32Array);
    expect(Array.from(b.action.subarray(4, 6))).toEqual([Math.fround(0.7), Math.fround(-0.7)]);
    expect([b.obs[2], b.reward[2], b.terminated[2]]).toEqual([20, 2, 1]);
    expect(() => mem.add(obs, 1, 0, obs, false)).toThrow(/use addRow/);
  });

  it('getState / setState: a restored memory holds the same rows and counters and samples the same batches', () => {
    const a = new Replay({ obsSize: 2, maxSize: 4, batchSize: 3, useCer: false });
    fill(a, 6);
    const { tensors, counters } = a.getState('memory');
    expect(counters).toEqual({ size: 4, seenSize: 6, head: 1 });
    expect(tensors['memory/obs'].shape).toEqual([4, 2]);
    const b = new Replay({ obsSize: 2, maxSize: 4, batchSize: 3, useCer: false });
    b.setState('memory', tensors, counters);
    const ba = a.sample(new Rng(8));
    const snapshot = { idx: Array.from(ba.idx), reward: Array.from(ba.reward), action: Array.from(ba.action), obs: Array.from(ba.nextObs) };
    const bb = b.sample(new Rng(8));
    expect({ idx: Array.from(bb.idx), reward: Array.from(bb.reward), action: Array.from(bb.action), obs: Array.from(bb.nextObs) }).toEqual(snapshot);
    fill(b, 1);
    expect(b.head).toBe(2);
    expect(() => b.setState('memory', tensors, { size: 5, seenSize: 6, head: 1 })).toThrow(/do not fit a memory of 4/);
    expect(() => b.setState('m', tensors, counters)).toThrow(/lacks tensor 'm\/obs'/);
  });

  it('PrioritizedReplay restores every priority exactly (three float32 parts per float64)', () => {
    const cfg = { obsSize: 2, maxSize: 8, batchSize: 3, useCer: false, alpha: 0.6, epsilon: 1e-4 };
    const a = new PrioritizedReplay(cfg);
    fill(a, 6);
    a.sample(new Rng(1));
    a.updatePriorities([0.123456789, 3.3, 1e-3]);
    const s = a.getState('memory');
    const b = new PrioritizedReplay(cfg);
    b.setState('memory', s.tensors, s.counters);
    for (let i = 0; i < 8; i++) expect(b.tree.get(i)).toBe(a.tree.get(i));
    expect(b.tree.total()).toBe(a.tree.total());
  });
});

describe('PrioritizedReplay', () => {
  it('gives new transitions the priority of a 1e5 TD error and updates the sampled rows', () => {
    const alpha = 0.6;
    const eps = 1e-4;
    const mem = new PrioritizedReplay({ obsSize: 2, maxSize: 4, batchSize: 2, useCer: false, alpha, epsilon: eps });
    fill(mem, 3);
    const p0 = priorityOf(NEW_TRANSITION_ERROR, alpha, eps);
    expect(p0).toBeCloseTo(Math.pow(100000.0001, 0.6), 6);
    expect(mem.tree.total()).toBeCloseTo(3 * p0, 6);
    const b = mem.sample(new Rng(2));
    const rows = Array.from(b.idx);
    mem.updatePriorities([0.5, 2]);
    // (0.5 + 1e-4)^0.6 and (2 + 1e-4)^0.6; if both draws hit the same row the second wins
    const expected = new Map<number, number>([[rows[0], Math.pow(0.5001, 0.6)]]);
    expected.set(rows[1], Math.pow(2.0001, 0.6));
    for (const [row, p] of expected) expect(mem.tree.get(row)).toBeCloseTo(p, 10);
  });

  it('samples in proportion to (|td| + eps)^alpha', () => {
    const mem = new PrioritizedReplay({ obsSize: 2, maxSize: 2, batchSize: 2, useCer: false, alpha: 1, epsilon: 0 });
    fill(mem, 2);
    mem.sample(new Rng(0));
    // set row priorities to 1 and 3 regardless of which rows were drawn
    mem.tree.set(0, 1);
    mem.tree.set(1, 3);
    const rng = new Rng(11);
    let ones = 0;
    const n = 20000;
    for (let t = 0; t < n / 2; t++) for (const j of mem.sample(rng).idx) ones += j;
    expect(ones / n).toBeCloseTo(0.75, 1);
  });

  it('use_cer: the newest row is last and its own leaf receives its new priority', () => {
    const mem = new PrioritizedReplay({ obsSize: 2, maxSize: 8, batchSize: 3, useCer: true, alpha: 1, epsilon: 0 });
    fill(mem, 5);
    const b = mem.sample(new Rng(4));
    expect(b.idx[2]).toBe(4);
    mem.updatePriorities([7, 7, 0.25]);
    expect(mem.tree.get(4)).toBe(0.25);
  });

  it('refuses priorities for a batch of another size', () => {
    const mem = new PrioritizedReplay({ obsSize: 2, maxSize: 8, batchSize: 3, useCer: false, alpha: 1, epsilon: 0 });
    fill(mem, 5);
    mem.sample(new Rng(4));
    expect(() => mem.updatePriorities([1, 2])).toThrow(/3 errors/);
  });
});
