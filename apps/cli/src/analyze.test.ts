/**
 * `gymlab analyze` and `gymlab plot` on a real small run (the demo spec, PPO on CartPole, two
 * sessions of 2000 frames), through the built command.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COLUMNS, TRIAL_METRIC_NAMES, envTarget, parseCsv, trialReturnStats } from '@gymlab/analysis';
import { DEMO, ensureBuilt, runCli, snapshot, tempDir } from './test-utils/cli.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Files the analysis derives (and may rewrite): metrics JSON, the trial table, plots, the report. */
const isDerived = (rel: string): boolean =>
  /(^|\/)(metrics|eval_metrics|trial_metrics|trial_eval_metrics)\.json$/.test(rel) || rel.endsWith('trial_metrics.csv') || rel.split('/').includes('plots') || rel === 'report.html';

/** One error line on stderr, starting with "gymlab:". */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines.length, stderr).toBe(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

let runDir = '';
let data = '';

beforeAll(() => {
  ensureBuilt();
  data = tempDir('data');
  const r = runCli(['run', DEMO, 'ppo_cartpole', 'train', '-s', 'env.max_frame=2000', '-s', 'meta.log_frequency=250', '--data-dir', data], { timeout: 240_000 });
  if (r.code !== 0) throw new Error(`run failed (${r.code}): ${r.stderr}`);
  runDir = join(data, readdirSync(data)[0]);
}, 300_000);

const sessionRows = (s: number) => parseCsv(readFileSync(join(runDir, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows;

describe('the end of a run', () => {
  it('writes session and trial plots (SVG and PNG) and report.html', () => {
    for (const dir of ['trial_0/session_0/plots', 'trial_0/session_1/plots', 'trial_0/plots']) {
      const names = readdirSync(join(runDir, dir));
      const svgs = names.filter((n) => n.endsWith('.svg'));
      expect(svgs.length, dir).toBeGreaterThanOrEqual(2);
      expect(names.filter((n) => n.endsWith('.png')).sort()).toEqual(svgs.map((n) => n.replace(/\.svg$/, '.png')).sort());
      for (const n of svgs) {
        expect(readFileSync(join(runDir, dir, n), 'utf8'), n).toMatch(/^<svg[^>]*class="chart"[\s\S]*<\/svg>\n?$/);
        expect(readFileSync(join(runDir, dir, n.replace(/\.svg$/, '.png'))).subarray(0, 8).equals(PNG), n).toBe(true);
      }
    }
    expect(readdirSync(join(runDir, 'trial_0/session_0/plots'))).toEqual(expect.arrayContaining(['return_vs_frame.svg', 'return_vs_wall_time.svg', 'loss.svg', 'entropy.svg']));
    expect(readdirSync(join(runDir, 'trial_0/plots')).sort()).toEqual(['return_ma_vs_frame.png', 'return_ma_vs_frame.svg', 'return_vs_frame.png', 'return_vs_frame.svg']);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it("trial_metrics.json's statistics equal those computed from the session CSVs", () => {
    const json = JSON.parse(readFileSync(join(runDir, 'trial_0', 'trial_metrics.json'), 'utf8'));
    expect(Object.keys(json).slice(0, TRIAL_METRIC_NAMES.length)).toEqual([...TRIAL_METRIC_NAMES]);
    const csvs = [0, 1].map(sessionRows);
    const finals = csvs.map((rows) => rows.filter((r) => r.return_ma !== null).at(-1)?.return_ma ?? NaN);
    expect(json.total_reward_ma).toBeCloseTo((finals[0] + finals[1]) / 2, 12);
    expect(json.final_return_ma).toEqual(JSON.parse(JSON.stringify(trialReturnStats(finals, { seed: json.bootstrap.seed }))));
    expect(json.bootstrap.reps).toBe(2000);
    const target = envTarget('CartPole-v1') ?? NaN;
    expect(json.target_return).toBe(target);
    const perSession = csvs.map((rows, session) => {
      const hit = rows.find((r) => r.return_ma !== null && r.return_ma >= target);
      return { session, frames: hit?.frame ?? null, seconds: hit?.wall_time ?? null };
    });
    expect(json.sessions_to_target).toEqual(perSession);
    expect(json.sessions_reached_target).toBe(perSession.filter((s) => s.frames !== null).length);
    const meanAt = csvs[0].findIndex((_, i) => (csvs[0][i].return_ma ?? -Infinity) + (csvs[1][i]?.return_ma ?? -Infinity) >= 2 * target);
    expect(json.frames_to_target).toBe(meanAt < 0 ? null : csvs[0][meanAt].frame);
  });
});

describe('gymlab analyze', () => {
  it('restores deleted metrics JSON byte-identical, plots and report, and never touches spec, provenance, CSVs, checkpoints or tensorboard', () => {
    const derived = snapshot(runDir);
    const kept = Object.keys(derived).filter((p) => !isDerived(p));
    const removed = Object.keys(derived).filter(isDerived);
    expect(removed).toEqual(expect.arrayContaining(['trial_0/session_0/metrics.json', 'trial_0/session_1/metrics.json', 'trial_0/trial_metrics.json', 'trial_0/trial_metrics.csv', 'report.html']));
    const original = Object.fromEntries(removed.map((p) => [p, readFileSync(join(runDir, p))]));
    const sources = Object.fromEntries(kept.map((p) => [p, derived[p]]));
    for (const p of removed) rmSync(join(runDir, p));
    for (const d of ['trial_0/plots', 'trial_0/session_0/plots', 'trial_0/session_1/plots']) rmSync(join(runDir, d), { recursive: true });

    const r = runCli(['analyze', runDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`analyzed: ${runDir}`);
    expect(r.stdout).toContain(`report: ${join(runDir, 'report.html')}`);
    expect(r.stdout).toMatch(/final return_ma over 2 session\(s\), 95% CI: mean/);
    for (const p of removed.filter((f) => /\.(json|csv)$/.test(f))) {
      expect(readFileSync(join(runDir, p)).equals(original[p]), `${p} byte-identical`).toBe(true);
    }
    const after = snapshot(runDir);
    expect(Object.keys(after).filter(isDerived).sort()).toEqual([...removed].sort());
    expect(Object.fromEntries(Object.keys(after).filter((p) => !isDerived(p)).map((p) => [p, after[p]]))).toEqual(sources);
    expect(kept.some((p) => p.includes('checkpoints/'))).toBe(true);

    const again = runCli(['analyze', runDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/files: 0 written, \d+ already up to date/);
  });

  it('a folder that is not a run: exit 2, one line naming it, nothing written', () => {
    const dir = tempDir('notrun');
    const r = runCli(['analyze', dir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`gymlab: ${dir}: not a run folder (missing spec.json and provenance.json)`);
    expect(readdirSync(dir)).toEqual([]);
    expect(runCli(['analyze', join(dir, 'missing')]).code).toBe(2);
    expect(runCli(['analyze']).code).toBe(2);
  });
});

describe('gymlab plot', () => {
  it('draws runs on one chart into --out, with --title', () => {
    const out = join(tempDir('plot'), 'cmp');
    const r = runCli(['plot', runDir, '--title', 'demo <run>', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['plot.json', 'return_ma_vs_frame.png', 'return_ma_vs_frame.svg']);
    expect(readFileSync(join(out, 'return_ma_vs_frame.png')).subarray(0, 8).equals(PNG)).toBe(true);
    const svg = readFileSync(join(out, 'return_ma_vs_frame.svg'), 'utf8');
    expect(svg).toContain('demo &lt;run&gt;');
    const points = /data-points="([^"]*)"/.exec(svg.slice(svg.indexOf('class="series')))?.[1].split(' ') ?? [];
    expect(points.length).toBe(Math.min(sessionRows(0).length, sessionRows(1).length));
    const again = runCli(['plot', runDir, '--out', out]);
    expect(again.code).toBe(2);
    expect(oneLine(again.stderr)).toMatch(/already holds return_ma_vs_frame\.svg/);
  });

  it('default output: a new plot_<timestamp> folder under --data-dir', () => {
    const dataDir = tempDir('plots');
    const r = runCli(['plot', runDir, '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const [folder] = readdirSync(dataDir);
    expect(folder).toMatch(/^plot_\d{4}_\d{2}_\d{2}_\d{6}$/);
    expect(r.stdout).toContain(`plot: ${join(dataDir, folder)}`);
  });

  it('bad input (not a run, missing CSV): exit 2, one line naming the folder and what is missing, nothing written', () => {
    const dataDir = tempDir('plots');
    const notRun = tempDir('notrun');
    const r = runCli(['plot', runDir, notRun, '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`gymlab: ${notRun}: not a run folder (missing spec.json and provenance.json)`);
    // a run folder whose session has no metrics.csv
    const copy = join(tempDir('copy'), 'run');
    mkdirSync(join(copy, 'trial_0', 'session_0'), { recursive: true });
    for (const f of ['spec.json', 'provenance.json']) copyFileSync(join(runDir, f), join(copy, f));
    const cp = runCli(['plot', copy, '--data-dir', dataDir]);
    expect(cp.code).toBe(2);
    expect(oneLine(cp.stderr)).toBe(`gymlab: ${join(copy, 'trial_0')}: no session_<s>/metrics.csv (missing CSV: nothing to plot)`);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(readdirSync(copy).sort()).toEqual(['provenance.json', 'spec.json', 'trial_0']);
  });
});

describe('help', () => {
  it('lists analyze and plot, and each has its own --help', () => {
    const top = runCli(['--help']);
    expect(top.stdout).toMatch(/gymlab analyze <RUN_FOLDER>/);
    expect(top.stdout).toMatch(/gymlab plot <RUN_FOLDER\.\.>/);
    const a = runCli(['analyze', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/retro-analysis/);
    const p = runCli(['plot', '--help']);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/--title/);
    expect(p.stdout).toMatch(/--out/);
  });
});
