import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { readmeExample } from './readme-example.js';

const SHARED_DEMO = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/demo.json', import.meta.url));

describe('README example', () => {
  it('runs a PPO session on CartPole and writes its folder', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    const { result, bestFrame } = await readmeExample(SHARED_DEMO, dir);
    log.mockRestore();
    expect(result.status).toBe('completed');
    expect(result.frames).toBe(2000);
    expect(result.backend).toBe('cpu');
    expect(result.rows.map((r) => r.frame)).toEqual([500, 1000, 1500, 2000]); // log_frequency 500
    expect(result.optSteps).toBeGreaterThan(0);
    expect(bestFrame).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n').length).toBe(6); // header + 4 rows + final newline
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.slice(source.indexOf('export async function')).trim());
  });
});
