/**
 * The Experiment's specs: a trial's spec is the experiment's spec with the trial's sampled values
 * set at their dotted paths, the search block removed and `meta.random_seed` set to the trial's
 * seed; it is validated again by the spec loader, so it is a complete, standalone spec (the best
 * trial's is written as best_spec.json; `gymlab run best_spec.json <name> train` reruns it with
 * the same session seeds).
 */
import { Rng } from '@gymlab/random';
import { SpecError, resolveSpec } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';

/** A trial's sampled values, by dotted spec path (`agent.algorithm.gamma`). */
export type TrialValues = Readonly<Record<string, unknown>>;

/**
 * Seed of trial t: the (t+1)-th `deriveSeed()` of `Rng(baseSeed)`. Its sessions' seeds are
 * `sessionSeeds(trialSeed, max_session)`, exactly as a train run of the trial's spec derives them.
 */
export function experimentTrialSeed(baseSeed: number, trial: number): number {
  const rng = new Rng(baseSeed);
  let seed = 0;
  for (let i = 0; i <= trial; i++) seed = rng.deriveSeed();
  return seed;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deep, mutable JSON copy of a frozen spec value. */
const jsonCopy = <T>(v: T): Json => JSON.parse(JSON.stringify(v)) as Json;

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The trial's raw spec body (no name): `spec` without its name, with each value set at its dotted
 * path, `search: null` and `meta.random_seed: seed`. A path through a missing or null component
 * throws a `SpecError` naming it.
 */
export function trialSpecBody(spec: Spec, values: TrialValues, seed: number, file = '<spec>'): { [key: string]: Json } {
  const { name, ...rest } = spec;
  const body = jsonCopy(rest) as { [key: string]: Json };
  for (const [key, value] of Object.entries(values)) {
    const path = key.split('.');
    let node: Json = body;
    for (let i = 0; i < path.length - 1; i++) {
      const next: Json | undefined = isObject(node) ? node[path[i]] : undefined;
      if (!isObject(next)) {
        throw new SpecError({
          file,
          keyPath: `${name}.search.${key}`,
          problem: `'${path.slice(0, i + 1).join('.')}' is ${next === null ? 'null' : 'not a component'} in this spec, so '${key}' cannot be set`,
        });
      }
      node = next;
    }
    (node as { [key: string]: Json })[path[path.length - 1]] = jsonCopy(value);
  }
  body['search'] = null;
  (body['meta'] as { [key: string]: Json })['random_seed'] = seed;
  return body;
}

/** The trial's spec, validated by the spec loader (a value the schema refuses throws its `SpecError`). */
export function buildTrialSpec(spec: Spec, values: TrialValues, seed: number, file = '<spec>'): Spec {
  return resolveSpec(trialSpecBody(spec, values, seed, file), spec.name, { file });
}

/** A value as an experiment-table cell: numbers, strings and booleans as they are, lists and objects as JSON. */
export function valueCell(v: unknown): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
