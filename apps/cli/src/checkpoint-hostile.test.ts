/**
 * Hostile checkpoints (issue 13's fault tests): truncated, random bytes, wrong shapes, reserved
 * keys, a path outside the run folder, checksum mismatches, non-finite weights. Each case is a run
 * folder of a real dev run, damaged, then given to `gymlab enjoy` (in this process, through
 * `main`) and to the loader `enjoy` and resume use: one line naming the file, exit 2, nothing in
 * the folder changed, nothing executed.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, checkStateFits, loadCheckpoint, manifestChecksum, saveCheckpoint } from '@gymlab/lab';
import { main } from './main.js';
import { DEMO, ensureBuilt, snapshot } from './test-utils/cli.js';

/** Runs `gymlab ARGS` in this process; its exit code and what it printed. */
async function gymlab(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr'): NodeJS.WriteStream => ({ write: (s: string) => ((out[key] += s), true), isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await main(args, { stdout: stream('stdout'), stderr: stream('stderr') });
  return { code, ...out };
}

type Manifest = Record<string, unknown> & { weights: string; manifest_sha256?: string };
const manifestPath = (cdir: string): string => join(cdir, 'manifest.json');
const readManifest = (cdir: string): Manifest => JSON.parse(readFileSync(manifestPath(cdir), 'utf8')) as Manifest;
const weights = (cdir: string): string => join(cdir, readManifest(cdir).weights);

/** Changes the manifest's object, then stores it with a valid checksum (as an attacker could). */
function signedEdit(cdir: string, edit: (m: Manifest) => void): void {
  const { manifest_sha256: _, ...m } = readManifest(cdir);
  edit(m as Manifest);
  writeFileSync(manifestPath(cdir), JSON.stringify({ ...m, manifest_sha256: manifestChecksum(m) }));
}

/** Saves the checkpoint's own tensors back through `change` (a whole checkpoint, valid checksums). */
function resave(cdir: string, change: (tensors: Record<string, { shape: readonly number[]; data: Float32Array }>) => void): void {
  const { state, info, envStats } = loadCheckpoint(cdir);
  const tensors = { ...state.tensors };
  change(tensors);
  saveCheckpoint(cdir, { ...state, tensors }, info, envStats);
}

let pristine = '';

