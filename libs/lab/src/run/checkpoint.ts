/**
 * Checkpoints are data, never code: an agent's `AgentState` tensors as raw little-endian float32
 * in `weights.bin`, described by `manifest.json` (names, shapes, byte offsets, a sha256 of the
 * binary, the algorithm and JSON-safe metadata). Loading checks every shape and byte count.
 * A session whose env is normalised (`env.normalize_obs` / `normalize_reward`) also saves the
 * running statistics in the manifest (`env_stats`, float64 numbers, exact through JSON).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESERVED_KEYS } from '@gymlab/spec';
import type { AgentState } from '@gymlab/agents';
import type { NormalizationState, RunningMeanStdState } from '@gymlab/envs';
import { writeFileAtomic, writeJsonAtomic } from './fs-utils.js';

export const CHECKPOINT_FORMAT = 'gymlab-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

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

/** A checkpoint that cannot be read or does not fit: one line naming the folder and the problem. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Writes `state` into `dir` (binary first, then the manifest that vouches for it), with the env's
 * normalisation statistics and the session's resume record when given.
 */
export function saveCheckpoint(dir: string, state: AgentState, info: CheckpointInfo, envStats: NormalizationState | null = null, resume: unknown = null): void {
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
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    algorithm: state.algorithm,
    info,
    meta: state.meta,
    tensors: entries,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(envStats === null ? {} : { env_stats: envStats }),
    ...(resume === null ? {} : { resume }),
  };
  writeFileAtomic(join(dir, WEIGHTS_FILE), bytes);
  writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
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
  if (m.version !== CHECKPOINT_VERSION) return bad(`unsupported version ${String(m.version)} (this build reads ${CHECKPOINT_VERSION})`);
  if (typeof m.algorithm !== 'string') return bad('algorithm must be a string');
  if (!isRecord(m.info) || typeof m.info.frame !== 'number') return bad('info.frame must be a number');
  if (!isRecord(m.meta)) return bad('meta must be an object');
  if (!Array.isArray(m.tensors)) return bad('tensors must be an array');
  if (typeof m.bytes !== 'number' || typeof m.sha256 !== 'string') return bad('bytes and sha256 are required');
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

/** Reads and validates a checkpoint folder; `envStats` and `resume` are null when none were saved. */
export function loadCheckpoint(dir: string): { state: AgentState; info: CheckpointInfo; envStats: NormalizationState | null; resume: unknown } {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new CheckpointError(`no checkpoint in ${dir} (missing ${MANIFEST_FILE})`);
  const manifest = parseManifest(dir, readFileSync(manifestPath, 'utf8'));
  const weightsPath = join(dir, WEIGHTS_FILE);
  if (!existsSync(weightsPath)) throw new CheckpointError(`checkpoint ${dir} is missing ${WEIGHTS_FILE}`);
  const bytes = readFileSync(weightsPath);
  if (bytes.byteLength !== manifest.bytes) {
    throw new CheckpointError(`${weightsPath} has ${bytes.byteLength} bytes, the manifest says ${manifest.bytes}`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== manifest.sha256) {
    throw new CheckpointError(`${weightsPath} does not match the manifest's sha256`);
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
