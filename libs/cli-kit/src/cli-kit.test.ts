import { describe, expect, it } from 'vitest';
import { EXIT, UsageError, commandParser, exitForStatus, runCommand, withInterrupt } from './index.js';
import type { Io } from './index.js';
import { memoryIo } from './testing.js';

class DiskFull extends Error {}

const count = (argv: string[], io: Io, act: (n: number) => number | Promise<number>, bad: (e: unknown) => boolean = (e) => e instanceof UsageError) =>
  runCommand<{ n: number }>(
    'count',
    io,
    (onAction) => commandParser(argv, io, { name: 'count', description: 'Counts.' }).command('to <n>', 'count to n', (y) => y.positional('n', { type: 'string' }), (a) => onAction({ n: Number(a.n) })).demandCommand(1, 'give a command'),
    (a) => act(a.n),
    bad,
    (e) => e instanceof DiskFull,
  );

describe('runCommand with commandParser', () => {
  it("runs the chosen action and returns its exit code; positionals stay strings", async () => {
    const m = memoryIo();
    expect(await count(['to', '007'], m.io, (n) => n)).toBe(7);
  });

  it('an unknown option is bad input: one line, exit 2', async () => {
    const m = memoryIo();
    expect(await count(['to', '3', '--nope'], m.io, () => 0)).toBe(EXIT.usage);
    expect(m.err()).toMatch(/^count: Unknown argument: nope\n$/);
  });

  it('a failing action that is not bad input is an internal error, exit 1, first line only', async () => {
    const m = memoryIo();
    expect(await count(['to', '3'], m.io, () => Promise.reject(new Error('boom\n  at x')))).toBe(EXIT.internal);
    expect(m.err()).toBe('count: internal error: boom\n');
  });

  it('a file that could not be written (a full disk) is one line naming it, exit 1, not an internal error', async () => {
    const m = memoryIo();
    expect(await count(['to', '3'], m.io, () => Promise.reject(new DiskFull('cannot write d/x.json: no space left on device (ENOSPC)')))).toBe(EXIT.internal);
    expect(m.err()).toBe('count: cannot write d/x.json: no space left on device (ENOSPC)\n');
  });

  it('--help prints usage and exits 0 without an action', async () => {
    const m = memoryIo();
    expect(await count(['--help'], m.io, () => 5)).toBe(EXIT.ok);
  });
});

describe('exitForStatus', () => {
  it('completed 0, interrupted 130, failed 1', () => {
    expect([exitForStatus('completed'), exitForStatus('interrupted'), exitForStatus('failed')]).toEqual([0, 130, 1]);
  });
});

describe('withInterrupt', () => {
  it('a SIGINT aborts the signal once, says so on stderr, and the handlers are removed afterwards', async () => {
    const m = memoryIo();
    const before = process.listenerCount('SIGINT');
    const got = await withInterrupt(m.io, { name: 'count', stopping: 'stopping' }, async ({ signal, received }) => {
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      process.emit('SIGINT', 'SIGINT');
      return [signal.aborted, received()];
    });
    expect(got).toEqual([true, 'SIGINT']);
    expect(m.err()).toBe('\ncount: SIGINT: stopping...\n');
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
