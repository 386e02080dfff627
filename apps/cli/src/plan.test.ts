import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_SPEC_NAME, UsageError, demoSpecFile, planRun } from './plan.js';

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
