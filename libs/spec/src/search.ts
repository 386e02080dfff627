/**
 * The search block: `"path__dist": args`, with the path dotted (`"agent.net.optim_spec.lr__loguniform"`)
 * or nested (`{"agent": {"algorithm": {"lam__choice": [...]}}}`), as in SLM Lab / Ray Tune.
 */
import { SpecError, joinPath, nearest } from './errors.js';
import { describe } from './schema/dsl.js';
import { schemaPropAt, unreadPathAt } from './schema-path.js';
import { fail, isPlainObject, validateProp, type ValidateContext } from './validate.js';
import type { SearchSpec } from './types.js';

export const SEARCH_DISTRIBUTIONS = [
  'uniform',
  'quniform',
  'loguniform',
  'qloguniform',
  'randn',
  'qrandn',
  'randint',
  'qrandint',
  'lograndint',
  'qlograndint',
  'choice',
  'grid_search',
] as const;
export type SearchDistribution = (typeof SEARCH_DISTRIBUTIONS)[number];

/** One searched hyperparameter: where it goes in the spec, how it is drawn, the draw's arguments. */
export interface SearchDimension {
  /** Key path inside the spec, e.g. ['agent', 'net', 'optim_spec', 'lr']. */
  readonly path: readonly string[];
  readonly dist: SearchDistribution;
  /** uniform/loguniform/randint/lograndint: [low, high]; q-variants: [low, high, q]; randn: [mean, sd];
   * qrandn: [mean, sd, q]; choice/grid_search: the values. */
  readonly args: readonly unknown[];
  /** Where it is written in the search block, its keys from the block down (`['agent', 'net', 'lr__uniform']`; set by `parseSearchSpace`). */
  readonly key?: readonly string[];
}

interface ParseOptions {
  readonly file?: string;
  /** Key-path prefix for messages (the spec name). */
  readonly prefix?: readonly string[];
}

/** Parse (and check the syntax of) a raw search block into a flat list of dimensions. */
export function parseSearchSpace(search: SearchSpec | null, opts: ParseOptions = {}): SearchDimension[] {
  const ctx = { file: opts.file ?? '<search>' };
  const base = [...(opts.prefix ?? []), 'search'];
  const out: SearchDimension[] = [];
  if (search === null) return out;
  const walk = (node: Readonly<Record<string, unknown>>, at: readonly string[], where: readonly string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const errPath = [...where, key];
      const sep = key.lastIndexOf('__');
      if (sep < 0) {
        if (!isPlainObject(value)) {
          fail(ctx, errPath, `search key without a distribution: write '${key}__<dist>' (dist: ${SEARCH_DISTRIBUTIONS.join(', ')}) or a nested block`);
        }
        walk(value, [...at, ...key.split('.')], errPath);
        continue;
      }
      const dist = key.slice(sep + 2);
      const keyPath = [...at, ...key.slice(0, sep).split('.')];
      if (keyPath.some((k) => k === '')) fail(ctx, errPath, 'empty key in search path');
      if (!(SEARCH_DISTRIBUTIONS as readonly string[]).includes(dist)) {
        fail(ctx, errPath, `unknown search distribution '${dist}'; allowed: ${SEARCH_DISTRIBUTIONS.join(', ')}`, nearest(dist, SEARCH_DISTRIBUTIONS));
      }
      checkArgs(dist as SearchDistribution, value, errPath, ctx);
      out.push({ path: keyPath, dist: dist as SearchDistribution, args: value as unknown[], key: errPath.slice(base.length) });
    }
  };
  if (!isPlainObject(search)) fail(ctx, base, 'wrong type: expected an object of search keys');
  walk(search, [], base);
  return out;
}

function checkArgs(dist: SearchDistribution, v: unknown, path: readonly string[], ctx: { file: string }): void {
  if (!Array.isArray(v)) fail(ctx, path, `wrong type: ${dist} takes a list of arguments`);
  if (dist === 'choice' || dist === 'grid_search') {
    if (v.length === 0) fail(ctx, path, `${dist} needs a non-empty list of values`);
    return;
  }
  const q = dist.startsWith('q');
  const normal = dist === 'randn' || dist === 'qrandn';
  const want = q ? 3 : 2;
  const names = normal ? ['mean', 'sd', 'q'] : ['low', 'high', 'q'];
  if (v.length !== want || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(ctx, path, `${dist} takes [${names.slice(0, want).join(', ')}] (numbers), got ${JSON.stringify(v)}`);
  }
  const [a, b, step] = v as number[];
  if (q && !(step! > 0)) fail(ctx, path, `${dist}: q must be > 0, got ${step}`);
  if (normal) {
    if (!(b! > 0)) fail(ctx, path, `${dist}: sd must be > 0, got ${b}`);
    return;
  }
  if (!(a! < b!)) fail(ctx, path, `${dist}: low must be < high, got [${a}, ${b}]`);
  if (dist.includes('log') && !(a! > 0)) fail(ctx, path, `${dist}: low must be > 0, got ${a}`);
  if (dist.includes('int') && !(Number.isInteger(a) && Number.isInteger(b))) fail(ctx, path, `${dist}: low and high must be integers`);
}

