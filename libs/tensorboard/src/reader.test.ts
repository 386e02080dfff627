import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventReadError, RecordCorruptError, RecordTruncatedError } from './errors.js';
import { decodeEvent, listEventFiles, readEventDir, readEvents, scalarsByTag } from './reader.js';
import { encodeRecord } from './record.js';
import { encodeEventBytes } from './schema.js';
import { EventWriter } from './writer.js';
import { tempDir } from './test-utils/hex.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function threeScalars(logDir: string, seconds: number): string {
  const w = EventWriter.create(logDir, { nowSeconds: () => seconds, hostname: 'h', pid: 9 });
  for (let step = 1; step <= 3; step++) w.scalar('r', step * 10, step);
  w.closeSync();
  return w.filePath;
}

describe('readEvents', () => {
  it('names the file and byte offset of a record whose payload was altered', () => {
    const file = threeScalars(dir(), 1000);
    const bytes = readFileSync(file);
    const second = 12 + bytes.readUInt32LE(0) + 4; // offset of the second record
    bytes[second + 12 + 3] ^= 0xff;
    writeFileSync(file, bytes);
    expect(() => readEvents(file)).toThrow(RecordCorruptError);
    expect(() => readEvents(file)).toThrow(`${file}: corrupt record at byte ${second} (data-crc)`);
  });

  it('throws a truncated tail by default and ignores it on request', () => {
    const file = threeScalars(dir(), 1000);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    expect(() => readEvents(file)).toThrow(RecordTruncatedError);
    expect(() => readEvents(file)).toThrow(`${file}: truncated last record at byte`);
    expect(readEvents(file, { truncatedTail: 'ignore' }).map((e) => e.step)).toEqual([0, 1, 2]);
  });

  it('reports a record that is framed right but is no Event', () => {
    const d = dir();
    const file = join(d, 'events.out.tfevents.bad');
    const good = encodeRecord(encodeEventBytes({ fileVersion: 'brain.Event:2' }));
    writeFileSync(file, new Uint8Array([...good, ...encodeRecord(new Uint8Array([0x0a, 0x05, 0x01]))]));
    expect(() => readEvents(file)).toThrow(`${file}: corrupt record at byte ${good.length} (bad-event)`);
  });

  it('a missing file is an EventReadError naming it', () => {
    const file = join(dir(), 'nope.tfevents');
    expect(() => readEvents(file)).toThrow(EventReadError);
    expect(() => readEvents(file)).toThrow(`${file}: cannot read the event file`);
  });
});

describe('readEventDir', () => {
  it('reads the tfevents files of a folder in name order and skips the rest', () => {
    const d = dir();
    threeScalars(d, 2000);
    threeScalars(d, 1000);
    writeFileSync(join(d, 'notes.txt'), 'x');
    mkdirSync(join(d, 'sub.tfevents.dir'));
    expect(listEventFiles(d).map((f) => f.slice(d.length + 1))).toEqual(['events.out.tfevents.0000001000.h.9', 'events.out.tfevents.0000002000.h.9']);
    const events = readEventDir(d);
    expect(events.map((e) => e.wallTime)).toEqual([1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000]);
    expect(scalarsByTag(events).get('r')?.map((p) => [p.step, p.value])).toEqual([[1, 10], [2, 20], [3, 30], [1, 10], [2, 20], [3, 30]]);
  });

  it('a missing folder is an EventReadError', () => {
    expect(() => readEventDir(join(dir(), 'none'))).toThrow('cannot list the event folder');
  });
});

describe('scalarsByTag', () => {
  it('also reads scalar tensors of plugin "scalars" (TensorBoard v2 form), not other tensors', () => {
    const payload = (step: number, withMeta: boolean, tag = 'v2') =>
      encodeEventBytes({
        step,
        wallTime: 1,
        summary: {
          value: [{ tag, tensor: { dtype: 1, tensorShape: {}, floatVal: [step / 2] }, ...(withMeta ? { metadata: { pluginData: { pluginName: tag === 'v2' ? 'scalars' : 'other' } } } : {}) }],
        },
      });
    const events = [decodeEvent(payload(1, true)), decodeEvent(payload(2, false)), decodeEvent(payload(3, true, 'x'))];
    const s = scalarsByTag(events);
    expect(s.get('v2')).toEqual([{ step: 1, value: 0.5, wallTime: 1 }, { step: 2, value: 1, wallTime: 1 }]);
    expect(s.has('x')).toBe(false);
  });
});
