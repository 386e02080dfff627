import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeExample, readmeReportExample, readmeTrialExample } from './readme-example.js';

describe('README example', () => {
  it('runs and gives the numbers the README states', () => {
    const { csv, sessionStrength, trial } = readmeExample();
    expect(csv.split('\n')[0]).toBe('frame,wall_time,episodes,opt_steps,return,return_ma,loss,lr,entropy,explore_var,fps');
    expect(csv.split('\n')[1]).toBe('256,0.256,5.12,4,20,20,0.5,0.0003,0.69,,1000');
    expect(sessionStrength).toBeCloseTo(60 - 22.97, 12);
    expect(trial.frame).toBe(768);
    expect(trial.total_reward_ma).toBeCloseTo((60 + 73.3) / 2, 12);
    // session strengths: mean(20, 60, 100) - 22.97 and mean(30, 50, 140) - 22.97
    expect(trial.strength).toBeCloseTo((60 + 220 / 3) / 2 - 22.97, 12);
    expect(trial.stability).toBe(1); // no drops in session 0; session 1 has none either
  });

  it('the report example gives the statistics, target frame, plot and page the README states', () => {
    const { stats, solvedAt, svg, png, html } = readmeReportExample();
    expect(stats.mean.value).toBe(470); // (400 + 480 + 360 + 640) / 4
    expect(stats.median.value).toBe(440); // (400 + 480) / 2
    expect(stats.iqm.value).toBe(440); // n = 4 drops one from each end: mean(400, 480)
    for (const e of [stats.mean, stats.median, stats.iqm]) {
      expect(e.ci.low).toBeLessThanOrEqual(e.value);
      expect(e.ci.high).toBeGreaterThanOrEqual(e.value);
      expect(e.ci.low).toBeGreaterThanOrEqual(360);
      expect(e.ci.high).toBeLessThanOrEqual(640);
    }
    expect(solvedAt).toBe(400_000);
    expect(svg.match(/class="series faint"/g)).toHaveLength(4);
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(800);
    expect(new DataView(png.buffer, png.byteOffset).getUint32(20)).toBe(500);
    // one trial plot + per session: return vs frames, return vs wall time, loss, entropy
    expect(html.match(/<svg /g)).toHaveLength(1 + 4 * 4);
  });

  it('the trial example gives the statistics, table, plots and report entry the README states', () => {
    const { analysis, plots, entry, table } = readmeTrialExample();
    expect(analysis.metrics?.final_return_ma?.mean.value).toBe(500);
    expect(analysis.metrics?.frames_to_target).toBe(3000);
    expect(analysis.metrics?.sessions_reached_target).toBe(2);
    expect(analysis.csv.split('\n')[3]).toBe('3000,2,500,500,480,520');
    expect(Object.keys(plots)).toEqual(['return_ma_vs_frame', 'return_vs_frame']);
    expect(entry?.sessions.map((s) => s.name)).toEqual(['s0', 's1']);
    expect(table).toBe('trial,status,stopped_early,lr\n0,completed,false,0.0003\n');
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.trim().replaceAll("'../index.js'", "'@gymlab/analysis'"));
  });
});
