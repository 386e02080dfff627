/**
 * A minimal JSON Schema (2020-12) checker for the keywords specJsonSchema() emits: type, enum,
 * minimum/maximum (+exclusive), minItems/maxItems, items, properties, required,
 * additionalProperties, patternProperties, minProperties, anyOf, allOf, if/then, $ref (#/$defs/..).
 * Returns the list of violations (empty when valid).
 */
type S = Record<string, unknown>;

export function checkJsonSchema(root: S, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): S => {
    const name = ref.replace('#/$defs/', '');
    return (root['$defs'] as Record<string, S>)[name]!;
  };
  const typeOk = (t: string, v: unknown): boolean => {
    switch (t) {
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      case 'array':
        return Array.isArray(v);
      case 'string':
        return typeof v === 'string';
      case 'boolean':
        return typeof v === 'boolean';
      case 'number':
        return typeof v === 'number';
      case 'integer':
        return typeof v === 'number' && Number.isInteger(v);
      case 'null':
        return v === null;
      default:
        throw new Error(`unsupported type ${t}`);
    }
  };
  const check = (s: S, v: unknown, at: string, out: string[]): void => {
    if (typeof s['$ref'] === 'string') check(resolve(s['$ref']), v, at, out);
    if (s['type'] !== undefined) {
      const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
      if (!types.some((t) => typeOk(t, v))) return void out.push(`${at}: expected ${types.join('|')}`);
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(v))) out.push(`${at}: not in enum`);
    if (typeof v === 'number') {
      if (typeof s['minimum'] === 'number' && v < s['minimum']) out.push(`${at}: < minimum`);
      if (typeof s['maximum'] === 'number' && v > s['maximum']) out.push(`${at}: > maximum`);
      if (typeof s['exclusiveMinimum'] === 'number' && v <= s['exclusiveMinimum']) out.push(`${at}: <= exclusiveMinimum`);
      if (typeof s['exclusiveMaximum'] === 'number' && v >= s['exclusiveMaximum']) out.push(`${at}: >= exclusiveMaximum`);
    }
    if (Array.isArray(v)) {
      if (typeof s['minItems'] === 'number' && v.length < s['minItems']) out.push(`${at}: too few items`);
      if (typeof s['maxItems'] === 'number' && v.length > s['maxItems']) out.push(`${at}: too many items`);
      if (s['items']) v.forEach((x, i) => check(s['items'] as S, x, `${at}[${i}]`, out));
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const props = (s['properties'] ?? {}) as Record<string, S>;
      const patterns = Object.entries((s['patternProperties'] ?? {}) as Record<string, S>);
      for (const k of (s['required'] ?? []) as string[]) if (!(k in o)) out.push(`${at}: missing ${k}`);
      if (typeof s['minProperties'] === 'number' && Object.keys(o).length < s['minProperties']) out.push(`${at}: too few properties`);
      for (const [k, x] of Object.entries(o)) {
        let matched = false;
        if (props[k]) {
          matched = true;
          check(props[k]!, x, `${at}.${k}`, out);
        }
        for (const [re, ps] of patterns) {
          if (new RegExp(re).test(k)) {
            matched = true;
            check(ps, x, `${at}.${k}`, out);
          }
        }
        if (!matched && s['additionalProperties'] !== undefined) {
          if (s['additionalProperties'] === false) out.push(`${at}.${k}: additional property`);
          else check(s['additionalProperties'] as S, x, `${at}.${k}`, out);
        }
      }
    }
    if (Array.isArray(s['anyOf'])) {
      const ok = (s['anyOf'] as S[]).some((alt) => {
        const e: string[] = [];
        check(alt, v, at, e);
        return e.length === 0;
      });
      if (!ok) out.push(`${at}: matches none of anyOf`);
    }
    for (const sub of (s['allOf'] ?? []) as S[]) check(sub, v, at, out);
    if (s['if'] !== undefined) {
      const e: string[] = [];
      check(s['if'] as S, v, at, e);
      if (e.length === 0 && s['then']) check(s['then'] as S, v, at, out);
    }
  };
  check(root, value, '$', errors);
  return errors;
}