beforeAll(async () => {
  ensureBuilt();
  const data = mkdtempSync(join(tmpdir(), 'gymlab-hostile-ckpt-'));
  const r = await gymlab(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=300', '-s', 'meta.log_frequency=100', '--no-tensorboard', '--data-dir', data]);
  if (r.code !== 0) throw new Error(`dev run failed: ${r.stderr}`);
  pristine = join(data, readdirSync(data)[0]);
}, 300_000);

const bestOf = (run: string): string => join(run, 'trial_0', 'session_0', 'checkpoints', 'best');

const cases: [string, (cdir: string, run: string) => void, RegExp][] = [
  ['truncated weights', (c) => writeFileSync(weights(c), readFileSync(weights(c)).subarray(0, 1000)), /weights-[0-9a-f]{16}\.bin has 1000 bytes, the manifest says \d+ \(truncated or damaged\)/],
  ['weights overwritten with random bytes', (c) => writeFileSync(weights(c), Buffer.from(Array.from(readFileSync(weights(c)), (_, i) => (i * 7919 + 13) % 256))), /weights-[0-9a-f]{16}\.bin: checksum mismatch/],
  ['a manifest overwritten with random bytes', (c) => writeFileSync(manifestPath(c), Buffer.from([0, 255, 13, 7, 42, 128])), /best\/manifest\.json is not valid JSON/],
  ['a truncated manifest', (c) => writeFileSync(manifestPath(c), readFileSync(manifestPath(c)).subarray(0, 200)), /best\/manifest\.json is not valid JSON/],
  ['a manifest changed after it was written', (c) => writeFileSync(manifestPath(c), readFileSync(manifestPath(c), 'utf8').replace(/"frame": (\d+)/, '"frame": 1$1')), /best\/manifest\.json: checksum mismatch \(manifest_sha256\)/],
  ['a __proto__ key (checksum valid)', (c) => signedEdit(c, (m) => void (m.meta = JSON.parse('{"__proto__": {"polluted": true}}'))), /best\/manifest\.json: key '__proto__' is not allowed/],
  ['a constructor key (checksum valid)', (c) => signedEdit(c, (m) => void (m.info = { ...(m.info as object), constructor: { prototype: { polluted: true } } })), /best\/manifest\.json: key '(constructor|prototype)' is not allowed/],
  ['a weights name pointing outside the run folder (checksum valid)', (c) => signedEdit(c, (m) => void (m.weights = '../../../../spec.json')), /best\/manifest\.json: weights: '\.\.\/\.\.\/\.\.\/\.\.\/spec\.json' is not the name of a weights file/],
  ['a weights file linked to a file outside', (c, run) => {
    const w = weights(c);
    rmSync(w);
    symlinkSync(join(run, '..', 'outside.bin'), w);
  }, /weights-[0-9a-f]{16}\.bin: is a symbolic link/],
  ['a checkpoint folder linked outside the run folder', (c, run) => {
    const elsewhere = join(run, '..', 'elsewhere');
    cpSync(c, elsewhere, { recursive: true });
    rmSync(c, { recursive: true });
    symlinkSync(elsewhere, c);
  }, /best: the checkpoint folder resolves to .*elsewhere, outside the run folder/],
  ['NaN weights with a valid checksum', (c) => resave(c, (t) => {
    const name = Object.keys(t)[0];
    const data = Float32Array.from(t[name].data);
    data[3] = Number.NaN;
    t[name] = { shape: t[name].shape, data };
  }), /weights-[0-9a-f]{16}\.bin: tensor '.+' holds 1 non-finite value\(s\) \(NaN or infinite\)/],
  ['weights of the wrong shape (a whole checkpoint of another net)', (c) => resave(c, (t) => {
    const name = Object.keys(t).find((n) => t[n].shape.length === 2) ?? '';
    const [rows, cols] = t[name].shape;
    t[name] = { shape: [cols, rows], data: t[name].data };
  }), /best: tensor '.+' has shape \[\d+, \d+\], the agent needs \[\d+, \d+\]/],
];

describe('gymlab enjoy and the checkpoint loader refuse a hostile checkpoint in one line, exit 2', () => {
  for (const [name, damage, message] of cases) {
    it(name, async () => {
      const run = join(mkdtempSync(join(tmpdir(), 'gymlab-hostile-')), 'run');
      cpSync(pristine, run, { recursive: true });
      writeFileSync(join(run, '..', 'outside.bin'), readFileSync(weights(bestOf(pristine))));
      damage(bestOf(run), run);
      const before = snapshot(run);

      // the loader (enjoy's, and resume's): a CheckpointError with the same line
      const loaded = (): void => {
        const { state } = loadCheckpoint(bestOf(run), { root: run });
        checkStateFits(loadCheckpoint(bestOf(pristine)).state, state, bestOf(run));
      };
      expect(loaded).toThrow(CheckpointError);
      expect(loaded).toThrow(message);

      const r = await gymlab(['enjoy', run, '--episodes', '1']);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^gymlab: /);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).not.toMatch(/internal error/);
      expect(r.stdout).not.toMatch(/episode 1/); // nothing played
      expect(snapshot(run)).toEqual(before); // nothing written or overwritten
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }, 60_000);
  }

  it('the undamaged copy plays (the cases above fail for their damage alone)', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'gymlab-hostile-')), 'run');
    cpSync(pristine, run, { recursive: true });
    const r = await gymlab(['enjoy', run, '--episodes', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/episode 1: return/);
  }, 60_000);
});
