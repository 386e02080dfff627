/**
 * A small schema DSL: spec components are tables of keys, each with a type, range, default and doc.
 * One table is the single source of a component: it drives validation (`validate.ts`), the JSON
 * Schema export (`json-schema.ts`), the search-path checks (`search.ts`) and, through `Static<F>`,
 * the TypeScript type of the validated value (`types.ts` only names those types).
 *
 * Why a home-made DSL and not zod or TypeBox + Ajv: what SLM Lab users see of the schema is its
 * error line (file, key path, what is allowed, the nearest valid key: `ppo.agent.algorithm.gama:
 * unknown key for algorithm PPO; allowed: ... (did you mean 'gamma'?)`), and the rules behind it are
 * SLM Lab's: a tagged block carries every key of every variant but accepts another variant's key only
 * with its default (so resolved specs reload), per-variant defaults and required keys, old key names
 * read as aliases with a notice, defaults derived from other components. A library would need all of
 * that rebuilt on top of it plus a translation of its error objects into those lines; the builders
 * below carry their static type instead (TypeBox-style), which is what a library would have added.
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
  /**
   * fill 'variant': keys every variant has (an optimizer's `lr`). The static type has them always;
   * the other variant keys are optional in it (one flat type for all variants).
   */
  readonly common?: readonly string[];
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
  /** Key names that mean another key in this variant only (HydraMLPNet's nested `hid_layers`). */
  readonly aliases?: Readonly<Record<string, string>>;
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
/** Free-form data (a JSON object) that its consumer checks, e.g. a TorchArcNet `arc`. */
export interface DataField {
  readonly t: 'data';
  /** What the object is, for messages (`a torcharc architecture`). */
  readonly what: string;
}

export type Field = NumField | BoolField | StrField | EnumField | ListField | ObjField | TaggedField | OneOfField | SearchField | DataField;

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

// ---- static types: the TypeScript type of a field's validated value ----

/** The type of the value `validate` returns for field `F` (defaults filled; `optional` keys may be absent). */
export type Static<F> = F extends { readonly t: 'num' }
  ? number
  : F extends { readonly t: 'bool' }
    ? boolean
    : F extends { readonly t: 'str' }
      ? string
      : F extends { readonly t: 'enum'; readonly values: readonly (infer V)[] }
        ? V
        : F extends { readonly t: 'list'; readonly of: infer O }
          ? ListStatic<F, Static<O>>
          : F extends { readonly t: 'oneOf'; readonly of: readonly (infer O)[] }
            ? Static<O>
            : F extends { readonly t: 'obj'; readonly props: infer P }
              ? ObjStatic<P>
              : F extends { readonly t: 'tagged' }
                ? TaggedStatic<F>
                : F extends { readonly t: 'search' | 'data' }
                  ? { readonly [key: string]: unknown }
                  : never;

/** The type of one key's value: its field's type, `| null` when nullable. */
export type PropStatic<Q> = Q extends { readonly f: infer F } ? Static<F> | (Q extends { readonly nullable: true } ? null : never) : never;

type Simplify<T> = { [K in keyof T]: T[K] };

/** A list with `minItems === maxItems` (e.g. Adam's betas) is a tuple of that length. */
type ListStatic<F, T> = F extends { readonly minItems: infer A extends number; readonly maxItems: infer B extends number }
  ? [A] extends [B]
    ? number extends A
      ? readonly T[]
      : Tuple<T, A>
    : readonly T[]
  : readonly T[];
type Tuple<T, N extends number, Acc extends readonly T[] = []> = Acc['length'] extends N ? Acc : Tuple<T, N, readonly [...Acc, T]>;

type OptionalKeys<P> = { [K in keyof P]: P[K] extends { readonly optional: true } ? K : never }[keyof P];
type ObjStatic<P> = Simplify<
  { readonly [K in Exclude<keyof P, OptionalKeys<P>>]: PropStatic<P[K]> } & { readonly [K in OptionalKeys<P>]?: PropStatic<P[K]> }
>;

type TagObj<F> = F extends { readonly tag: infer T extends string; readonly variants: infer V } ? { readonly [K in T]: Extract<keyof V, string> } : never;
/** fill 'variant': the union of the variants' prop tables. */
type VariantProps<V> = { [K in keyof V]: V[K] extends { readonly props: infer P } ? P : Record<never, never> }[keyof V];
type CommonKeys<F> = F extends { readonly common: readonly (infer K)[] } ? K : never;
type AllKeys<U> = U extends unknown ? keyof U : never;
type PropIn<U, K> = U extends unknown ? (K extends keyof U ? PropStatic<U[K]> : never) : never;
type MergedVariants<U, C> = { readonly [K in Extract<AllKeys<U>, C>]: PropIn<U, K> } & { readonly [K in Exclude<AllKeys<U>, C>]?: PropIn<U, K> };
type TaggedStatic<F> = F extends { readonly fill: 'all'; readonly props: infer P }
  ? Simplify<TagObj<F> & ObjStatic<P>>
  : F extends { readonly variants: infer V }
    ? Simplify<TagObj<F> & MergedVariants<VariantProps<V>, CommonKeys<F>>>
    : never;

