/**
 * Env snapshots: a JSON-safe copy of everything an env changes as it steps (physics state,
 * random generator, step counters), so a run can stop and continue exactly where it was. Only
 * envs that implement `snapshot`/`restore` have one: the classic-control ports, `TimeLimit`,
 * `SyncVectorEnv` over such envs; `snapshotOf` returns null for any other (MuJoCo, the Python
 * bridge), and the caller decides what to do (a resumed run refuses, see @gymlab/lab).
 *
 * Restart snapshots: an env whose physics cannot be saved exactly (the Box2D ports: planck's
 * contacts, warm-start impulses and sleeping islands have no public setter) saves only its random
 * generator (`restartSnapshot`); restored, it has no episode, and the vector env that holds it
 * starts a fresh episode there at once (a reset without seed, drawing from the saved generator,
 * so two restores of one snapshot give the same episode). The episode in progress is dropped;
 * `SyncVectorEnv.restarted()` names the sub-envs restarted and their first observations.
 */
import { RNG_STATE_SIZE, Rng } from '@gymlab/random';

/** A value inside a snapshot: numbers (float64, exact through JSON), flags, arrays, nested parts. */
export type EnvSnapshotValue = number | boolean | null | readonly number[] | EnvSnapshot | readonly EnvSnapshot[];

/** An env's dynamic state as data. */
export interface EnvSnapshot {
  readonly [key: string]: EnvSnapshotValue;
}

/** An env (single or vector) that can be saved and put back exactly. */
export interface SnapshotEnv {
  /** A copy of the env's dynamic state. */
  snapshot(): EnvSnapshot;
  /** Puts the env back in a `snapshot()` state (of an env built the same way); throws `EnvSnapshotError` when it does not fit. */
  restore(snapshot: EnvSnapshot): void;
}

/** A snapshot that does not fit the env it is restored into: one line naming the part. */
export class EnvSnapshotError extends Error {
  override readonly name = 'EnvSnapshotError';
}

/** Whether `env` can be snapshotted (the object itself; a wrapper also needs its inner env to be). */
export function isSnapshotEnv(env: object): env is SnapshotEnv {
  const e = env as Partial<SnapshotEnv>;
  return typeof e.snapshot === 'function' && typeof e.restore === 'function';
}

/** `env.snapshot()`, or null when `env` (or an env inside it) cannot be snapshotted. */
export function snapshotOf(env: object): EnvSnapshot | null {
  if (!isSnapshotEnv(env)) return null;
  try {
    return env.snapshot();
  } catch (err) {
    if (err instanceof EnvSnapshotUnsupported) return null;
    throw err;
  }
}

/** Thrown by a wrapper's `snapshot()` when the env it wraps has none (`snapshotOf` turns it into null). */
export class EnvSnapshotUnsupported extends Error {
  override readonly name = 'EnvSnapshotUnsupported';
}

/** The inner env's snapshot for a wrapper's own; `EnvSnapshotUnsupported` when it has none. */
export function innerSnapshot(env: object): EnvSnapshot {
  if (!isSnapshotEnv(env)) throw new EnvSnapshotUnsupported('the wrapped env cannot be snapshotted');
  return env.snapshot();
}

/** Restores `snapshot` into a wrapped env (`EnvSnapshotError` when it cannot take one). */
export function restoreInner(env: object, snapshot: EnvSnapshotValue | undefined, where: string): void {
  if (!isSnapshotEnv(env)) throw new EnvSnapshotError(`${where}: the wrapped env cannot be restored`);
  env.restore(snapshotPart(snapshot, where));
}

/** `value` as a nested snapshot, or `EnvSnapshotError` naming `where`. */
export function snapshotPart(value: EnvSnapshotValue | undefined, where: string): EnvSnapshot {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvSnapshotError(`${where} must be an object`);
  return value as EnvSnapshot;
}

/** `s[key]` as a finite number (`nullable`: or null), or `EnvSnapshotError`. */
export function snapshotNumber(s: EnvSnapshot, key: string, where: string): number;
export function snapshotNumber(s: EnvSnapshot, key: string, where: string, nullable: true): number | null;
export function snapshotNumber(s: EnvSnapshot, key: string, where: string, nullable = false): number | null {
  const v = s[key];
  if (nullable && v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvSnapshotError(`${where}.${key} must be a finite number`);
  return v;
}

/** `s[key]` as `length` numbers (any length when omitted), or `EnvSnapshotError`. */
export function snapshotNumbers(s: EnvSnapshot, key: string, where: string, length?: number): number[] {
  const v = s[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number') || (length !== undefined && v.length !== length)) {
    throw new EnvSnapshotError(`${where}.${key} must be ${length ?? 'a list of'} numbers`);
  }
  return v as number[];
}

/** `s[key]` as a boolean, or `EnvSnapshotError`. */
export function snapshotFlag(s: EnvSnapshot, key: string, where: string): boolean {
  const v = s[key];
  if (typeof v !== 'boolean') throw new EnvSnapshotError(`${where}.${key} must be true or false`);
  return v;
}

/** The snapshot of an env that restarts at an episode boundary: only its generator (null before the first reset). */
export function restartSnapshot(rng: Rng | null): EnvSnapshot {
  return { restart: true, rng: rng?.getState() ?? null };
}

/** Whether `s` (or the snapshot of an env wrapped inside it, under `env`) is a restart snapshot. */
export function isRestartSnapshot(s: EnvSnapshotValue | undefined): boolean {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return false;
  const snap = s as EnvSnapshot;
  return snap.restart === true || isRestartSnapshot(snap.env);
}

/** The generator a restart snapshot saved (a new one in that state; null if it had none); `EnvSnapshotError` when `s` is not one. */
export function restartRng(s: EnvSnapshot, where: string): Rng | null {
  if (s.restart !== true) throw new EnvSnapshotError(`${where} is not a restart snapshot (restart: true)`);
  if (s.rng === null) return null;
  const rng = new Rng(0);
  rng.setState(snapshotNumbers(s, 'rng', where, RNG_STATE_SIZE));
  return rng;
}

/** A sub-env a restore started afresh (restart snapshot): its index and the new episode's first observation. */
export interface RestartedEnv {
  readonly envIndex: number;
  readonly obs: Float32Array;
}
