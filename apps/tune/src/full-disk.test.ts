/**
 * gymlab-tune on a full disk: node:fs is wrapped (a fault-injecting layer, in this test file only)
 * so that writes to experiment.json fail with ENOSPC, as on a disk that filled up. The command
 * prints one line naming the file, exits 1 (not "internal error"), leaves no temp file, and the
 * search is left resumable.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTuneHere, runTuneHere } from './test-utils/bin.js';
import { gammaLamSearchFile, tempDir } from './test-utils/specs.js';

/** Paths whose writes fail with ENOSPC; the file descriptors opened on them. */
const fault = vi.hoisted(() => ({ path: null as RegExp | null, fds: new Set<number>() }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: Parameters<typeof fs.openSync>[0], ...rest: [Parameters<typeof fs.openSync>[1], Parameters<typeof fs.openSync>[2]?]) => {
    const fd = fs.openSync(path, ...rest);
    if (fault.path?.test(String(path)) === true) fault.fds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  const closeSync = ((fd: number) => {
    fault.fds.delete(fd); // the number is reused by the next open
    fs.closeSync(fd);
  }) as typeof fs.closeSync;
  const writeSync = ((fd: number, ...rest: never[]) => {
    if (fault.fds.has(fd)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    return (fs.writeSync as (fd: number, ...a: never[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, openSync, writeSync, closeSync }, openSync, writeSync, closeSync };
});

beforeAll(() => loadTuneHere(), 300_000);

describe('gymlab-tune on a full disk', () => {
  it('one line naming the file that could not be written, exit 1; no temp file; the search stays resumable', async () => {
    const data = tempDir('full-disk');
    fault.path = /\/experiment\.json\.tmp-\d+-\d+$/;
    const r = await runTuneHere(['run', gammaLamSearchFile(1000), 'ppo_cartpole', '--data-dir', data, '--no-tensorboard']).finally(() => (fault.path = null));
    const [folder] = readdirSync(data);
    const runDir = join(data, folder);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`gymlab-tune: cannot write ${join(runDir, 'experiment.json')}: no space left on device (ENOSPC)`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(readdirSync(runDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect((JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')) as { status: string }).status).toBe('interrupted');
  });
});