const NUMERIC_DISTS: ReadonlySet<string> = new Set(SEARCH_DISTRIBUTIONS.filter((d) => d !== 'choice' && d !== 'grid_search'));

/** A checked search block: its dimensions, and the block without the ones the spec does not read. */
export interface CheckedSearch {
  readonly dims: SearchDimension[];
  readonly search: SearchSpec;
}

/**
 * Check a spec's search block against the schema: every path exists for this spec's algorithm,
 * memory and net; numeric distributions go to numeric keys (integer keys take only integer
 * distributions); every choice fits the key's type and range. A path that only another variant of
 * the chosen component reads (`agent.net.hid_layers` on a RecurrentNet: SLM Lab sets it and
 * nothing reads it) is left out of the search with a warning, and out of the returned block.
 */
export function checkSearch(spec: Readonly<Record<string, unknown>>, search: SearchSpec, prefix: readonly string[], ctx: ValidateContext): CheckedSearch {
  const parsed = parseSearchSpace(search, { file: ctx.file, prefix });
  // `search: {}`, and a block of empty blocks (SLM Lab's vanilla_dqn_concat_lunar: {"agent": {"algorithm": {}}}), read as
  // no search block: train, dev and enjoy run the spec (as SLM Lab's train mode), search mode refuses it (planSearch)
  if (parsed.length === 0) {
    if (Object.keys(search).length > 0) {
      const line = `${ctx.file}: ${joinPath([...prefix, 'search'])}: names no hyperparameter to search: read as no search block (search mode needs keys such as "agent": {"algorithm": {"gamma__uniform": [0.9, 0.999]}})`;
      ctx.notices.push(line);
      ctx.warnings?.push(line);
    }
    return { dims: [], search: {} };
  }
  const dims: SearchDimension[] = [];
  let kept: SearchSpec = search;
  for (const dim of parsed) {
    const errPath = [...prefix, 'search', `${dim.path.join('.')}__${dim.dist}`];
    const unread = unreadPathAt(dim.path, spec);
    if (unread !== null) {
      const key = dim.key ?? [`${dim.path.join('.')}__${dim.dist}`];
      const line = `${ctx.file}: ${joinPath([...prefix, 'search', ...key])}: left out of the search: ${unread.what} ${unread.tag} does not read '${dim.path.join('.')}' (${unread.users.join(', ')} do)`;
      ctx.notices.push(line);
      ctx.warnings?.push(line);
      kept = withoutKey(kept, key);
      continue;
    }
    dims.push(dim);
    const prop = schemaPropAt(dim.path, spec, errPath, ctx, 'search');
    if (prop === 'tag' || prop.f.t === 'search') return fail(ctx, errPath, `search path '${dim.path.join('.')}' names a component, not a hyperparameter`);
    if (NUMERIC_DISTS.has(dim.dist)) {
      const f = prop.f;
      if (f.t !== 'num') fail(ctx, errPath, `${dim.dist} draws numbers, but '${dim.path.join('.')}' takes ${describe(f, prop.nullable)}`);
      if (f.int && !dim.dist.includes('int')) {
        fail(ctx, errPath, `'${dim.path.join('.')}' takes integers; use an integer distribution (randint, qrandint, lograndint, qlograndint) or choice`);
      }
    } else {
      dim.args.forEach((choice, i) => {
        try {
          validateProp(prop, choice, [...errPath, i], ctx);
        } catch (e) {
          if (e instanceof SpecError) throw new SpecError({ file: ctx.file, keyPath: joinPath([...errPath, i]), problem: `search choice: ${e.problem}`, suggestion: e.suggestion });
          throw e;
        }
      });
    }
  }
  return { dims, search: kept };
}

/** `block` without the leaf at `key` (a copy; blocks left empty by it are removed too). */
function withoutKey(block: Readonly<Record<string, unknown>>, key: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = key;
  const out: Record<string, unknown> = { ...block };
  if (head === undefined) return out;
  const child = out[head];
  if (rest.length === 0 || !isPlainObject(child)) delete out[head];
  else {
    const inner = withoutKey(child, rest);
    if (Object.keys(inner).length === 0) delete out[head];
    else out[head] = inner;
  }
  return out;
}
