import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-utils/hex.js';
import { readmeExample } from './readme-example.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

describe('README example', () => {
  it('runs and gives what the README says', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const out = readmeExample(dir);
    expect(out).toEqual({ returns: [10, 20, 30], weightCount: 10_000, status: 'success' });
    expect(readdirSync(dir)).toEqual(['events.out.tfevents.1700000000.lab.1']);
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.slice(source.indexOf('/** One session')).trim());
  });
});
