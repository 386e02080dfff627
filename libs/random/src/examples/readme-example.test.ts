import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomTour } from './readme-example.js';

describe('README example', () => {
  it("gives numpy's draws and resumes from the saved state", () => {
    const t = randomTour(0);
    expect(t.first).toBe(0.6369616873214543);
    expect(Math.abs(t.reset)).toBeLessThan(0.05);
    expect(t.die).toBeGreaterThanOrEqual(1);
    expect(t.die).toBeLessThanOrEqual(6);
    expect(t.resumed).toBe(true);
    expect(t.words[0]).toBe(0xd360dfe156c9650an);
  });

  it('is quoted verbatim in the README', () => {
    const code = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8').trim();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(code);
  });
});
