/** JSON Schema (draft 2020-12) of a spec file, generated from the same tables the loader uses. */
import { algorithmSpec, memorySpec, netSpec } from './schema/agent.js';
import { decaySpec, lossSpec, lrSchedulerSpec, optimSpec } from './schema/components.js';
import { DERIVED, type Field, type ObjField, type Prop, type TaggedField } from './schema/dsl.js';
import { specSchema } from './schema/spec.js';
import { SEARCH_DISTRIBUTIONS } from './search.js';

type Json = Record<string, unknown>;

const NAMED: ReadonlyMap<Field, string> = new Map<Field, string>([
  [specSchema, 'spec'],
  [algorithmSpec, 'algorithm'],
  [memorySpec, 'memory'],
  [netSpec, 'net'],
  [decaySpec, 'decaySpec'],
  [optimSpec, 'optimSpec'],
  [lossSpec, 'lossSpec'],
  [lrSchedulerSpec, 'lrSchedulerSpec'],
]);

/**
 * The JSON Schema of a spec file (a map of spec name -> spec). Tagged blocks (algorithm, memory, net,
 * optimizer, ...) use if/then per variant, so editors complete the keys of the named variant.
 */
export function specJsonSchema(): Json {
  const defs: Json = {};
  for (const [field, name] of NAMED) defs[name] = fieldSchema(field, true);
  // SLM Lab's Random agent builds no net; its files say `net: {}` (the loader reads it with a notice)
  defs['net'] = { anyOf: [defs['net'], { type: 'object', maxProperties: 0, description: 'Random: no net.' }] };
  defs['searchBlock'] = {
    description: 'Search space: keys `path__dist` (dotted path, or nested blocks) -> distribution arguments.',
    type: 'object',
    patternProperties: { [`__(${SEARCH_DISTRIBUTIONS.join('|')})$`]: { type: 'array' } },
    additionalProperties: { $ref: '#/$defs/searchBlock' },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'gymlab spec file (SLM Lab v5 keys)',
    description: 'A map of spec name -> spec. Generated from libs/spec/src/schema; do not edit by hand.',
    type: 'object',
    minProperties: 1,
    patternProperties: { '^_': { description: 'A block of YAML anchors (a key starting with _), not a spec.' } },
    additionalProperties: { $ref: '#/$defs/spec' },
    $defs: defs,
  };
}

function fieldSchema(f: Field, top = false): Json {
  const named = NAMED.get(f);
  if (named !== undefined && !top) return { $ref: `#/$defs/${named}` };
  switch (f.t) {
    case 'num': {
      const s: Json = { type: f.int ? 'integer' : 'number' };
      if (f.min !== undefined) s[f.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = f.min;
      if (f.max !== undefined) s[f.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = f.max;
      return s;
    }
    case 'bool':
      return { type: 'boolean' };
    case 'str':
      return { type: 'string' };
    case 'enum':
      return { enum: [...f.values] };
    case 'list': {
      const s: Json = { type: 'array', items: fieldSchema(f.of) };
      if (f.minItems !== undefined) s['minItems'] = f.minItems;
      if (f.maxItems !== undefined) s['maxItems'] = f.maxItems;
      return s;
    }
    case 'oneOf':
      return { anyOf: f.of.map((x) => fieldSchema(x)) };
    case 'obj':
      return objSchema(f);
    case 'tagged':
      return taggedSchema(f);
    case 'search':
      return { $ref: '#/$defs/searchBlock' };
    case 'data':
      return { type: 'object', description: f.what };
  }
}

function propSchema(prop: Prop): Json {
  const base = fieldSchema(prop.f);
  const s: Json = prop.nullable ? { anyOf: [base, { type: 'null' }] } : { ...base };
  s['description'] = prop.doc;
  if (prop.default !== undefined && prop.default !== DERIVED) s['default'] = prop.default;
  return s;
}

function objSchema(f: ObjField): Json {
  const properties: Json = {};
  for (const [k, prop] of Object.entries(f.props)) properties[k] = propSchema(prop);
  for (const [alias, target] of Object.entries(f.aliases ?? {})) {
    properties[alias] = { ...propSchema(f.props[target]!), description: `Alias of ${target}.` };
  }
  const required = Object.entries(f.props)
    .filter(([, prop]) => prop.required)
    .map(([k]) => k);
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

function taggedSchema(f: TaggedField): Json {
  const names = [...Object.keys(f.variants), ...Object.keys(f.tagAliases ?? {})];
  const branches = Object.entries(f.variants).map(([name, variant]) => {
    const tagValues = [name, ...Object.entries(f.tagAliases ?? {}).filter(([, t]) => t === name).map(([a]) => a)];
    const props: Record<string, Prop> =
      f.fill === 'all' ? Object.fromEntries((variant.uses ?? []).map((k) => [k, f.props![k]!])) : { ...(variant.props ?? {}) };
    const properties: Json = { [f.tag]: { enum: tagValues, description: variant.doc } };
    for (const [k, prop] of Object.entries(props)) properties[k] = propSchema(prop);
    for (const [alias, target] of Object.entries({ ...f.aliases, ...variant.aliases })) {
      if (target in props) properties[alias] = { ...propSchema(props[target]!), description: `Alias of ${target}.` };
    }
    const aliased = new Set(Object.values(variant.aliases ?? {})); // given under the alias in files
    const required = [f.tag, ...(variant.required ?? []), ...Object.entries(props).filter(([, prop]) => prop.required).map(([k]) => k)].filter((k) => !aliased.has(k));
    return {
      if: { properties: { [f.tag]: { enum: tagValues } }, required: [f.tag] },
      then: { properties, required: [...new Set(required)], additionalProperties: false },
    };
  });
  return {
    type: 'object',
    description: `${f.what}: keys depend on '${f.tag}'.`,
    properties: { [f.tag]: { enum: names } },
    required: [f.tag],
    allOf: branches,
  };
}
