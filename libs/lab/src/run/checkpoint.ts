/**
 * Checkpoints are data, never code: an agent's `AgentState` tensors as raw little-endian float32
 * in a weights file, described by `manifest.json` (names, shapes, byte offsets, a sha256 of the
 * binary, the algorithm and JSON-safe metadata). A session whose env is normalised
 * (`env.normalize_obs` / `normalize_reward`) also saves the running statistics in the manifest
 * (`env_stats`, float64 numbers, exact through JSON).
 *
 * Checkpoints cannot lie: the weights file is named by its content (`weights-<sha256 prefix>.bin`)
 * and written whole and durably (temp file, fsync, rename, fsync of the folder) before the
 * manifest that names it, which carries its own checksum (`manifest_sha256`) and is written the
 * same way; only then is the previous weights file removed. So at every moment the folder holds
 * a whole checkpoint, the previous one until the new one is on disk. Loading verifies both
 * checksums, every shape and byte count, refuses reserved JavaScript keys, files that are not
 * plain files in the checkpoint folder (symbolic links, names with a path), a folder outside the
 * run folder, and non-finite weights, each with one line naming the file.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { RESERVED_KEYS } from '@gymlab/spec';
import type { AgentState } from '@gymlab/agents';
import type { NormalizationState, RunningMeanStdState } from '@gymlab/envs';
import { isTempName, makeDirs, nodeWriteIo, syncDir, writeErrorOf, writeFileAtomic } from './fs-utils.js';
import type { WriteIo } from './fs-utils.js';

export const CHECKPOINT_FORMAT = 'gymlab-checkpoint';
/** 2: the weights file is named in the manifest (`weights`), and the manifest has a checksum. */
export const CHECKPOINT_VERSION = 2;
export const MANIFEST_FILE = 'manifest.json';
/** What a weights file may be called: `weights-` and the first 16 hex digits of its sha256. */
const WEIGHTS_NAME = /^weights-[0-9a-f]{16}\.bin$/;

/** Where in the run a checkpoint was taken. */
export interface CheckpointInfo {
  readonly frame: number;
  /** The metric it was chosen by (`eval_return` or `return_ma`), and its value. */
  readonly metric: string;
  readonly value: number | null;
}

interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset and length in float32 elements. */
  readonly offset: number;
  readonly length: number;
}

interface Manifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly algorithm: string;
  readonly info: CheckpointInfo;
  readonly meta: AgentState['meta'];
  readonly tensors: readonly TensorEntry[];
  /** The weights file, a plain name in the checkpoint folder. */
  readonly weights: string;
  readonly bytes: number;
  readonly sha256: string;
  /** The env's normalisation statistics; absent when the env is not normalised. */
  readonly env_stats?: NormalizationState;
  /**
   * What continuing the session from here needs besides the agent (counters, rows, env snapshot,
   * output positions; see session/resume-state.ts); absent in checkpoints that cannot be resumed.
   * JSON data, checked by the session that reads it.
   */
  readonly resume?: unknown;
}

/** The manifest's own checksum, over its JSON text without this field (last in the file). */
const MANIFEST_SUM_KEY = 'manifest_sha256';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The checksum a manifest object (without `manifest_sha256`) is stored with. */
export function manifestChecksum(manifest: Readonly<Record<string, unknown>>): string {
  return sha256(JSON.stringify(manifest));
}

/** A checkpoint that cannot be read or does not fit: one line naming the folder and the problem. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface SaveCheckpointOptions {
  /** The file-system calls (tests inject a full disk); default node's. */
  readonly io?: WriteIo;
  /** The session's resume record (JSON data, session/resume-state.ts), kept in the manifest under its checksum. */
  readonly resume?: unknown;
}

/**
 * Writes `state` into `dir` (the weights file first, then the manifest that names and vouches for
 * it; both durable), with the env's normalisation statistics when given, then removes the
 * previous weights file. A failed write throws a one-line `WriteError` and leaves the previous
 * checkpoint whole.
 */
