import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_COLUMNS, parseCsv } from '@gymlab/analysis';
import type { Spec } from '@gymlab/spec';
import { loadSpec } from '@gymlab/spec';
import { RESUME_TENSOR_PREFIX, loadCheckpoint } from '../run/checkpoint.js';
import { runSession } from './session.js';
import type { SessionResult } from './session.js';
import { SHARED_DEMO, SHARED_SPECS } from '../test-utils/paths.js';
import { expectScalarsMatchRows, expectedPoints, readSessionRows, readSessionTb, sum } from '../test-utils/tb-read.js';
import type { SessionTb } from '../test-utils/tb-read.js';

async function run(spec: Spec, seed: number): Promise<{ dir: string; r: SessionResult; tb: SessionTb }> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-real-'));
  const r = await runSession({ spec, seed, dir, trial: 0, session: 0 });
  return { dir, r, tb: readSessionTb(dir) };
}

/**
 * Weight histograms: one per tensor of the agent per row (the tensors are the checkpoint's
 * non-optimizer tensors but those only resuming needs), num = tensor size; at the last row min, max and sum equal those of the
 * latest checkpoint's weights, which were taken at that row.
 */
function expectWeightHistograms(dir: string, tb: SessionTb, rowFrames: number[]): void {
  const { state, info } = loadCheckpoint(join(dir, 'checkpoints', 'latest'));
  expect(info.frame).toBe(rowFrames[rowFrames.length - 1]);
  const weightNames = Object.keys(state.tensors).filter((n) => !n.startsWith('optim') && !n.startsWith(RESUME_TENSOR_PREFIX)); // resume/: the replay
  const tags = [...tb.histograms.keys()].filter((t) => t.startsWith('weights/'));
  expect(tags.sort()).toEqual(weightNames.map((n) => `weights/${n}`).sort());
  for (const name of weightNames) {
    const data = state.tensors[name].data;
    const list = tb.histograms.get(`weights/${name}`) ?? [];
    expect(list.map((h) => h.step), name).toEqual(rowFrames);
    expect(list.every((h) => h.histo.num === data.length), name).toBe(true);
    const last = list[list.length - 1].histo;
    expect(last.sum, name).toBe(sum(data));
    expect(last.min, name).toBe(Math.min(...data));
    expect(last.max, name).toBe(Math.max(...data));
    expect(sum(last.bucket), name).toBe(data.length);
  }
}

/** Action counts per row sum to the frames since the previous row. */
function expectActionCounts(tb: SessionTb, rowFrames: number[]): void {
  const acts = tb.histograms.get('actions') ?? [];
  expect(acts.map((h) => h.step)).toEqual(rowFrames);
  acts.forEach((h, i) => {
    const since = rowFrames[i] - (i === 0 ? 0 : rowFrames[i - 1]);
    expect(h.histo.num).toBe(since);
    expect(sum(h.histo.bucket)).toBe(since);
  });
}

describe('TensorBoard log of real sessions', () => {
  it('PPO CartPole: scalars equal metrics.csv, loss terms, weight and action histograms, hparams', async () => {
    const spec = loadSpec(SHARED_DEMO, 'ppo_cartpole', {
      sets: ['env.num_envs=2', 'env.max_frame=3000', 'meta.log_frequency=500', 'agent.algorithm.time_horizon=64', 'agent.algorithm.training_epoch=2'],
    });
    const { dir, r, tb } = await run(spec, 21);
    expect(r.optSteps).toBeGreaterThan(0);
    expect(tb.files).toHaveLength(1);
    const rows = readSessionRows(dir);
    const frames = rows.map((x) => x.frame ?? NaN);
    expect(frames).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expectScalarsMatchRows(tb, rows);
    expect(tb.scalars.get('entropy')).toHaveLength(rows.length); // PPO has an entropy
    for (const term of ['policy', 'value', 'entropy']) {
      const points = tb.scalars.get(`loss/${term}`) ?? [];
      expect(points.map((p) => p.step), term).toEqual(frames);
      expect(points.every((p) => Number.isFinite(p.value)), term).toBe(true);
    }
    expect(tb.scalars.get('grad_norm')?.every((p) => p.value > 0)).toBe(true);
    expectWeightHistograms(dir, tb, frames);
    expectActionCounts(tb, frames);
    expect(tb.start[0]).toMatchObject({ groupName: 'trial_0' });
    expect(tb.start[0].hparams).toMatchObject({ 'agent.algorithm.name': 'PPO', 'agent.algorithm.time_horizon': 64, 'env.num_envs': 2, 'agent.net.hid_layers': '[64,64]' });
    expect(tb.end).toEqual([expect.objectContaining({ status: 'success' })]);
  }, 180_000);

  it('DQN CartPole with evaluation: explore_var, td loss, target-net weights, eval returns', async () => {
    const spec = loadSpec(join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole.json'), 'dqn_epsilon_greedy_cartpole', {
      sets: ['env.num_envs=2', 'env.max_frame=1200', 'meta.log_frequency=400', 'meta.eval_frequency=600', 'meta.rigorous_eval=1'],
    });
    const { dir, r, tb } = await run(spec, 5);
    expect(r.optSteps).toBeGreaterThan(0);
    const rows = readSessionRows(dir);
    const frames = rows.map((x) => x.frame ?? NaN);
    expect(frames).toEqual([400, 800, 1200]);
    expectScalarsMatchRows(tb, rows);
    expect(tb.scalars.get('explore_var')).toHaveLength(rows.length);
    expect(tb.scalars.has('entropy')).toBe(false);
    expect(tb.scalars.get('loss/td')?.map((p) => p.step)).toEqual(frames.filter((f) => (rows.find((x) => x.frame === f)?.loss ?? null) !== null));
    expectWeightHistograms(dir, tb, frames);
    expect(tb.histograms.has('weights/target_net/l0/kernel')).toBe(true);
    expectActionCounts(tb, frames);
    const evalRows = parseCsv(readFileSync(join(dir, 'eval.csv'), 'utf8'), EVAL_COLUMNS).rows;
    expect(evalRows.map((x) => x.frame)).toEqual([600, 1200]);
    for (const c of ['eval_return', 'eval_return_ma'] as const) {
      expect(tb.scalars.get(c)?.map((p) => ({ step: p.step, value: p.value })), c).toEqual(expectedPoints(evalRows, c));
    }
    expect(tb.start[0].hparams).toMatchObject({ 'agent.algorithm.name': 'DQN', 'agent.memory.name': 'Replay', 'agent.memory.batch_size': 32 });
    expect(tb.end).toEqual([expect.objectContaining({ status: 'success' })]);
  }, 180_000);
});
