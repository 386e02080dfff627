/** Resolve a key path (`agent.net.optim_spec.lr`) to its schema prop, following a spec's variants. */
import { nearest } from './errors.js';
import { variantOwnKeys, variantProp, type Field, type Prop, type TaggedField } from './schema/dsl.js';
import { specSchema } from './schema/spec.js';
import type { Variant } from './schema/dsl.js';
import { fail, isPlainObject, resolveVariant, type ValidateContext } from './validate.js';

/**
 * The prop at `path` inside `spec` (raw or resolved: tagged blocks pick their variant from the
 * value's tag; an absent or null block allows any variant's keys), `'tag'` when the path ends at a
 * tag key (`agent.algorithm.name`), or an error naming the first unknown key.
 * `what` names the path's origin in messages (`search`, `-s`).
 */
export function schemaPropAt(path: readonly string[], spec: unknown, errPath: readonly (string | number)[], ctx: ValidateContext, what: string): Prop | 'tag' {
  let field: Field = specSchema;
  let value: unknown = spec;
  let prop: Prop | undefined;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    let allowed: string[] = [];
    prop = undefined;
    if (field.t === 'obj') {
      prop = field.props[key];
      allowed = Object.keys(field.props);
    } else if (field.t === 'tagged') {
      if (key === field.tag && i === path.length - 1) return 'tag';
      ({ prop, allowed } = taggedProp(field, value, key, errPath, ctx));
      allowed = [field.tag, ...allowed];
    }
    if (prop === undefined) {
      const shown = path.slice(0, i + 1).join('.');
      const hint = allowed.length ? `; allowed there: ${allowed.join(', ')}` : ` (${path.slice(0, i).join('.')} has no keys)`;
      fail(ctx, errPath, `${what} path '${path.join('.')}': unknown key '${shown}'${hint}`, allowed.length ? nearest(key, allowed) : null);
    }
    field = prop.f;
    value = isPlainObject(value) ? value[key] : undefined;
  }
  if (prop === undefined) fail(ctx, errPath, `${what}: empty key path`);
  return prop;
}

function taggedProp(f: TaggedField, value: unknown, key: string, errPath: readonly (string | number)[], ctx: ValidateContext): { prop: Prop | undefined; allowed: string[] } {
  if (isPlainObject(value) && f.tag in value) {
    const [, variant] = resolveVariant(f, value, errPath, ctx);
    return { prop: variantProp(f, variant, key), allowed: variantOwnKeys(f, variant) };
  }
  const allowed = new Set<string>();
  let prop: Prop | undefined;
  for (const variant of Object.values(f.variants)) {
    variantOwnKeys(f, variant).forEach((k) => allowed.add(k));
    prop ??= variantProp(f, variant, key);
  }
  return { prop, allowed: [...allowed] };
}

/** A path whose key belongs to other variants of a component than the one the spec chose. */
export interface UnreadPath {
  /** The component's kind and chosen tag (`net`, `RecurrentNet`). */
  readonly what: string;
  readonly tag: string;
  /** The variants that read the key. */
  readonly users: readonly string[];
}

/**
 * When `path` does not resolve only because a tagged block's chosen variant lacks a key that other
 * variants have (`agent.net.hid_layers` on a RecurrentNet): which; null for any other path.
 */
export function unreadPathAt(path: readonly string[], spec: unknown): UnreadPath | null {
  let field: Field = specSchema;
  let value: unknown = spec;
  for (const key of path) {
    let prop: Prop | undefined;
    if (field.t === 'obj') prop = field.props[key];
    else if (field.t === 'tagged') {
      const f = field;
      const tag = isPlainObject(value) ? value[f.tag] : undefined;
      const variant: Variant | undefined = typeof tag === 'string' ? f.variants[tag] : undefined;
      if (variant === undefined) return null;
      prop = variantProp(f, variant, key);
      if (prop === undefined) {
        const users = Object.entries(f.variants)
          .filter(([, v]) => variantProp(f, v, key) !== undefined)
          .map(([n]) => n);
        return users.length === 0 ? null : { what: f.what, tag: tag as string, users };
      }
    }
    if (prop === undefined) return null;
    field = prop.f;
    value = isPlainObject(value) ? value[key] : undefined;
  }
  return null;
}
