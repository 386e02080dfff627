/**
 * Checkpoint files for tests: read and rewrite a manifest (signed again with its checksum, as a
 * deliberate attacker would, or left unsigned), find the weights file it names, and a file system
 * that fills up after a byte budget (`fullDiskIo`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, manifestChecksum } from '../run/checkpoint.js';
import { nodeWriteIo } from '../run/fs-utils.js';
import type { WriteIo } from '../run/fs-utils.js';

export type ManifestJson = Record<string, unknown> & { tensors: { name: string; shape: number[] }[]; weights: string };

export const readManifest = (dir: string): ManifestJson => JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ManifestJson;

/** The weights file the manifest of `dir` names. */
export const weightsPath = (dir: string): string => join(dir, readManifest(dir).weights);

/**
 * Rewrites the manifest of `dir` as text (`edit` gets and returns its JSON text without the
 * checksum), then stores a valid checksum unless `sign` is false.
 */
export function rewriteManifest(dir: string, edit: (text: string) => string, sign = true): void {
  const { manifest_sha256: sum, ...rest } = readManifest(dir);
  const text = edit(JSON.stringify(rest));
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const checksum = sign ? manifestChecksum(parsed) : sum;
  writeFileSync(join(dir, MANIFEST_FILE), `${text.slice(0, text.lastIndexOf('}'))},"manifest_sha256":${JSON.stringify(checksum)}}\n`);
}

/** An ENOSPC error as node's fs raises it (no path in the message). */
export const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/**
 * Node's file system with room for `budget` more bytes: a write that does not fit writes what
 * fits and fails with ENOSPC, as a full disk does. `used()` tells the bytes written so far.
 */
export function fullDiskIo(budget: number): WriteIo & { readonly used: () => number } {
  let used = 0;
  return {
    ...nodeWriteIo,
    writeSync: (fd, data, offset, length) => {
      const room = Math.max(0, budget - used);
      if (room < length) {
        if (room > 0) used += nodeWriteIo.writeSync(fd, data, offset, room);
        throw enospc();
      }
      const n = nodeWriteIo.writeSync(fd, data, offset, length);
      used += n;
      return n;
    },
    used: () => used,
  };
}