// ---- field constructors (keep tables short; each keeps the literal types `Static` reads) ----
type PropOptions = Omit<Prop, 'f' | 'doc'>;
type TaggedDefinition = Omit<TaggedField, 't'>;

export const num = (o: Omit<NumField, 't'> = {}): NumField => ({ t: 'num', ...o });
export const int = (o: Omit<NumField, 't' | 'int'> = {}): NumField => ({ t: 'num', int: true, ...o });
export const bool: BoolField = { t: 'bool' };
export const str: StrField = { t: 'str' };
export const search: SearchField = { t: 'search' };
export const data = (what: string): DataField => ({ t: 'data', what });
export const oneOfValues = <const V extends readonly (string | boolean)[]>(what: string, values: V): { readonly t: 'enum'; readonly what: string; readonly values: V } => ({
  t: 'enum',
  what,
  values,
});
export const list = <F extends Field, const O extends Omit<ListField, 't' | 'of'> = Record<never, never>>(of: F, o?: O): { readonly t: 'list'; readonly of: F } & O =>
  ({ t: 'list', of, ...o }) as { readonly t: 'list'; readonly of: F } & O;
export const oneOf = <const F extends readonly Field[]>(...of: F): { readonly t: 'oneOf'; readonly of: F } => ({ t: 'oneOf', of });
export const obj = <const P extends Props, const O extends Omit<ObjField, 't' | 'props'> = Record<never, never>>(props: P, o?: O): { readonly t: 'obj'; readonly props: P } & O =>
  ({ t: 'obj', props, ...o }) as { readonly t: 'obj'; readonly props: P } & O;
export const p = <F extends Field, const O extends PropOptions = Record<never, never>>(f: F, doc: string, o?: O): { readonly f: F; readonly doc: string } & O =>
  ({ f, doc, ...o }) as { readonly f: F; readonly doc: string } & O;
/** A key that must be present. */
export const required = <F extends Field>(f: F, doc: string) => p(f, doc, { required: true });
/** A key that may be null and is null when absent. */
export const orNull = <F extends Field>(f: F, doc: string) => p(f, doc, { nullable: true, default: null });
/** A true/false key, `dflt` when absent. */
export const flag = (doc: string, dflt = false) => p(bool, doc, { default: dflt });

/**
 * A tagged object (see `TaggedField`). Throws at module load when the table is inconsistent (a
 * variant without a `common` key, a `uses`/`required` key without a prop): schema bugs, not input.
 */
export function tagged<const D extends TaggedDefinition>(d: D): { readonly t: 'tagged' } & D {
  for (const [name, variant] of Object.entries(d.variants)) {
    const keys = d.fill === 'all' ? Object.keys(d.props ?? {}) : Object.keys(variant.props ?? {});
    const named = [...(d.common ?? []), ...(variant.uses ?? []), ...(variant.required ?? [])];
    const missing = named.filter((k) => !keys.includes(k));
    if (missing.length) throw new Error(`schema: ${d.what} ${name} has no prop ${missing.join(', ')}`);
  }
  return { t: 'tagged', ...d };
}

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
    case 'data':
      return `an object (${f.what})`;
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

/** Keys a tagged object's variant may set, without the tag. */
export function variantOwnKeys(f: TaggedField, variant: Variant): string[] {
  return f.fill === 'all' ? [...(variant.uses ?? [])] : Object.keys(variant.props ?? {});
}

/** Keys a tagged object's variant may set (tag included). */
export function variantKeys(f: TaggedField, variant: Variant): string[] {
  return [f.tag, ...variantOwnKeys(f, variant)];
}

/** The Prop for `key` (or the key it is an alias of) in a tagged object's variant (fill 'all': the shared prop). */
export function variantProp(f: TaggedField, variant: Variant, alias: string): Prop | undefined {
  const key = variant.aliases?.[alias] ?? alias;
  if (f.fill === 'all') return variant.uses?.includes(key) ? f.props?.[key] : undefined;
  return variant.props?.[key];
}

/**
 * `T` itself: lets an interface extend an inferred table type (`interface XField extends Is<typeof
 * xTable> {}`). The schema files name each exported table's type that way, so that declarations
 * (`.d.ts`) refer to it by name instead of repeating the whole table wherever it is nested.
 */
export type Is<T> = T;
