/**
 * Walks a raw (parsed) value with a schema field: checks keys, types and ranges, fills defaults,
 * and returns a fresh plain value. Unknown keys are always errors.
 */
import { isDeepStrictEqual } from 'node:util';
import { SpecError, joinPath, nearest } from './errors.js';
import {
  DERIVED,
  describe,
  rangeText,
  variantKeys,
  type Field,
  type NumField,
  type ObjField,
  type Prop,
  type Props,
  type TaggedField,
  type Variant,
} from './schema/dsl.js';

export type Path = readonly (string | number)[];

export interface ValidateContext {
  readonly file: string;
  /** Notices about accepted aliases (e.g. clip_val_loss -> clip_vloss). */
  readonly notices: string[];
  /** Lines for the command line's stderr (a subset of `notices`): `-s` values the spec has no use for, settings that do nothing. */
  readonly warnings?: string[];
}

type Obj = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fail(ctx: { file: string }, path: Path, problem: string, suggestion?: string | null): never {
  throw new SpecError({ file: ctx.file, keyPath: joinPath(path), problem, suggestion: suggestion ?? null });
}

function show(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Validate a value against a field (null handled by the caller via `validateProp`). */
export function validateField(f: Field, v: unknown, path: Path, ctx: ValidateContext): unknown {
  switch (f.t) {
    case 'num':
      return validateNum(f, v, path, ctx);
    case 'bool':
      if (typeof v !== 'boolean') fail(ctx, path, `wrong type: expected true or false, got ${show(v)}`);
      return v;
    case 'str':
      if (typeof v !== 'string') fail(ctx, path, `wrong type: expected a string, got ${show(v)}`);
      return v;
    case 'enum': {
      if (!f.values.includes(v as string | boolean)) {
        const allowed = f.values.map(String).join(', ');
        if (typeof v !== 'string' && typeof v !== 'boolean') fail(ctx, path, `wrong type: expected one of ${allowed}, got ${show(v)}`);
        fail(ctx, path, `unknown ${f.what} ${show(v)}; allowed: ${allowed}`, typeof v === 'string' ? nearest(v, f.values.filter((x): x is string => typeof x === 'string')) : null);
      }
      return v;
    }
    case 'list': {
      if (!Array.isArray(v)) fail(ctx, path, `wrong type: expected ${describe(f)}, got ${show(v)}`);
      if (f.minItems !== undefined && v.length < f.minItems) fail(ctx, path, `expected ${describe(f)}, got ${v.length} item(s)`);
      if (f.maxItems !== undefined && v.length > f.maxItems) fail(ctx, path, `expected ${describe(f)}, got ${v.length} items`);
      return v.map((item, i) => validateField(f.of, item, [...path, i], ctx));
    }
    case 'oneOf': {
      for (const alt of f.of) {
        try {
          return validateField(alt, v, path, ctx);
        } catch (e) {
          if (!(e instanceof SpecError)) throw e;
        }
      }
      return fail(ctx, path, `wrong value: expected ${describe(f)}, got ${show(v)}`);
    }
    case 'obj':
      return validateObject(f, v, path, ctx);
    case 'tagged':
      return validateTagged(f, v, path, ctx);
    case 'search':
      if (!isPlainObject(v)) fail(ctx, path, `wrong type: expected an object of search keys, got ${show(v)}`);
      return structuredClone(v);
    case 'data':
      if (!isPlainObject(v)) fail(ctx, path, `wrong type: expected ${describe(f)}, got ${show(v)}`);
      return structuredClone(v);
  }
}

function validateNum(f: NumField, v: unknown, path: Path, ctx: ValidateContext): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(ctx, path, `wrong type: expected ${describe(f)}, got ${show(v)}`);
  if (f.int && !Number.isInteger(v)) fail(ctx, path, `wrong type: expected an integer, got ${v}`);
  const below = f.min !== undefined && (f.exclusiveMin ? v <= f.min : v < f.min);
  const above = f.max !== undefined && (f.exclusiveMax ? v >= f.max : v > f.max);
  if (below || above) fail(ctx, path, `out of range: must be ${rangeText(f)}, got ${v}`);
  return v;
}

