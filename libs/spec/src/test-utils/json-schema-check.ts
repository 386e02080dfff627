/** Checks values against a JSON Schema (draft 2020-12) with Ajv, so the generated schema is tested by a real validator. */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

/** One violation per line: `<instance path> <keyword> <params as JSON>`, e.g. `/x/env/max_frame type {"type":"integer"}`. */
function errorLine(e: ErrorObject): string {
  return `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
}

/** A checker for `schema` (compiled once, strict mode: unknown keywords are errors): value -> violations (empty when valid). */
export function jsonSchemaChecker(schema: Record<string, unknown>): (value: unknown) => string[] {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(errorLine));
}
