/**
 * A full disk in the middle of a train session (a file system that fills after a byte budget,
 * `fullDiskIo`): one line naming the file and "no space left on device", the last whole
 * checkpoint still loads, and no partial or temp file is left behind.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../run/checkpoint.js';
import { WriteError } from '../run/fs-utils.js';
import { checkpointDir } from '../run/run-folder.js';
import { fullDiskIo, readManifest } from '../test-utils/checkpoint-files.js';
import { fakeDeps, fakeSpec } from '../test-utils/fakes.js';
import { runSession } from './session.js';

/** Every file under `dir`, relative. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('a session on a disk that fills up', () => {
  it('stops with one line naming the file; the last whole checkpoint loads; nothing partial is left', async () => {
    for (const budget of [5_000, 9_000, 14_000]) {
      const dir = mkdtempSync(join(tmpdir(), 'full-disk-'));
      const io = fullDiskIo(budget);
      const spec = fakeSpec({ env: { max_frame: 100_000 }, meta: { log_frequency: 100, checkpoint_frequency: 100 } });
      const err = await runSession({ spec, seed: 3, dir, deps: { ...fakeDeps().deps, writeIo: io }, tensorboard: false }).catch((e: unknown) => e);
      expect(err, `budget ${budget}`).toBeInstanceOf(WriteError);
      const message = (err as Error).message;
      expect(message).toMatch(new RegExp(`^cannot write ${dir}/\\S+: no space left on device \\(ENOSPC\\)$`));
      expect(io.used()).toBe(budget); // the disk was full
      const latest = loadCheckpoint(checkpointDir(dir, 'latest'));
      expect(latest.info.frame).toBeGreaterThanOrEqual(100);
      expect(latest.info.frame).toBeLessThan(100_000);
      const all = files(dir);
      expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
      // each checkpoint folder: its manifest and the one weights file it names
      for (const which of ['latest', 'best'] as const) {
        const cdir = checkpointDir(dir, which);
        expect(readdirSync(cdir).sort(), `${which}, budget ${budget}`).toEqual(['manifest.json', readManifest(cdir).weights].sort());
      }
    }
  });
});
