/** Loading specs: file -> named raw specs -> `-s` values -> validated, defaults filled, frozen `Spec`. */
import { checkData, checkSpecName } from './data-guard.js';
import { deriveAndCheck } from './derive.js';
import { checkLimits } from './limits.js';
import { SpecError, nearest } from './errors.js';
import { applySets, parseSets } from './overrides.js';
import { readSpecFile } from './parse-file.js';
import { specSchema } from './schema/spec.js';
import { checkSearch, type SearchDimension } from './search.js';
import type { Spec } from './types.js';
import { isPlainObject, validateObject, type ValidateContext } from './validate.js';

export interface LoadOptions {
  /** `-s key=value` strings: `${key}` placeholders and dotted-path overrides. */
  readonly sets?: readonly string[];
}

export interface LoadedSpec {
  readonly spec: Spec;
  /** Aliases and `-s` overrides applied, one line each (for logs). */
  readonly notices: readonly string[];
  /** The parsed search space (empty without a search block). */
  readonly searchSpace: readonly SearchDimension[];
  /** Lines worth a user's eye (also in `notices`): `-s` values this spec does not use (SLM Lab ignores them too), settings that do nothing. */
  readonly warnings: readonly string[];
}

/** Load, validate and freeze one named spec of a JSON/YAML spec file. */
export function loadSpec(file: string, name: string, opts: LoadOptions = {}): Spec {
  return loadSpecDetailed(file, name, opts).spec;
}

/** `loadSpec` plus the notices and the parsed search space. */
export function loadSpecDetailed(file: string, name: string, opts: LoadOptions = {}): LoadedSpec {
  const top = readTop(file);
  if (!Object.hasOwn(top, name)) {
    const names = Object.keys(top);
    throw new SpecError({ file, keyPath: name, problem: `no spec named '${name}' in this file; names: ${names.join(', ')}`, suggestion: nearest(name, names) });
  }
  return resolveSpecDetailed(top[name], name, { ...opts, file });
}

/** The names of the specs in a file (anchor blocks left out), without validating them. */
export function specNamesIn(file: string): string[] {
  return Object.keys(readTop(file));
}

/** Load and validate every spec in a file. */
export function loadSpecFile(file: string, opts: LoadOptions = {}): { names: string[]; specs: Record<string, Spec> } {
  const top = readTop(file);
  const names = Object.keys(top);
  const specs: Record<string, Spec> = {};
  for (const name of names) specs[name] = resolveSpecDetailed(top[name], name, { ...opts, file }).spec;
  return { names, specs: Object.freeze(specs) as Record<string, Spec> };
}

export interface ResolveOptions extends LoadOptions {
  /** Where the spec came from, for messages (default `<spec>`). */
  readonly file?: string;
}

/** Validate an in-memory raw spec (the value under a name in a spec file); defaults filled, frozen. */
export function resolveSpec(raw: unknown, name: string, opts: ResolveOptions = {}): Spec {
  return resolveSpecDetailed(raw, name, opts).spec;
}

export function resolveSpecDetailed(raw: unknown, name: string, opts: ResolveOptions = {}): LoadedSpec {
  const file = opts.file ?? '<spec>';
  checkSpecName(name, file);
  checkData(raw, file, [name]);
  const ctx: ValidateContext = { file, notices: [], warnings: [] };
  const sets = parseSets(opts.sets ?? [], file);
  const withSets = readSlmQuirks(applySets(raw, name, sets, ctx), name, ctx);
  const spec = deriveAndCheck(validateObject(specSchema, withSets, [name], ctx), name, ctx);
  checkLimits(spec, name, ctx);
  const checked = spec.search === null ? null : checkSearch(spec, spec.search, [name], ctx);
  // dimensions the spec does not read are left out of the resolved spec's search block too
  if (checked !== null) (spec as { search: Spec['search'] }).search = checked.search;
  const searchSpace = checked?.dims ?? [];
  return { spec: deepFreeze(spec), notices: Object.freeze([...ctx.notices]), searchSpace: deepFreeze(searchSpace), warnings: Object.freeze([...(ctx.warnings ?? [])]) };
}

/**
 * SLM Lab's `Random` agent builds no net, and its spec file says `net: {}`: read as an MLPNet with no
 * hidden layers (which Random never builds), with a notice.
 */
function readSlmQuirks(raw: unknown, name: string, ctx: ValidateContext): unknown {
  if (!isPlainObject(raw) || !isPlainObject(raw['agent'])) return raw;
  const agent = raw['agent'];
  const algorithm = agent['algorithm'];
  const net = agent['net'];
  if (isPlainObject(algorithm) && algorithm['name'] === 'Random' && isPlainObject(net) && Object.keys(net).length === 0) {
    ctx.notices.push(`${ctx.file}: ${name}.agent.net: {} read as {"type": "MLPNet", "hid_layers": []} (Random builds no net)`);
    return { ...raw, agent: { ...agent, net: { type: 'MLPNet', hid_layers: [] } } };
  }
  return raw;
}

/** Top-level keys starting with `_` hold YAML anchors (`_ppo_meta: &meta`), not specs. */
export function isAnchorBlock(key: string): boolean {
  return key.startsWith('_');
}

function readTop(file: string): Record<string, unknown> {
  const parsed = readSpecFile(file);
  if (!isPlainObject(parsed)) {
    throw new SpecError({ file, keyPath: '', problem: 'expected a map of spec name -> spec at the top level' });
  }
  const top = Object.fromEntries(Object.entries(parsed).filter(([k]) => !isAnchorBlock(k)));
  if (Object.keys(top).length === 0) throw new SpecError({ file, keyPath: '', problem: 'no specs in this file (keys starting with _ hold YAML anchors)' });
  return top;
}

/** Freeze a plain value and everything inside it. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
