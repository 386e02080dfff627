import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Box, Discrete } from '@gymlab/envs';
import { EventWriter, discreteHistogram, readEventDir } from '@gymlab/tensorboard';
import type { TbHistogram } from '@gymlab/tensorboard';
import { BoxActionRecorder, DiscreteActionRecorder, actionRecorder, shiftHistogram } from './tb-actions.js';

const writer = (): EventWriter => EventWriter.create(mkdtempSync(join(tmpdir(), 'tb-actions-')), { flushIntervalMs: 0, hostname: 'test', pid: 1 });

function histos(w: EventWriter): { tag: string; step: number; histo: TbHistogram }[] {
  w.closeSync();
  return readEventDir(join(w.filePath, '..')).flatMap((e) => (e.summary ?? []).filter((v) => v.histo).map((v) => ({ tag: v.tag, step: e.step, histo: v.histo as TbHistogram })));
}

describe('shiftHistogram', () => {
  it('moves a discrete histogram of values 3, 4, 4 (counts [1, 2] shifted by 3)', () => {
    const h = shiftHistogram(discreteHistogram([1, 2]), 3);
    expect(h).toEqual({ min: 2.5, max: 4.5, num: 3, sum: 3 + 4 + 4, sumSquares: 9 + 16 + 16, bucketLimit: [3.5, 4.5], bucket: [1, 2] });
  });

  it('leaves the empty histogram and a zero shift alone', () => {
    const empty = discreteHistogram([0, 0]);
    expect(shiftHistogram(empty, 5)).toBe(empty);
    const h = discreteHistogram([4, 1]);
    expect(shiftHistogram(h, 0)).toBe(h);
  });
});

describe('DiscreteActionRecorder', () => {
  it('counts actions per value since the last write, then starts afresh', () => {
    const rec = new DiscreteActionRecorder(3);
    rec.record(new Int32Array([0, 1, 1]));
    rec.record(new Int32Array([1, 0, 2]));
    expect(rec.recorded).toBe(6);
    expect(rec.histogram().bucket).toEqual([2, 3, 1]);
    const w = writer();
    rec.write(w, 6);
    expect(rec.recorded).toBe(0);
    rec.record(new Int32Array([2]));
    rec.write(w, 7);
    const [first, second] = histos(w);
    expect(first).toMatchObject({ tag: 'actions', step: 6, histo: { num: 6, sum: 0 * 2 + 1 * 3 + 2 * 1, bucket: [2, 3, 1], bucketLimit: [0.5, 1.5, 2.5] } });
    expect(second).toMatchObject({ tag: 'actions', step: 7, histo: { num: 1, sum: 2, bucket: [1], min: 1.5, max: 2.5 } });
  });

  it('centres the bars on the values of a Discrete space with a start', () => {
    const rec = actionRecorder(new Discrete(2, -1));
    rec.record(new Int32Array([-1, 0, 0, 0]));
    expect((rec as DiscreteActionRecorder).histogram()).toMatchObject({ bucketLimit: [-0.5, 0.5], bucket: [1, 3], sum: -1, num: 4 });
  });

  it('values outside the space are frames but not bars', () => {
    const rec = new DiscreteActionRecorder(2);
    rec.record(new Int32Array([0, 5, -1]));
    expect(rec.recorded).toBe(3);
    expect(rec.histogram().num).toBe(1);
  });
});

describe('BoxActionRecorder', () => {
  it('one histogram per dimension of the rows recorded since the last write; NaN left out', () => {
    const rec = actionRecorder(new Box(-1, 1, [2])) as BoxActionRecorder;
    rec.record(new Float32Array([1, 10, 2, 20, 3, 30]));
    rec.record(new Float32Array([NaN, 40]));
    expect(rec.recorded).toBe(4);
    expect(Array.from(rec.values(1))).toEqual([10, 20, 30, 40]);
    const w = writer();
    rec.write(w, 4);
    expect(rec.recorded).toBe(0);
    const hs = histos(w);
    expect(hs.map((h) => h.tag)).toEqual(['actions/0', 'actions/1']);
    expect(hs[0].histo).toMatchObject({ num: 3, sum: 6, min: 1, max: 3 });
    expect(hs[1].histo).toMatchObject({ num: 4, sum: 100, min: 10, max: 40 });
  });

  it('grows past its initial capacity without losing values', () => {
    const rec = new BoxActionRecorder(1);
    const all: number[] = [];
    for (let i = 0; i < 300; i++) {
      const step = new Float32Array([i, i + 0.5]);
      rec.record(step);
      all.push(i, i + 0.5);
    }
    expect(rec.recorded).toBe(600);
    expect(Array.from(rec.values(0))).toEqual(all);
  });
});
