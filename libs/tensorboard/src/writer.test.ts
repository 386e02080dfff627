import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventWriterError } from './errors.js';
import { discreteHistogram } from './histogram.js';
import { readEvents, scalarsByTag } from './reader.js';
import { EventWriter } from './writer.js';
import type { EventWriterOptions } from './writer.js';
import { tempDir } from './test-utils/hex.js';

const dirs: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  while (dirs.length) dirs.pop()?.();
});

function setup(opts: EventWriterOptions = {}): { dir: string; w: EventWriter } {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  const w = EventWriter.create(join(dir, 'run'), { nowSeconds: () => 1700000000.5, hostname: 'box', pid: 42, ...opts });
  return { dir, w };
}

describe('EventWriter.create', () => {
  it('makes the folder and names the file events.out.tfevents.<10-digit seconds>.<host>.<pid>', () => {
    const { dir, w } = setup();
    expect(readdirSync(join(dir, 'run'))).toEqual(['events.out.tfevents.1700000000.box.42']);
    expect(w.filePath).toBe(join(dir, 'run', 'events.out.tfevents.1700000000.box.42'));
    w.closeSync();
  });

  it('zero-pads the seconds to 10 digits and appends the suffix', () => {
    const { dir } = setup({ nowSeconds: () => 12.9, filenameSuffix: '.v2' });
    expect(readdirSync(join(dir, 'run'))).toEqual(['events.out.tfevents.0000000012.box.42.v2']);
  });

  it('writes the file_version event to disk at once', () => {
    const { w } = setup({ flushIntervalMs: 0 });
    expect(readEvents(w.filePath)).toEqual([{ wallTime: 1700000000.5, step: 0, fileVersion: 'brain.Event:2' }]);
    w.closeSync();
  });

  it('never opens an existing file', () => {
    const { dir, w } = setup();
    w.scalar('a', 1, 1);
    w.closeSync();
    const before = readFileSync(w.filePath);
    const again = () => EventWriter.create(join(dir, 'run'), { nowSeconds: () => 1700000000.5, hostname: 'box', pid: 42 });
    expect(again).toThrow(EventWriterError);
    expect(again).toThrow('event file exists already');
    expect(readFileSync(w.filePath)).toEqual(before);
  });

  it('rejects a bad hostname and options with a one-line message', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    expect(() => EventWriter.create(dir, { hostname: 'a/b' })).toThrow("hostname 'a/b' must be non-empty, without '/'");
    expect(() => EventWriter.create(dir, { flushIntervalMs: -1 })).toThrow('flushIntervalMs -1 must be >= 0');
  });
});