export function saveCheckpoint(dir: string, state: AgentState, info: CheckpointInfo, envStats: NormalizationState | null = null, opts: SaveCheckpointOptions = {}): void {
  const io = opts.io ?? nodeWriteIo;
  const resume = opts.resume ?? null;
  const names = Object.keys(state.tensors).sort();
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const t = state.tensors[name];
    if (t.data.length !== product(t.shape)) {
      throw new CheckpointError(`tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    }
    entries.push({ name, shape: [...t.shape], offset, length: t.data.length });
    offset += t.data.length;
  }
  const all = new Float32Array(offset);
  for (const e of entries) all.set(state.tensors[e.name].data, e.offset);
  const bytes = new Uint8Array(all.byteLength);
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(all.buffer));
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < all.length; i++) view.setFloat32(i * 4, all[i], true);
  }
  const sum = sha256(bytes);
  const weights = `weights-${sum.slice(0, 16)}.bin`;
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    algorithm: state.algorithm,
    info,
    meta: state.meta,
    tensors: entries,
    weights,
    bytes: bytes.byteLength,
    sha256: sum,
    ...(envStats === null ? {} : { env_stats: envStats }),
    ...(resume === null ? {} : { resume }),
  };
  const text = `${JSON.stringify({ ...manifest, [MANIFEST_SUM_KEY]: manifestChecksum(manifest as unknown as Record<string, unknown>) }, null, 2)}\n`;
  const created = lstatOrNull(dir) === null;
  try {
    makeDirs(dir);
  } catch (err) {
    throw writeErrorOf(dir, err);
  }
  if (created) syncDir(dirname(dir), io); // the new folder's own entry, durable too
  const weightsPath = join(dir, weights);
  const existed = lstatOrNull(weightsPath) !== null; // the same weights as the previous checkpoint
  writeFileAtomic(weightsPath, bytes, { durable: true, io });
  try {
    writeFileAtomic(join(dir, MANIFEST_FILE), text, { durable: true, io });
  } catch (err) {
    if (!existed) io.rmSync(weightsPath, { force: true }); // named by no manifest
    throw err;
  }
  // the new checkpoint is whole on disk: the previous weights (and temp files of a killed writer) go
  for (const name of readdirSync(dir)) {
    if (name !== weights && (WEIGHTS_NAME.test(name) || name === 'weights.bin' || isTempName(name))) io.rmSync(join(dir, name), { force: true });
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((d) => Number.isInteger(d) && d >= 0);
}

const finiteList = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));

/** What is wrong with one part of `env_stats` (null or running statistics), or null. */
function statsProblem(x: unknown): string | null {
  if (x === null) return null;
  if (!isRecord(x) || !finiteList(x.mean) || !finiteList(x.var) || typeof x.count !== 'number') {
    return 'must be null or { mean: number[], var: number[], count: number } with finite numbers';
  }
  if (x.mean.length === 0 || x.mean.length !== x.var.length) return 'mean and var must have the same non-zero length';
  if (x.var.some((v) => v < 0) || !(Number.isFinite(x.count) && x.count > 0)) return 'needs var >= 0 and a finite count > 0';
  return null;
}

function parseManifest(dir: string, text: string): Manifest {
  let m: unknown;
  let reserved: string | null = null;
  try {
    m = JSON.parse(text, (key, value: unknown) => {
      if (RESERVED_KEYS.has(key)) reserved ??= key;
      return value;
    });
  } catch {
    throw new CheckpointError(`${join(dir, MANIFEST_FILE)} is not valid JSON`);
  }
  if (reserved !== null) throw new CheckpointError(`${join(dir, MANIFEST_FILE)}: key '${reserved}' is not allowed (a reserved JavaScript name)`);
  const bad = (what: string): never => {
    throw new CheckpointError(`${join(dir, MANIFEST_FILE)}: ${what}`);
  };
  if (!isRecord(m) || m.format !== CHECKPOINT_FORMAT) return bad(`not a ${CHECKPOINT_FORMAT} manifest`);
  if (m.version !== CHECKPOINT_VERSION) {
    return bad(`unsupported version ${String(m.version)} (this build reads ${CHECKPOINT_VERSION}${m.version === 1 ? '; version 1 had no manifest checksum: train again' : ''})`);
  }
  const { [MANIFEST_SUM_KEY]: stored, ...rest } = m;
  if (typeof stored !== 'string') return bad(`${MANIFEST_SUM_KEY} is missing: the manifest cannot be verified`);
  let computed: string;
  try {
    computed = manifestChecksum(rest);
  } catch {
    return bad('cannot be checksummed');
  }
  if (computed !== stored) return bad(`checksum mismatch (${MANIFEST_SUM_KEY}): the manifest was changed or damaged after it was written`);
  if (typeof m.algorithm !== 'string') return bad('algorithm must be a string');
  if (!isRecord(m.info) || typeof m.info.frame !== 'number') return bad('info.frame must be a number');
  if (!isRecord(m.meta)) return bad('meta must be an object');
  if (!Array.isArray(m.tensors)) return bad('tensors must be an array');
  if (typeof m.bytes !== 'number' || typeof m.sha256 !== 'string') return bad('bytes and sha256 are required');
  if (typeof m.weights !== 'string' || !WEIGHTS_NAME.test(m.weights)) {
    const named = typeof m.weights === 'string' ? `'${m.weights}'` : String(m.weights);
    return bad(`weights: ${named} is not the name of a weights file in the checkpoint folder (allowed: weights-<16 hex digits>.bin, no path)`);
  }
  let expected = 0;
  const names = new Set<string>();
  for (const t of m.tensors as unknown[]) {
    if (!isRecord(t) || typeof t.name !== 'string' || !isShape(t.shape)) return bad('each tensor needs a name and an integer shape');
    if (names.has(t.name)) return bad(`tensor '${t.name}' appears twice`);
    if (RESERVED_KEYS.has(t.name)) return bad(`tensor name '${t.name}' is not allowed (a reserved JavaScript name)`);
    names.add(t.name);
    if (t.offset !== expected || t.length !== product(t.shape)) return bad(`tensor '${t.name}' offset/length do not match its shape`);
    expected += t.length as number;
  }
  if (m.bytes !== expected * 4) return bad(`bytes ${m.bytes} do not match the tensors (${expected * 4})`);
  if (m.env_stats !== undefined) {
    if (!isRecord(m.env_stats)) return bad('env_stats must be an object { obs, return }');
    for (const part of ['obs', 'return'] as const) {
      const problem = statsProblem(m.env_stats[part]);
      if (problem !== null) return bad(`env_stats.${part} ${problem}`);
    }
  }
  return m as unknown as Manifest;
}

export interface LoadCheckpointOptions {
  /**
   * The run folder the checkpoint must lie in (after symbolic links are resolved); default the
   * checkpoint folder itself.
   */
  readonly root?: string;
}

/** `lstat` of `path`, or null when it does not exist. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw new CheckpointError(`${path}: cannot be read (${(err as Error).message.split('\n')[0]})`);
  }
}

/** Reads `path`, which must be a plain file (no symbolic link, device or FIFO) of at most `maxBytes`. */
function readPlainFile(path: string, what: string, maxBytes: number): Buffer {
  const st = lstatOrNull(path);
  if (st === null) throw new CheckpointError(`${path}: missing (the checkpoint's ${what})`);
  if (st.isSymbolicLink()) throw new CheckpointError(`${path}: is a symbolic link; a checkpoint's ${what} must be a plain file in its folder`);
  if (!st.isFile()) throw new CheckpointError(`${path}: is not a plain file (the checkpoint's ${what})`);
  if (st.size > maxBytes) throw new CheckpointError(`${path}: ${st.size} bytes, more than the ${maxBytes} expected`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CheckpointError(`${path}: cannot be read (${(err as Error).message.split('\n')[0]})`);
  }
}

/** A manifest holds the meta and statistics as JSON; beyond this it is not one gymlab wrote. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Throws when `dir` (symbolic links resolved) is not inside `root`. */
function checkInside(dir: string, root: string): void {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(dir);
  } catch {
    throw new CheckpointError(`no checkpoint in ${dir}`);
  }
  const rel = relative(realRoot, real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new CheckpointError(`${dir}: the checkpoint folder resolves to ${real}, outside the run folder ${realRoot}; refusing to read it`);
  }
}

/**
 * Reads and validates a checkpoint folder (see the file comment for what is refused); `envStats`
 * is null when none were saved. Nothing is read beyond the folder, and nothing is written.
 */
export function loadCheckpoint(dir: string, opts: LoadCheckpointOptions = {}): { state: AgentState; info: CheckpointInfo; envStats: NormalizationState | null; resume: unknown } {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (lstatOrNull(dir) === null || lstatOrNull(manifestPath) === null) throw new CheckpointError(`no checkpoint in ${dir} (missing ${MANIFEST_FILE})`);
  checkInside(dir, opts.root ?? dir);
  const manifest = parseManifest(dir, readPlainFile(manifestPath, 'manifest', MAX_MANIFEST_BYTES).toString('utf8'));
  const weightsPath = join(dir, manifest.weights);
  const bytes = readPlainFile(weightsPath, 'weights', manifest.bytes);
  if (bytes.byteLength !== manifest.bytes) {
    throw new CheckpointError(`${weightsPath} has ${bytes.byteLength} bytes, the manifest says ${manifest.bytes} (truncated or damaged)`);
  }
  if (sha256(bytes) !== manifest.sha256) {
    throw new CheckpointError(`${weightsPath}: checksum mismatch: does not match the manifest's sha256 (damaged or replaced)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const t of manifest.tensors) {
    const data = new Float32Array(t.length);
    let nonFinite = 0;
    for (let i = 0; i < t.length; i++) {
      data[i] = view.getFloat32((t.offset + i) * 4, true);
      if (!Number.isFinite(data[i])) nonFinite++;
    }
    if (nonFinite > 0) throw new CheckpointError(`${weightsPath}: tensor '${t.name}' holds ${nonFinite} non-finite value(s) (NaN or infinite): the run had diverged when this checkpoint was saved`);
    tensors[t.name] = { shape: t.shape, data };
  }
  return { state: { algorithm: manifest.algorithm, tensors, meta: manifest.meta }, info: manifest.info, envStats: manifest.env_stats ?? null, resume: manifest.resume ?? null };
}

/**
 * Checks that saved normalisation statistics cover what the spec normalises (`obsSize`: the
 * observation size, null when observations are not normalised). Throws a one-line
 * `CheckpointError` naming the checkpoint and the spec key.
 */
export function checkEnvStatsFit(
  stats: NormalizationState | null,
  needs: { readonly obsSize: number | null; readonly return: boolean },
  where: string,
): void {
  const lacks = (key: string, what: string): never => {
    throw new CheckpointError(`${where}: the spec sets env.${key}: true but the checkpoint holds no ${what} statistics (saved without them); train again to replay it`);
  };
  const obs: RunningMeanStdState | null = stats?.obs ?? null;
  if (needs.obsSize !== null) {
    if (obs === null) lacks('normalize_obs', 'observation');
    else if (obs.mean.length !== needs.obsSize) {
      throw new CheckpointError(`${where}: env_stats.obs has ${obs.mean.length} values, the env's observations ${needs.obsSize}`);
    }
  }
  if (needs.return && (stats?.return ?? null) === null) lacks('normalize_reward', 'return');
}

/** Prefix of the tensors only resuming a run needs (an agent's `resumeState()`): `checkStateFits` leaves them out. */
export const RESUME_TENSOR_PREFIX = 'resume/';

/**
 * Checks that `loaded` fits an agent whose own state is `template`: same algorithm, the same
 * tensor names, and the same shapes (tensors named `resume/...` aside). Throws a `CheckpointError`
 * naming the first mismatch.
 */
export function checkStateFits(template: AgentState, loaded: AgentState, where: string): void {
  if (template.algorithm !== loaded.algorithm) {
    throw new CheckpointError(`${where}: checkpoint is for ${loaded.algorithm}, the agent is ${template.algorithm}`);
  }
  for (const [name, t] of Object.entries(template.tensors)) {
    const l = loaded.tensors[name];
    if (!l) throw new CheckpointError(`${where}: checkpoint lacks tensor '${name}'`);
    if (l.shape.length !== t.shape.length || l.shape.some((d, i) => d !== t.shape[i])) {
      throw new CheckpointError(`${where}: tensor '${name}' has shape [${l.shape.join(', ')}], the agent needs [${t.shape.join(', ')}]`);
    }
  }
  for (const name of Object.keys(loaded.tensors)) {
    if (!(name in template.tensors) && !name.startsWith(RESUME_TENSOR_PREFIX)) throw new CheckpointError(`${where}: checkpoint has unknown tensor '${name}'`);
  }
}
