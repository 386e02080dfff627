import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specJsonSchema } from './json-schema.js';
import { readSpecFile } from './parse-file.js';
import { SCHEMA_FILE, jsonSchemaText } from './scripts/write-json-schema.js';
import { jsonSchemaChecker } from './test-utils/json-schema-check.js';
import { REPO_ROOT, SHARED_SPECS, ppoRaw, specFilesUnder, type RawSpec } from './test-utils/files.js';

const schema = specJsonSchema();
const checkJsonSchema = jsonSchemaChecker(schema);

/** Every object key used anywhere in a value, outside search blocks. */
function keysUsed(v: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysUsed(x, into));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      into.add(k);
      if (k !== 'search') keysUsed(x, into);
    }
  }
  return into;
}

describe('specJsonSchema', () => {
  it('is draft 2020-12 and describes a map of name -> spec', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toEqual({ $ref: '#/$defs/spec' });
  });

  it('equals the committed specs/gymlab-spec.schema.json', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(jsonSchemaText());
  });

  it('names every key used in the shared SLM Lab files', () => {
    const schemaKeys = keysUsed(schema, new Set());
    for (const file of specFilesUnder(SHARED_SPECS)) {
      const top = readSpecFile(file) as Record<string, unknown>;
      for (const spec of Object.values(top)) {
        for (const key of keysUsed(spec, new Set())) expect(schemaKeys.has(key), `${file}: ${key}`).toBe(true);
      }
    }
  });

  it('validates every shared SLM Lab file and the demo', () => {
    for (const file of [...specFilesUnder(SHARED_SPECS), join(REPO_ROOT, 'specs/demo.json')]) {
      expect(checkJsonSchema(readSpecFile(file)), file).toEqual([]);
    }
  });

  it('rejects misspelt keys, wrong types and unknown names', () => {
    const bad = (edit: (r: RawSpec) => void): string[] => {
      const raw = ppoRaw();
      edit(raw);
      return checkJsonSchema({ x: raw });
    };
    expect(bad(() => undefined)).toEqual([]);
    expect(bad((r) => (r['agent']!['algorithm']!['gama'] = 0.9))).toContain('/x/agent/algorithm additionalProperties {"additionalProperty":"gama"}');
    expect(bad((r) => (r['agent']!['algorithm']!['gamma'] = 2))).toContain('/x/agent/algorithm/gamma maximum {"comparison":"<=","limit":1}');
    expect(bad((r) => (r['env']!['max_frame'] = 'x'))).toContain('/x/env/max_frame type {"type":"integer"}');
    expect(bad((r) => (r['agent']!['net']!['type'] = 'MLP'))).toContain('/x/agent/net/type enum {"allowedValues":["MLPNet","ConvNet","RecurrentNet","DuelingMLPNet","TorchArcNet"]}');
    expect(bad((r) => delete r['agent']!['algorithm']!['time_horizon'])).toContain('/x/agent/algorithm required {"missingProperty":"time_horizon"}');
  });
});
