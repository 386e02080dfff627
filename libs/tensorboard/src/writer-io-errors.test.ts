import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventWriter as Writer } from './writer.js';

// Make fs.writeSync fail on demand, to see what the writer does when the disk does.
const failing = vi.hoisted(() => ({ on: false, calls: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      failing.calls++;
      if (failing.on) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return fs.writeSync(...args);
    },
  };
});

const { EventWriter } = await import('./writer.js');
const { EventWriterError } = await import('./errors.js');
const { readEvents } = await import('./reader.js');
const { tempDir } = await import('./test-utils/hex.js');

const cleanups: (() => void)[] = [];
afterEach(() => {
  failing.on = false;
  vi.useRealTimers();
  while (cleanups.length) cleanups.pop()?.();
});

function writer(): Writer {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return EventWriter.create(join(dir, 'run'), { nowSeconds: () => 100, hostname: 'h', pid: 1 });
}

describe('EventWriter when appending fails', () => {
  it('flushSync throws an "io" error naming the file, keeps the bytes, and a later flush writes them', () => {
    const w = writer();
    w.scalar('a', 1, 1);
    failing.on = true;
    expect(() => w.flushSync()).toThrow(EventWriterError);
    expect(() => w.flushSync()).toThrow(`${w.filePath}: cannot append to the event file: ENOSPC`);
    expect(w.bufferedBytes).toBeGreaterThan(0);
    failing.on = false;
    w.flushSync();
    expect(readEvents(w.filePath).map((e) => e.step)).toEqual([0, 1]);
    w.closeSync();
  });

  it('a failed timer flush does not throw from the timer; the next call throws it once, then all goes on', () => {
    vi.useFakeTimers();
    const w = writer();
    w.scalar('a', 1, 1);
    failing.on = true;
    expect(() => vi.advanceTimersByTime(2000)).not.toThrow();
    failing.on = false;
    expect(() => w.scalar('a', 2, 2)).toThrow('cannot append to the event file: ENOSPC: no space left on device, write (in a background flush)');
    w.scalar('a', 3, 3);
    w.closeSync();
    expect(readEvents(w.filePath).map((e) => e.step)).toEqual([0, 1, 3]);
  });

  it('closeSync still closes when its flush fails, and throws the error', () => {
    const w = writer();
    w.scalar('a', 1, 1);
    failing.on = true;
    expect(() => w.closeSync()).toThrow('cannot append to the event file: ENOSPC');
    failing.on = false;
    expect(w.isClosed).toBe(true);
    expect(() => w.scalar('a', 2, 2)).toThrow('the writer is closed');
    expect(() => w.flushSync()).not.toThrow();
    expect(readEvents(w.filePath).map((e) => e.step)).toEqual([0]);
  });
});
