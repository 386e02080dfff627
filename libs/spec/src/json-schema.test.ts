import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specJsonSchema } from './json-schema.js';
import { readSpecFile } from './parse-file.js';
import { SCHEMA_FILE, jsonSchemaText } from './scripts/write-json-schema.js';
import { jsonSchemaChecker } from './test-utils/json-schema-check.js';
import { REPO_ROOT, SHARED_SPECS, SHARED_SPECS_NEXT, ppoRaw, specFilesUnder, type RawSpec } from './test-utils/files.js';

const sharedFiles = [...specFilesUnder(SHARED_SPECS), ...specFilesUnder(SHARED_SPECS_NEXT)];

const schema = specJsonSchema();
const checkJsonSchema = jsonSchemaChecker(schema);

/** Every object key used anywhere in a value, outside search blocks. */
function keysUsed(v: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysUsed(x, into));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      into.add(k);
      if (k !== 'search' && k !== 'arc') keysUsed(x, into); // free-form: search paths, TorchArc graphs
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
    for (const file of sharedFiles) {
      const top = readSpecFile(file) as Record<string, unknown>;
      for (const [name, spec] of Object.entries(top)) {
        if (name.startsWith('_')) continue; // YAML anchor blocks: their keys are checked where they are merged
        for (const key of keysUsed(spec, new Set())) expect(schemaKeys.has(key), `${file}: ${key}`).toBe(true);
      }
    }
  });

  it('validates every shared SLM Lab file and the demo', () => {
    for (const file of [...sharedFiles, join(REPO_ROOT, 'specs/demo.json')]) {
      // `${var}` templates (ppo_mujoco.json's "${env}", "${max_frame}") are values only once -s fills them
      const specs = Object.entries(readSpecFile(file) as Record<string, unknown>).filter(([, s]) => !JSON.stringify(s).includes('${'));
      if (specs.length) expect(checkJsonSchema(Object.fromEntries(specs)), file).toEqual([]);
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
    expect(bad((r) => (r['agent']!['net']!['type'] = 'MLP'))).toContain('/x/agent/net/type enum {"allowedValues":["MLPNet","HydraMLPNet","ConvNet","DuelingConvNet","RecurrentNet","DuelingMLPNet","TorchArcNet"]}');
    expect(bad((r) => delete r['agent']!['algorithm']!['time_horizon'])).toContain('/x/agent/algorithm required {"missingProperty":"time_horizon"}');
  });
});
