import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sumOnBackend } from './readme-example.js';

describe('README example', () => {
  it('runs on the first backend that loads: wasm before cpu when the GPU is off', async () => {
    const r = await sumOnBackend([1, 2, 3.5], { gpu: false, backend: null });
    expect(r).toEqual({ tried: ['wasm', 'cpu'], used: 'wasm', sum: 6.5 });
    expect(await sumOnBackend([4, -1], { gpu: 'auto', backend: 'cpu' })).toEqual({ tried: ['cpu'], used: 'cpu', sum: 3 });
  });

  it('is quoted verbatim in the README', () => {
    const code = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8').trim();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(code);
  });
});