describe('round trip through the file', () => {
  it('scalars keep float32 precision, step and wall time', () => {
    const { w } = setup();
    w.scalar('loss', 0.1, 5, 1700000001.25);
    w.scalar('loss', -3e38, 6);
    w.scalars({ 'return': 21.5, lr: 3e-4 }, 7);
    w.closeSync();
    const events = readEvents(w.filePath);
    expect(events.slice(1).map((e) => [e.step, e.wallTime])).toEqual([[5, 1700000001.25], [6, 1700000000.5], [7, 1700000000.5]]);
    const s = scalarsByTag(events);
    expect(s.get('loss')?.map((p) => p.value)).toEqual([Math.fround(0.1), Math.fround(-3e38)]);
    expect(s.get('loss')?.[0].value).not.toBe(0.1);
    expect(s.get('return')).toEqual([{ step: 7, value: 21.5, wallTime: 1700000000.5 }]);
    expect(s.get('lr')?.[0].value).toBe(Math.fround(3e-4));
    expect(events[3].summary?.map((v) => v.tag)).toEqual(['return', 'lr']); // one event for scalars()
  });

  it('NaN and infinite scalars survive', () => {
    const { w } = setup();
    w.scalars({ a: NaN, b: Infinity }, 1);
    w.closeSync();
    const s = scalarsByTag(readEvents(w.filePath));
    expect(s.get('a')?.[0].value).toBeNaN();
    expect(s.get('b')?.[0].value).toBe(Infinity);
  });

  it('histograms keep every field; counts sum to num; each value falls in its bucket', () => {
    const { w } = setup();
    const values = Float32Array.from([-1.5, -0.25, 0, 0, 0.125, 2, 2, 7.75]);
    w.histogram('weights/w0', values, 3);
    w.closeSync();
    const histo = readEvents(w.filePath)[1].summary?.[0].histo;
    expect(histo).toBeDefined();
    if (!histo) return;
    expect([histo.min, histo.max, histo.num]).toEqual([-1.5, 7.75, 8]);
    expect(histo.sum).toBe(-1.5 - 0.25 + 0.125 + 2 + 2 + 7.75);
    expect(histo.sumSquares).toBe(2.25 + 0.0625 + 0.015625 + 4 + 4 + 60.0625);
    expect(histo.bucket.reduce((a, b) => a + b, 0)).toBe(8);
    expect(histo.bucketLimit.length).toBe(histo.bucket.length);
    // Bucket i spans [limit[i-1], limit[i]) (first from min); recount the values that way.
    const recount = histo.bucket.map((_, i) =>
      Array.from(values).filter((x) => (i === 0 ? x >= histo.min : x >= histo.bucketLimit[i - 1]) && x < histo.bucketLimit[i]).length,
    );
    expect(recount).toEqual(histo.bucket);
    expect(histo.bucket[0]).toBeGreaterThan(0);
    expect(histo.bucket[histo.bucket.length - 1]).toBeGreaterThan(0);
  });

  it('histogramFromCounts writes the given histogram; it is checked first', () => {
    const { w } = setup();
    const h = discreteHistogram([4, 0, 6]);
    w.histogramFromCounts('actions', h, 2);
    expect(() => w.histogramFromCounts('actions', { ...h, num: 11 }, 3)).toThrow('num is 11 but the buckets sum to 10');
    w.closeSync();
    const events = readEvents(w.filePath);
    expect(events).toHaveLength(2);
    expect(events[1].summary?.[0].histo).toEqual({ min: -0.5, max: 2.5, num: 10, sum: 12, sumSquares: 24, bucketLimit: [0.5, 1.5, 2.5], bucket: [4, 0, 6] });
  });

  it('text round-trips as UTF-8 with plugin metadata on the first value of each tag only', () => {
    const { w } = setup();
    w.text('spec', '# PPO\nlr = 3e-4 ✓', 0);
    w.text('spec', 'second', 1);
    w.text('notes', '', 1);
    w.closeSync();
    const values = readEvents(w.filePath).slice(1).map((e) => e.summary?.[0]);
    expect(values.map((v) => v?.tensor?.stringVal)).toEqual([['# PPO\nlr = 3e-4 ✓'], ['second'], ['']]);
    expect(values.map((v) => v?.tensor?.dtype)).toEqual([7, 7, 7]);
    expect(values.map((v) => v?.tensor?.shape)).toEqual([[], [], []]);
    expect(values.map((v) => v?.metadata?.pluginName)).toEqual(['text', undefined, 'text']);
  });

  it('hparams session start and end decode to what was written', () => {
    const { w } = setup();
    w.hparamsSessionStart({ hparams: { lr: 0.001, algorithm: 'PPO', normalize: true }, groupName: 'trial_0', startTimeSecs: 1699999999 });
    w.hparamsSessionEnd({ status: 'failure' });
    w.closeSync();
    const [, start, end] = readEvents(w.filePath);
    const sv = start.summary?.[0];
    expect(sv?.tag).toBe('_hparams_/session_start_info');
    expect(sv?.tensor?.dtype).toBe(1);
    expect(sv?.tensor?.shape).toEqual([0]);
    expect(sv?.metadata?.pluginName).toBe('hparams');
    expect(sv?.metadata?.hparams).toEqual({
      version: 0,
      sessionStartInfo: { hparams: { lr: 0.001, algorithm: 'PPO', normalize: true }, groupName: 'trial_0', startTimeSecs: 1699999999, modelUri: '', monitorUrl: '' },
    });
    expect(end.summary?.[0].tag).toBe('_hparams_/session_end_info');
    expect(end.summary?.[0].metadata?.hparams).toEqual({ version: 0, sessionEndInfo: { status: 'failure', endTimeSecs: 1700000000.5 } });
  });

  it('hparams experiment decodes to what was written, types inferred from the domain', () => {
    const { w } = setup();
    w.hparamsExperiment({
      hparams: [
        { name: 'lr', domain: { interval: { min: 1e-5, max: 1e-2 } } },
        { name: 'algo', domain: { discrete: ['PPO', 'A2C'] }, description: 'algorithm' },
        { name: 'seed' },
      ],
      metrics: [{ tag: 'return_ma', displayName: 'return (MA)', datasetType: 'training' }],
      timeCreatedSecs: 5,
    });
    w.closeSync();
    const x = readEvents(w.filePath)[1].summary?.[0].metadata?.hparams?.experiment;
    expect(x?.hparams).toEqual([
      { name: 'lr', displayName: '', description: '', type: 'float64', interval: { min: 1e-5, max: 1e-2 } },
      { name: 'algo', displayName: '', description: 'algorithm', type: 'string', discrete: ['PPO', 'A2C'] },
      { name: 'seed', displayName: '', description: '', type: null },
    ]);
    expect(x?.metrics).toEqual([{ tag: 'return_ma', group: '', displayName: 'return (MA)', description: '', datasetType: 'training' }]);
    expect(x?.timeCreatedSecs).toBe(5);
  });

  it('rejects bad hparams with a message naming the key', () => {
    const { w } = setup();
    expect(() => w.hparamsSessionStart({ hparams: { lr: NaN } })).toThrow("hparam 'lr' is NaN; hparam numbers must be finite");
    expect(() => w.hparamsSessionStart({ hparams: { net: [1, 2] as unknown as number } })).toThrow("hparam 'net' is object; allowed: number, string, boolean");
    expect(() => w.hparamsSessionEnd({ status: 'done' as 'success' })).toThrow("status 'done' is not one of unknown, success, failure, running");
    w.closeSync();
    expect(readEvents(w.filePath)).toHaveLength(1);
  });
});

