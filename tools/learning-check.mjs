#!/usr/bin/env node
/**
 * Runs learning acceptance targets: each line of a targets file (default tools/learning-targets.tsv)
 * is `gymlab run FILE NAME train` with the spec unmodified (plus the line's `-s` overrides, for
 * `${var}` templates), then the trial's total_reward_ma from
 * trial_metrics.json is compared with the line's minimum. Prints one row per target (figure, SLM
 * Lab's figure, wall seconds, pass/fail, run folder) and exits 1 if any target missed.
 *
 *   node tools/learning-check.mjs [--targets FILE] [--only NAME[,NAME...]] [--issue N] [--data-dir DIR] [--dry-run]
 *
 * Long: each target is 4 sessions of 100k-300k frames. Not part of CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: join(root, 'tools/learning-targets.tsv') },
    only: { type: 'string' },
    issue: { type: 'string' },
    'data-dir': { type: 'string', default: join(root, 'data/learning-check') },
    'dry-run': { type: 'boolean', default: false },
  },
});

const rows = readFileSync(values.targets, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [file, name, min, slm, issue, overrides = ''] = l.split('\t');
    const sets = overrides.trim() === '' ? [] : overrides.trim().split(/\s+/).flatMap((kv) => ['-s', kv]);
    return { file, name, min: Number(min), slm, issue, sets };
  })
  .filter((t) => values.only === undefined || values.only.split(',').includes(t.name))
  .filter((t) => values.issue === undefined || t.issue === values.issue);

if (rows.length === 0) {
  console.error('learning-check: no target matches');
  process.exit(2);
}

const bin = join(root, 'apps/cli/bin/gymlab.js');
const results = [];
for (const t of rows) {
  const specFile = resolve(root, t.file);
  if (values['dry-run']) {
    console.log(`would run: node ${bin} run ${specFile} ${t.name} train ${t.sets.join(' ')} --data-dir ${values['data-dir']}`.replace('  ', ' '));
    continue;
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'run', specFile, t.name, 'train', ...t.sets, '--data-dir', values['data-dir']], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const folder = /run folder: (.*)/.exec(r.stdout ?? '')?.[1] ?? null;
  let figure = null;
  const metricsFile = folder === null ? null : join(folder, 'trial_0', 'trial_metrics.json');
  if (metricsFile !== null && existsSync(metricsFile)) figure = JSON.parse(readFileSync(metricsFile, 'utf8')).total_reward_ma;
  const sessions = folder === null ? 0 : readdirSync(join(folder, 'trial_0')).filter((d) => d.startsWith('session_')).length;
  const pass = r.status === 0 && typeof figure === 'number' && figure >= t.min;
  results.push({ ...t, figure, seconds, pass, folder, sessions, code: r.status });
  console.log(
    `${pass ? 'PASS' : 'FAIL'} ${t.name}: total_reward_ma ${figure === null ? '?' : figure.toFixed(1)} (min ${t.min}, SLM Lab ${t.slm}), ` +
      `${sessions} sessions, ${seconds.toFixed(0)} s wall, exit ${r.status}, ${folder ?? 'no run folder'}`,
  );
}
if (!values['dry-run']) {
  const failed = results.filter((r) => !r.pass).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
