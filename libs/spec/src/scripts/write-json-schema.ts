/**
 * Writes the spec JSON Schema to `specs/gymlab-spec.schema.json` at the repo root.
 * Run: `npm run schema -w @gymlab/spec` (builds, then runs dist/scripts/write-json-schema.js).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specJsonSchema } from '../json-schema.js';

export function jsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}

/** Repo-root `specs/` from this module (src/scripts or dist/scripts of libs/spec). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../../specs/gymlab-spec.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, jsonSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
