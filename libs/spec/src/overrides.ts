/**
 * `-s key=value`: values parse as JSON where they can (`[64,64]`, `true`, `null`, `1e-3`), else stay
 * strings. A key fills `${key}` placeholders in the spec's string values (a string that is exactly
 * `"${key}"` takes the typed value) and, when it is not a placeholder name, overrides the value at
 * that dotted path (`env.max_frame=20000`); such a path must exist in the schema.
 */
import { checkData, checkKeyPath } from './data-guard.js';
import { MissingVariablesError, SpecError, joinPath } from './errors.js';
import { schemaPropAt } from './schema-path.js';
import { isPlainObject, type ValidateContext } from './validate.js';

export interface SetValue {
  readonly key: string;
  readonly value: unknown;
  /** The text as given, used inside longer strings. */
  readonly text: string;
}

/** Parse `key=value` strings (the first `=` splits). */
export function parseSets(sets: readonly string[], file: string): SetValue[] {
  return sets.map((s) => {
    const eq = s.indexOf('=');
    const key = eq < 0 ? '' : s.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      throw new SpecError({ file, keyPath: '', problem: `-s ${JSON.stringify(s)}: expected key=value (e.g. env.max_frame=20000)` });
    }
    checkKeyPath(key, file);
    const text = s.slice(eq + 1);
    const value = parseValue(text);
    checkData(value, file, [`-s ${key}`]);
    return { key, value, text };
  });
}

/** JSON where it parses, else the string itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;

/** Names of all `${name}` placeholders in string values. */
export function placeholderNames(v: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) into.add(m[1]!.trim());
  else if (Array.isArray(v)) v.forEach((x) => placeholderNames(x, into));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => placeholderNames(x, into));
  return into;
}

/**
 * A copy of `v` with placeholders replaced; an unset placeholder is a `MissingVariablesError` naming
 * it (and `missing`, every unset placeholder of the spec).
 */
export function substitute(v: unknown, vars: ReadonlyMap<string, SetValue>, path: readonly (string | number)[], file: string, missing: readonly string[] = []): unknown {
  if (typeof v === 'string') {
    const whole = WHOLE.exec(v);
    const lookup = (name: string): SetValue => {
      const sv = vars.get(name.trim());
      if (sv === undefined) {
        const all = missing.length ? missing : [name.trim()];
        throw new MissingVariablesError({ file, keyPath: joinPath(path), problem: `placeholder \${${name}} has no value; pass ${all.map((n) => `-s ${n}=VALUE`).join(' ')}` }, all);
      }
      return sv;
    };
    if (whole) return structuredClone(lookup(whole[1]!).value);
    return v.replace(PLACEHOLDER, (_m, name: string) => lookup(name).text);
  }
  if (Array.isArray(v)) return v.map((x, i) => substitute(x, vars, [...path, i], file, missing));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, vars, [...path, k], file, missing);
    return out;
  }
  return v;
}

/** Top-level keys of a spec: a dotless `-s` key among them with an object value replaces that block. */
const SPEC_BLOCKS = new Set(['agent', 'env', 'meta', 'search']);

/**
 * Apply `-s` values to one raw spec: placeholders first, then path overrides for keys that are not
 * placeholder names. A dotless key that names no placeholder of this spec (and no block, given an
 * object) is a variable the spec does not use: ignored with a notice, as SLM Lab ignores it.
 * Returns a new raw spec.
 */
export function applySets(raw: unknown, name: string, sets: readonly SetValue[], ctx: ValidateContext): unknown {
  const vars = new Map(sets.map((s) => [s.key, s]));
  const names = placeholderNames(raw);
  const missing = [...names].filter((n) => !vars.has(n)).sort();
  let out = substitute(raw, vars, [name], ctx.file, missing);
  for (const s of sets) {
    if (names.has(s.key)) continue;
    if (!s.key.includes('.') && !(SPEC_BLOCKS.has(s.key) && isPlainObject(s.value))) {
      const notice = `${ctx.file}: ${name}: -s ${s.key}=${s.text} ignored: the spec has no \${${s.key}} placeholder`;
      ctx.notices.push(notice);
      ctx.warnings?.push(notice);
      continue;
    }
    const path = s.key.split('.');
    const where = [name, ...path];
    if (!isPlainObject(out)) break;
    try {
      schemaPropAt(path, out, where, ctx, `-s ${s.key}`);
    } catch (e) {
      if (e instanceof SpecError) {
        throw new SpecError({ file: ctx.file, keyPath: joinPath(where), problem: `-s ${s.key}=${s.text}: ${e.problem.replace(/^-s \S+ path '[^']*': /, '')}`, suggestion: e.suggestion });
      }
      throw e;
    }
    out = setPath(out, path, structuredClone(s.value));
    ctx.notices.push(`${ctx.file}: ${joinPath(where)}: set to ${JSON.stringify(s.value)} (-s)`);
  }
  return out;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const out = { ...root };
  const [head, ...rest] = path;
  if (rest.length === 0) {
    out[head!] = value;
    return out;
  }
  const child = out[head!];
  out[head!] = setPath(isPlainObject(child) ? child : {}, rest, value);
  return out;
}
