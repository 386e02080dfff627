import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_SPEC_NAME, UsageError, demoSpecFile, planRun } from './plan.js';
import { ProgressReporter, formatDuration } from './progress.js';

describe('planRun', () => {
  it('no arguments: the workspace demo (specs/demo.json), resolved from the package, in train mode', () => {
    const plan = planRun([]);
    expect(plan).toEqual({ kind: 'train', specFile: demoSpecFile(), specName: DEMO_SPEC_NAME });
    expect(existsSync(demoSpecFile())).toBe(true);
  });
  it('SPEC_FILE SPEC_NAME [MODE]', () => {
    expect(planRun(['a.json', 'x'])).toEqual({ kind: 'train', specFile: 'a.json', specName: 'x' });
    expect(planRun(['a.json', 'x', 'dev'])).toEqual({ kind: 'dev', specFile: 'a.json', specName: 'x' });
  });
  it('enjoy RUN_FOLDER and enjoy@PATH, with or without a spec', () => {
    expect(planRun(['enjoy', 'data/r'])).toEqual({ kind: 'enjoy', path: 'data/r' });
    expect(planRun(['enjoy@data/r/trial_0/session_1'])).toEqual({ kind: 'enjoy', path: 'data/r/trial_0/session_1' });
    expect(planRun(['a.json', 'x', 'enjoy@data/r'])).toEqual({ kind: 'enjoy', path: 'data/r' });
    expect(planRun(['a.json', 'x', 'enjoy', 'data/r'])).toEqual({ kind: 'enjoy', path: 'data/r' });
  });
  it('search mode (run by gymlab-tune)', () => {
    expect(planRun(['a.json', 'x', 'search'])).toEqual({ kind: 'search', specFile: 'a.json', specName: 'x' });
    expect(() => planRun(['a.json', 'x', 'search', 'extra'])).toThrow(/unexpected argument/);
  });
  it('refuses unknown modes, missing names and stray arguments with one line', () => {
    expect(() => planRun(['a.json', 'x', 'fly'])).toThrow(/unknown mode 'fly'; available modes: dev, train, search, enjoy/);
    expect(() => planRun(['a.json'])).toThrow(/missing SPEC_NAME/);
    expect(() => planRun(['enjoy'])).toThrow(/enjoy needs a run folder/);
    expect(() => planRun(['enjoy@'])).toThrow(UsageError);
    expect(() => planRun(['a.json', 'x', 'dev', 'extra'])).toThrow(/unexpected argument/);
  });
});

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('-');
  });
  it("sums frames and the sessions' frames/s, averages return_ma, and estimates time left", () => {
    let now = 0;
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const r = new ProgressReporter({ sessions: 2, maxFrame: 1000, stream, plainEveryMs: 0, now: () => now });
    now = 10_000;
    const p = { trial: 0, maxFrame: 1000, wallTime: 10, fps: 100, evalReturn: null };
    r.update({ ...p, session: 0, frame: 300, returnMa: 20 });
    r.update({ ...p, session: 1, frame: 200, returnMa: 40 });
    expect(out[1]).toBe('frames 500/2,000 (25%)  200 f/s  return_ma 30.0  left 8s\n');
    // before every session has a frames/s, the average since the start (500 frames / 10 s)
    const r2 = new ProgressReporter({ sessions: 2, maxFrame: 1000, stream, plainEveryMs: 0, now: () => now });
    now = 20_000;
    r2.update({ ...p, session: 0, frame: 500, returnMa: null, fps: null });
    expect(out[2]).toBe('frames 500/2,000 (25%)  50 f/s  return_ma -  left 30s\n');
  });
});
