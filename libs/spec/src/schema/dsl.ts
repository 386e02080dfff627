/**
 * A small schema DSL: spec components are tables of keys, each with a type, range, default and doc.
 * One table drives validation (`validate.ts`), the JSON Schema export (`json-schema.ts`) and the
 * search-path checks (`search.ts`).
 */

/** Placeholder default for keys whose default depends on other parts of the spec (filled by `derive.ts`). */
export const DERIVED: unique symbol = Symbol('derived');
export type Derived = typeof DERIVED;

export interface NumField {
  readonly t: 'num';
  readonly int?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}
export interface BoolField {
  readonly t: 'bool';
}
export interface StrField {
  readonly t: 'str';
}
export interface EnumField {
  readonly t: 'enum';
  /** What the values name, for messages (`activation`, `init_fn`). */
  readonly what: string;
  readonly values: readonly (string | boolean)[];
}
export interface ListField {
  readonly t: 'list';
  readonly of: Field;
  readonly minItems?: number;
  readonly maxItems?: number;
}
/** A fixed-key object. */
export interface ObjField {
  readonly t: 'obj';
  readonly props: Props;
  /** Old or alternative key names -> canonical key (the use is recorded as a notice). */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly checks?: readonly Check[];
}
/**
 * An object whose keys depend on a tag key (`name` or `type`).
 * - `fill: 'all'`: the output carries every key of `props` (one flat type); a variant lists the keys
 *   it reads in `uses`; a key it does not read is accepted only with the default value.
 * - `fill: 'variant'`: each variant has its own `props`; the output carries only those.
 */
export interface TaggedField {
  readonly t: 'tagged';
  readonly tag: string;
  /** What the tag names, for messages (`algorithm`, `optimizer`). */
  readonly what: string;
  readonly fill: 'all' | 'variant';
  readonly props?: Props;
  readonly variants: Readonly<Record<string, Variant>>;
  /** Alternative tag values -> canonical (recorded as a notice). */
  readonly tagAliases?: Readonly<Record<string, string>>;
  readonly aliases?: Readonly<Record<string, string>>;
  readonly checks?: readonly Check[];
}
export interface Variant {
  readonly doc: string;
  /** fill 'variant': this variant's keys. */
  readonly props?: Props;
  /** fill 'all': keys this variant reads. */
  readonly uses?: readonly string[];
  /** Keys that must be present (no default makes sense). */
  readonly required?: readonly string[];
  /** fill 'all': per-variant defaults overriding the props' defaults. */
  readonly defaults?: Readonly<Record<string, unknown>>;
}
/** One of several shapes (e.g. `gpu: "auto" | boolean`). */
export interface OneOfField {
  readonly t: 'oneOf';
  readonly of: readonly Field[];
}
/** The search block (checked by `search.ts` against the rest of the schema). */
export interface SearchField {
  readonly t: 'search';
}

export type Field = NumField | BoolField | StrField | EnumField | ListField | ObjField | TaggedField | OneOfField | SearchField;

export interface Prop {
  readonly f: Field;
  readonly doc: string;
  /** null is a valid value. */
  readonly nullable?: boolean;
  /** Filled when the key is absent; `DERIVED` for defaults computed from the rest of the spec. */
  readonly default?: unknown;
  /** When absent, take the value of this sibling key (e.g. a decay's end_val from start_val). */
  readonly defaultFrom?: string;
  /** Must be present. */
  readonly required?: boolean;
  /** May stay absent (no default, key left out of the output). */
  readonly optional?: boolean;
}
export type Props = Readonly<Record<string, Prop>>;

/** A cross-key check on one object: returns the offending key and the problem, or null. */
export type Check = (obj: Readonly<Record<string, unknown>>) => { key: string; problem: string } | null;

// ---- field constructors (keep tables short) ----
export const num = (o: Omit<NumField, 't'> = {}): NumField => ({ t: 'num', ...o });
export const int = (o: Omit<NumField, 't' | 'int'> = {}): NumField => ({ t: 'num', int: true, ...o });
export const bool: BoolField = { t: 'bool' };
export const str: StrField = { t: 'str' };
export const oneOfValues = (what: string, values: readonly (string | boolean)[]): EnumField => ({ t: 'enum', what, values });
export const list = (of: Field, o: Omit<ListField, 't' | 'of'> = {}): ListField => ({ t: 'list', of, ...o });
export const obj = (props: Props, o: Omit<ObjField, 't' | 'props'> = {}): ObjField => ({ t: 'obj', props, ...o });
export const p = (f: Field, doc: string, o: Omit<Prop, 'f' | 'doc'> = {}): Prop => ({ f, doc, ...o });

/** Human description of a field, for messages (`an integer >= 1`, `one of relu, tanh`). */
export function describe(f: Field, nullable = false): string {
  const base = describeBase(f);
  return nullable ? `${base} or null` : base;
}

function describeBase(f: Field): string {
  switch (f.t) {
    case 'num': {
      const kind = f.int ? 'an integer' : 'a number';
      const r = rangeText(f);
      return r ? `${kind} ${r}` : kind;
    }
    case 'bool':
      return 'true or false';
    case 'str':
      return 'a string';
    case 'enum':
      return `one of ${f.values.map((v) => String(v)).join(', ')}`;
    case 'list': {
      const n =
        f.minItems !== undefined && f.minItems === f.maxItems ? `${f.minItems} ` : f.minItems ? 'non-empty ' : '';
      return `a list of ${n}${pluralOf(f.of)}`;
    }
    case 'obj':
      return 'an object';
    case 'tagged':
      return `an object with '${f.tag}' (${f.what})`;
    case 'oneOf':
      return f.of.map((x) => describeBase(x)).join(' or ');
    case 'search':
      return 'a search block';
  }
}

function pluralOf(f: Field): string {
  if (f.t === 'num') return f.int ? `integers${rangeText(f) ? ' ' + rangeText(f) : ''}` : `numbers${rangeText(f) ? ' ' + rangeText(f) : ''}`;
  if (f.t === 'list') return 'lists';
  if (f.t === 'str') return 'strings';
  return 'values';
}

/** `in [0, 1]`, `> 0`, `>= 1`, or '' when unbounded. */
export function rangeText(f: NumField): string {
  const lo = f.min;
  const hi = f.max;
  if (lo !== undefined && hi !== undefined) {
    return `in ${f.exclusiveMin ? '(' : '['}${lo}, ${hi}${f.exclusiveMax ? ')' : ']'}`;
  }
  if (lo !== undefined) return `${f.exclusiveMin ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `${f.exclusiveMax ? '<' : '<='} ${hi}`;
  return '';
}

/** Keys a tagged object's variant may set (tag included). */
export function variantKeys(f: TaggedField, variant: Variant): string[] {
  const keys = f.fill === 'all' ? [...(variant.uses ?? [])] : Object.keys(variant.props ?? {});
  return [f.tag, ...keys];
}

/** The Prop for `key` in a tagged object's variant (fill 'all': the shared prop). */
export function variantProp(f: TaggedField, variant: Variant, key: string): Prop | undefined {
  if (f.fill === 'all') return variant.uses?.includes(key) ? f.props?.[key] : undefined;
  return variant.props?.[key];
}