/** Validate one key's value (null allowed when the prop is nullable). */
export function validateProp(prop: Prop, v: unknown, path: Path, ctx: ValidateContext): unknown {
  if (v === null) {
    if (prop.nullable) return null;
    fail(ctx, path, `wrong type: expected ${describe(prop.f)}, got null`);
  }
  return validateField(prop.f, v, path, ctx);
}

/** Canonical key for `key` (following aliases), recording a notice when an alias is used. */
function canonicalKey(key: string, aliases: Readonly<Record<string, string>> | undefined, input: Obj, path: Path, ctx: ValidateContext): string {
  const target = aliases?.[key];
  if (target === undefined) return key;
  if (target in input) {
    fail(ctx, [...path, key], `'${key}' is an alias of '${target}'; give only one of them`);
  }
  ctx.notices.push(`${ctx.file}: ${joinPath([...path, key])}: read as '${target}' (alias)`);
  return target;
}

/** Fill one absent key: default (validated, so nested defaults fill too), null, or an error. */
function fillAbsent(prop: Prop, key: string, dflt: unknown, out: Obj, path: Path, ctx: ValidateContext, required: boolean): void {
  if (required || prop.required) fail(ctx, path, `missing required key '${key}' (${describe(prop.f, prop.nullable)}: ${prop.doc})`);
  if (prop.defaultFrom !== undefined && out[prop.defaultFrom] !== undefined) {
    out[key] = structuredClone(out[prop.defaultFrom]);
    return;
  }
  if (dflt === DERIVED) {
    out[key] = DERIVED;
    return;
  }
  if (dflt === undefined) {
    if (prop.optional) return;
    if (prop.nullable) {
      out[key] = null;
      return;
    }
    fail(ctx, path, `missing required key '${key}'`);
  }
  out[key] = dflt === null ? null : validateProp(prop, structuredClone(dflt), [...path, key], ctx);
}

/** Validate an object field: keys checked, defaults filled, keys in schema order; a fresh plain object. */
export function validateObject(f: ObjField, v: unknown, path: Path, ctx: ValidateContext): Obj {
  if (!isPlainObject(v)) fail(ctx, path, `wrong type: expected an object, got ${show(v)}`);
  const out: Obj = {};
  const allowed = Object.keys(f.props);
  for (const [rawKey, value] of Object.entries(v)) {
    const key = canonicalKey(rawKey, f.aliases, v, path, ctx);
    const prop = f.props[key];
    if (prop === undefined) {
      fail(ctx, [...path, rawKey], `unknown key; allowed: ${allowed.join(', ')}`, nearest(rawKey, allowed));
    }
    out[key] = validateProp(prop, value, [...path, key], ctx);
  }
  fillAll(f.props, allowed, out, path, ctx, new Set(), {});
  runChecks(f.checks, out, path, ctx);
  return ordered(out, allowed);
}

function fillAll(props: Props, keys: readonly string[], out: Obj, path: Path, ctx: ValidateContext, required: ReadonlySet<string>, defaults: Readonly<Record<string, unknown>>): void {
  // keys with defaultFrom last, so their source is filled first
  const ordered = [...keys].sort((a, b) => Number(props[a]?.defaultFrom !== undefined) - Number(props[b]?.defaultFrom !== undefined));
  for (const key of ordered) {
    if (key in out) continue;
    const prop = props[key]!;
    const dflt = key in defaults ? defaults[key] : prop.default;
    fillAbsent(prop, key, dflt, out, path, ctx, required.has(key));
  }
}

function runChecks(checks: ObjField['checks'], out: Obj, path: Path, ctx: ValidateContext): void {
  for (const check of checks ?? []) {
    const r = check(out);
    if (r) fail(ctx, [...path, r.key], r.problem);
  }
}

