import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '@gymlab/cli-kit/testing';
import { DEMO, REPO_ROOT, ensureBuilt, runCli, spawnCli, tempDir } from './test-utils/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

const trees = tempDir('repro-trees');
afterAll(() => {
  rmSync(trees, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'prune'], { cwd: REPO_ROOT, stdio: 'ignore' });
});

/** A short dev run of the demo spec (400 frames, a row every 100); its folder. */
function devRun(): string {
  const data = tempDir('repro-data');
  const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=400', '-s', 'meta.log_frequency=100', '--data-dir', data, '--no-tensorboard']);
  expect(r.code, r.stderr).toBe(0);
  return join(data, readdirSync(data)[0]);
}

/** One dev run for the tests below (made by the first that needs it). */
let shared: string | null = null;
const sharedRun = (): string => (shared ??= devRun());

describe('gymlab reproduce', () => {
  it('a fresh dev run reproduces (exit 0); with one CSV value changed it exits 1 naming the file, row and column', () => {
    const runDir = sharedRun();
    // the tree is built once (from this commit and its diff, on this install: same lockfile) and kept for the second call
    const args = ['reproduce', runDir, '--reuse-install', '--tree-cache', trees];
    const same = runCli(args, { timeout: 900_000 });
    expect(same.stdout, same.stderr).toMatch(/^reproduced: identical \(trial_0\/session_0\/metrics\.csv;/);
    expect(same.code).toBe(0);

    const csv = join(runDir, 'trial_0', 'session_0', 'metrics.csv');
    const lines = readFileSync(csv, 'utf8').split('\n');
    const col = lines[0].split(',').indexOf('return_ma');
    const cells = lines[3].split(',');
    const recorded = cells[col];
    cells[col] = String(Number(recorded) + 1);
    lines[3] = cells.join(',');
    writeFileSync(csv, lines.join('\n'));
    const changed = runCli(args, { timeout: 900_000 });
    expect(changed.stdout).toBe(`reproduced: different: trial_0/session_0/metrics.csv row 3 column return_ma: recorded ${cells[col]}, rerun ${recorded}\n`);
    expect(changed.code).toBe(1);
  }, 1_800_000);

  it('SIGTERM while the tree builds: exit 130, one line saying so, the temporary worktree removed', async () => {
    const runDir = sharedRun(); // the rerun is stopped before any comparison: a changed CSV does not matter
    const child = spawnCli(['reproduce', runDir, '--reuse-install']);
    const out = collect(child);
    await out.waitFor(/reproduce: (reusing|npm ci)[^\n]*\n/, 300_000);
    const tree = /reproduce: worktree of \w+ in (\S+)/.exec(out.text())?.[1];
    expect(tree).toBeDefined();
    child.kill('SIGTERM');
    expect(await out.exit).toBe(130);
    expect(out.text()).toMatch(/gymlab: reproduce interrupted \(SIGTERM[^\n]*\); the temporary worktree was removed\n/);
    expect(out.text()).not.toMatch(/internal error/);
    expect(existsSync(tree ?? '')).toBe(false);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: REPO_ROOT, encoding: 'utf8' })).not.toContain(tree ?? '');
  }, 600_000);

  it('refuses what is not a completed run folder of a git checkout: one line, exit 2', () => {
    const notRun = tempDir('repro-notrun');
    const fake = (prov: object): string => {
      const dir = tempDir('repro-fake');
      mkdirSync(join(dir, 'trial_0', 'session_0'), { recursive: true });
      writeFileSync(join(dir, 'spec.json'), '{}');
      writeFileSync(join(dir, 'provenance.json'), JSON.stringify(prov));
      return dir;
    };
    const base = { git: { sha: 'a'.repeat(40), dirty: false }, mode: 'dev', status: 'completed', spec_name: 'x', seeds: { base: 1, drawn: false, sessions: [5] } };
    const cases: [string[], RegExp][] = [
      [['reproduce', notRun], /has no provenance\.json/],
      [['reproduce', join(notRun, 'missing')], /is not a folder/],
      [['reproduce', fake({ ...base, git: { sha: null, dirty: null } })], /git\.sha is not a commit SHA/],
      [['reproduce', fake({ ...base, status: 'running' })], /status "running": only a completed run/],
      [['reproduce', fake({ ...base, mode: 'search' })], /mode "search" cannot be reproduced/],
      [['reproduce', fake({ ...base, git: { sha: 'a'.repeat(40), dirty: true } })], /git\.dirty is true but git\.diff is missing/],
      [['reproduce', fake(base), '--session', '3'], /--session 3: the run has sessions 0 to 0/],
      [['reproduce', fake(base)], /metrics\.csv is missing/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(2);
    }
  }, 120_000);
});
