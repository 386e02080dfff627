/**
 * Spec files are data from anywhere (a downloaded spec, a copied run folder): before any of it is
 * used, its shape is bounded and its names are checked.
 * - Nesting deeper than {@link MAX_DEPTH} is refused (no spec needs more than a handful of levels;
 *   a deeper document would only exhaust the stack of the validator).
 * - Keys that name JavaScript object machinery (`__proto__`, `constructor`, `prototype`) are
 *   refused wherever they appear: they are never spec keys, and a lookup by such a name would
 *   reach the prototype instead of the data.
 * - A spec name becomes a folder name, so it must be a plain name: no path separators, no `..`.
 */
import { SpecError, joinPath } from './errors.js';

/** The deepest nesting of maps and lists a spec file may have. */
export const MAX_DEPTH = 64;

/** Keys that are never data. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Longest spec name (it becomes part of a folder name). */
export const MAX_NAME_LENGTH = 128;
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Refuses a value nested deeper than `MAX_DEPTH` or holding a reserved key; walks without recursion. */
export function checkData(value: unknown, file: string, base: readonly (string | number)[] = []): void {
  const stack: { v: unknown; path: readonly (string | number)[] }[] = [{ v: value, path: base }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length - base.length >= MAX_DEPTH) {
      throw new SpecError({ file, keyPath: joinPath(path.slice(0, base.length + 3)), problem: `nested more than ${MAX_DEPTH} levels deep (allowed: at most ${MAX_DEPTH})` });
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (RESERVED_KEYS.has(key)) throw reservedKey(file, [...path, key], key);
      stack.push({ v: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

function reservedKey(file: string, path: readonly (string | number)[], key: string): SpecError {
  return new SpecError({ file, keyPath: joinPath(path), problem: `key '${key}' is not allowed (a reserved JavaScript name, never a spec key)` });
}

/** Refuses a `-s` key path with an empty or reserved segment. */
export function checkKeyPath(keyPath: string, file: string): void {
  const parts = keyPath.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '') throw new SpecError({ file, keyPath: '', problem: `-s ${keyPath}: empty segment in the key path (expected e.g. env.max_frame)` });
    // names the argument: the key came from the command line, not from the file
    if (RESERVED_KEYS.has(parts[i]!)) throw new SpecError({ file, keyPath: '', problem: `-s ${keyPath}: key '${parts[i]!}' is not allowed (a reserved JavaScript name, never a spec key)` });
  }
}

/** Why `name` is not a plain spec name, or null when it is one. */
export function specNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long (allowed: at most ${MAX_NAME_LENGTH})`;
  if (RESERVED_KEYS.has(name)) return 'is a reserved JavaScript name';
  if (!PLAIN_NAME.test(name) || name.includes('..')) {
    return 'is not a plain name (allowed: letters, digits, _ . -, not starting with . or -, no ..: it becomes a folder name)';
  }
  return null;
}

/** Refuses a spec name that is not plain (it becomes a run folder's name). */
export function checkSpecName(name: string, file: string): void {
  const problem = specNameProblem(name);
  if (problem !== null) throw new SpecError({ file, keyPath: '', problem: `spec name ${JSON.stringify(name)} ${problem}` });
}