/** Resolve a tagged object's variant name (following tag aliases). */
export function resolveVariant(f: TaggedField, v: Obj, path: Path, ctx: ValidateContext): [string, Variant] {
  const names = Object.keys(f.variants);
  if (!(f.tag in v)) fail(ctx, path, `missing required key '${f.tag}' (${f.what}; one of ${names.join(', ')})`);
  let tag = v[f.tag];
  if (typeof tag !== 'string') fail(ctx, [...path, f.tag], `wrong type: expected a string naming the ${f.what} (${names.join(', ')}), got ${show(tag)}`);
  const aliased = f.tagAliases?.[tag];
  if (aliased !== undefined) {
    ctx.notices.push(`${ctx.file}: ${joinPath([...path, f.tag])}: ${f.what} '${tag}' read as '${aliased}'`);
    tag = aliased;
  }
  const variant = f.variants[tag as string];
  if (variant === undefined) {
    fail(ctx, [...path, f.tag], `unknown ${f.what} "${tag}"; allowed: ${names.join(', ')}`, nearest(tag as string, names));
  }
  return [tag as string, variant];
}

function validateTagged(f: TaggedField, v: unknown, path: Path, ctx: ValidateContext): Obj {
  if (!isPlainObject(v)) fail(ctx, path, `wrong type: expected an object with '${f.tag}' (${f.what}), got ${show(v)}`);
  const [tag, variant] = resolveVariant(f, v, path, ctx);
  const out: Obj = { [f.tag]: tag };
  const allowed = variantKeys(f, variant);
  const props: Props = f.fill === 'all' ? (f.props ?? {}) : (variant.props ?? {});
  const defaults = variant.defaults ?? {};
  const used = new Set(allowed);
  const aliases = variant.aliases === undefined ? f.aliases : { ...f.aliases, ...variant.aliases };
  for (const [rawKey, value] of Object.entries(v)) {
    if (rawKey === f.tag) continue;
    const key = canonicalKey(rawKey, aliases, v, path, ctx);
    const prop = props[key];
    if (prop === undefined) {
      const all = f.fill === 'all' ? [...allowed, ...Object.keys(props)] : allowed;
      fail(ctx, [...path, rawKey], `unknown key for ${f.what} ${tag}; allowed: ${allowed.join(', ')}`, nearest(rawKey, all));
    }
    const checked = validateProp(prop, value, [...path, key], ctx);
    if (!used.has(key)) {
      // fill 'all': a key of another variant is accepted only with the value it would get anyway
      const dflt = key in defaults ? defaults[key] : prop.default;
      // Values here are fresh plain data (finite numbers, strings, lists, plain objects), so strict
      // deep equality is plain equality, except that -0 is not taken for a default 0.
      if (!isDeepStrictEqual(checked, dflt)) {
        // SLM Lab's algorithms read the keys they know and ignore the rest: so does gymlab, saying so
        const users = Object.entries(f.variants)
          .filter(([, x]) => x.uses?.includes(key))
          .map(([n]) => n);
        const line = `${ctx.file}: ${joinPath([...path, rawKey])}: ${JSON.stringify(checked)} ignored: not used by ${f.what} ${tag} (used by ${users.join(', ')}); it keeps its default ${JSON.stringify(dflt)}`;
        ctx.notices.push(line);
        ctx.warnings?.push(line);
        continue;
      }
    }
    out[key] = checked;
  }
  const keys = f.fill === 'all' ? Object.keys(props) : allowed.filter((k) => k !== f.tag);
  fillAll(props, keys, out, path, ctx, new Set(variant.required ?? []), defaults);
  for (const key of variant.required ?? []) {
    if (out[key] === null) fail(ctx, [...path, key], `must not be null for ${f.what} ${tag} (${describe(props[key]!.f)})`);
  }
  runChecks(f.checks, out, path, ctx);
  return ordered(out, [f.tag, ...keys]);
}

/** Keys in schema order (stable output whatever the input order). */
function ordered(out: Obj, keys: readonly string[]): Obj {
  const res: Obj = {};
  for (const k of keys) if (k in out) res[k] = out[k];
  return res;
}