describe('buffering', () => {
  it('keeps events in memory until the flush interval has passed', () => {
    vi.useFakeTimers();
    const { w } = setup({ flushIntervalMs: 2000 });
    const size0 = statSync(w.filePath).size;
    w.scalar('a', 1, 1);
    w.scalar('a', 2, 2);
    expect(statSync(w.filePath).size).toBe(size0);
    expect(w.bufferedBytes).toBeGreaterThan(0);
    vi.advanceTimersByTime(1999);
    expect(statSync(w.filePath).size).toBe(size0);
    vi.advanceTimersByTime(1);
    expect(w.bufferedBytes).toBe(0);
    expect(readEvents(w.filePath).map((e) => e.step)).toEqual([0, 1, 2]);
    w.scalar('a', 3, 3);
    vi.advanceTimersByTime(2000);
    expect(readEvents(w.filePath).map((e) => e.step)).toEqual([0, 1, 2, 3]);
    w.closeSync();
  });

  it('flushes when the buffer passes maxBufferBytes, whole records only', () => {
    const { w } = setup({ flushIntervalMs: 0, maxBufferBytes: 100 });
    const size0 = statSync(w.filePath).size;
    let step = 0;
    while (statSync(w.filePath).size === size0) w.scalar('loss', 1, ++step);
    expect(w.bufferedBytes).toBe(0);
    expect(statSync(w.filePath).size - size0).toBeGreaterThanOrEqual(100);
    expect(readEvents(w.filePath)).toHaveLength(step + 1);
    w.closeSync();
  });

  it('flushSync and closeSync write what is buffered', () => {
    const { w } = setup({ flushIntervalMs: 0 });
    w.scalar('a', 1, 1);
    expect(readEvents(w.filePath)).toHaveLength(1);
    w.flushSync();
    expect(readEvents(w.filePath)).toHaveLength(2);
    w.scalar('a', 2, 2);
    w.closeSync();
    expect(readEvents(w.filePath)).toHaveLength(3);
  });

  it('flush() and close() resolve after the bytes are in the file', async () => {
    const { w } = setup({ flushIntervalMs: 0 });
    w.scalar('a', 1, 1);
    await w.flush();
    expect(readEvents(w.filePath)).toHaveLength(2);
    w.scalar('a', 2, 2);
    await w.close();
    expect(readEvents(w.filePath)).toHaveLength(3);
    expect(w.isClosed).toBe(true);
  });
});

describe('misuse', () => {
  it('every write after close throws EventWriterError "closed"; close is idempotent', () => {
    const { w } = setup();
    w.closeSync();
    w.closeSync();
    const calls: (() => void)[] = [
      () => w.scalar('a', 1, 1),
      () => w.scalars({ a: 1 }, 1),
      () => w.histogram('h', [1], 1),
      () => w.text('t', 'x', 1),
      () => w.hparamsSessionStart({ hparams: {} }),
      () => w.hparamsSessionEnd({ status: 'success' }),
    ];
    for (const call of calls) {
      expect(call).toThrow(EventWriterError);
      expect(call).toThrow('the writer is closed');
    }
    expect(() => w.flushSync()).not.toThrow(); // nothing left to write
    expect(readEvents(w.filePath)).toHaveLength(1);
  });

  it('rejects an empty tag, a fractional step, a non-finite wall time and non-numbers, writing nothing', () => {
    const { w } = setup();
    expect(() => w.scalar('', 1, 1)).toThrow('tag "" must be a non-empty string');
    expect(() => w.scalar('a', 1, 1.5)).toThrow("'a': step 1.5 must be a safe integer");
    expect(() => w.scalar('a', 1, 1, NaN)).toThrow("'a': wallTime NaN must be a finite number of seconds");
    expect(() => w.scalar('a', '1' as unknown as number, 1)).toThrow("scalar 'a': value must be a number, got string");
    expect(() => w.histogram('h', [1, NaN], 1)).toThrow("histogram 'h': value 1 is NaN");
    w.closeSync();
    expect(readEvents(w.filePath)).toHaveLength(1);
  });
});
