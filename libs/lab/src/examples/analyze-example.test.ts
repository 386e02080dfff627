import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeRun, isPng, tempDir } from '../test-utils/analyze-fixtures.js';
import { analyzeExample } from './analyze-example.js';

describe('README analysis example', () => {
  it('analyses a run and plots two runs together', async () => {
    const a = await fakeRun({ sessions: 4, frames: 1000, seed: 1 });
    const b = await fakeRun({ sessions: 2, frames: 1000, seed: 2 });
    const out = join(tempDir('example'), 'chart');
    const r = analyzeExample(a.runDir, b.runDir, out);
    expect(r.report).toBe(join(a.runDir, 'report.html'));
    const json = JSON.parse(readFileSync(join(a.runDir, 'trial_0', 'trial_metrics.json'), 'utf8'));
    expect(r.iqm).toEqual(json.final_return_ma.iqm);
    expect(r.iqm?.ci.low).toBeLessThanOrEqual(r.iqm?.value ?? NaN);
    expect(r.chart.map((f) => f.slice(out.length + 1))).toEqual(['return_ma_vs_frame.svg', 'return_ma_vs_frame.png', 'plot.json']);
    expect(isPng(r.chart[1])).toBe(true);
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./analyze-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.slice(source.indexOf('/** Rebuilds')).trim());
  });
});
