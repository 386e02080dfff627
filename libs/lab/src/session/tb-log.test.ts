import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_COLUMNS, SESSION_METRIC_NAMES, parseCsv } from '@gymlab/analysis';
import type { SessionMetrics } from '@gymlab/analysis';
import type { ActionBatch } from '@gymlab/envs';
import { runSession } from './session.js';
import { specHParams } from './tb-hparams.js';
import { TB_EVAL_COLUMNS } from './tb-log.js';
import { FakeAgent, fakeDeps, fakeSpec } from '../test-utils/fakes.js';
import type { FakeAgentLog } from '../test-utils/fakes.js';
import { expectScalarsMatchRows, expectedPoints, readSessionRows, readSessionTb, sum } from '../test-utils/tb-read.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tb-session-'));

/** Fake deps whose agents remember every training action with the frame count after its step. */
function recordingDeps(): { deps: ReturnType<typeof fakeDeps>['deps']; taken: { frame: number; action: number[] }[]; log: FakeAgentLog } {
  const { deps, log } = fakeDeps();
  const taken: { frame: number; action: number[] }[] = [];
  let frame = 0;
  return {
    log,
    taken,
    deps: {
      ...deps,
      createAgent: (ctx) => {
        const agent = new FakeAgent(ctx, log);
        const act = agent.act.bind(agent);
        agent.act = (obs: Float32Array, mode: 'train' | 'eval'): ActionBatch => {
          const a = act(obs, mode);
          if (mode === 'train') {
            frame += ctx.numEnvs;
            taken.push({ frame, action: Array.from(a) });
          }
          return a;
        };
        return agent;
      },
    },
  };
}

const metricPoints = (metrics: SessionMetrics, prefix: string, frame: number): Record<string, { step: number; value: number }[]> =>
  Object.fromEntries(SESSION_METRIC_NAMES.filter((m) => metrics[m] !== null).map((m) => [`${prefix}${m}`, [{ step: frame, value: Math.fround(metrics[m] ?? NaN) }]]));

describe('Session TensorBoard log (fake agent, real CartPole)', () => {
  it('holds every metrics.csv cell, one weight histogram per tensor per row, the actions of each row, hparams and final metrics', async () => {
    const { deps, taken } = recordingDeps();
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 3, max_frame: 1000 }, meta: { log_frequency: 200 } });
    const r = await runSession({ spec, seed: 7, dir, deps, trial: 2, session: 1 });
    const tb = readSessionTb(dir);
    expect(tb.files).toHaveLength(1);
    expect(tb.files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\./);

    const rows = readSessionRows(dir);
    expect(rows.map((x) => x.frame)).toEqual([201, 402, 600, 801, 1002]);
    expectScalarsMatchRows(tb, rows);
    expect(tb.scalars.has('entropy')).toBe(false); // always null for the fake agent
    // the fake agent's updates report gradNorm 0 and no terms
    expect(tb.scalars.get('grad_norm')?.map((p) => p.step)).toEqual(rows.map((x) => x.frame));
    expect([...tb.scalars.keys()].filter((t) => t.startsWith('loss/'))).toEqual([]);

    // weights: the fake agent's single tensor w, one histogram per row
    const w = tb.histograms.get('weights/w') ?? [];
    expect(w.map((h) => h.step)).toEqual(rows.map((x) => x.frame));
    expect(w.every((h) => h.histo.num === 8)).toBe(true); // CartPole obs size 4 x 2
    const latest = JSON.parse(readFileSync(join(dir, 'checkpoints', 'latest', 'manifest.json'), 'utf8'));
    expect(latest.info.frame).toBe(1002);

    // actions: counts of the actions taken in (previous row, row]
    const acts = tb.histograms.get('actions') ?? [];
    expect(acts.map((h) => h.step)).toEqual(rows.map((x) => x.frame));
    let prev = 0;
    rows.forEach((row, i) => {
      const frame = row.frame ?? NaN;
      const inRow = taken.filter((t) => t.frame > prev && t.frame <= frame).flatMap((t) => t.action);
      const counts = [0, 1].map((a) => inRow.filter((x) => x === a).length);
      const h = acts[i].histo;
      expect(h.num).toBe(frame - prev);
      expect(sum(h.bucket)).toBe(frame - prev);
      expect(h.bucket).toEqual(counts);
      expect(h.sum).toBe(counts[1]);
      prev = frame;
    });

    // hparams: group by trial, spec values; end SUCCESS after the final metrics
    expect(tb.start).toHaveLength(1);
    expect(tb.start[0].groupName).toBe('trial_2');
    expect(tb.start[0].hparams).toEqual(specHParams(spec));
    expect(tb.start[0].hparams['agent.algorithm.gamma']).toBe(0.99);
    expect(tb.end).toEqual([expect.objectContaining({ status: 'success' })]);
    const lastEvent = tb.events[tb.events.length - 1];
    expect(lastEvent.summary?.[0].tag).toBe('_hparams_/session_end_info');
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as SessionMetrics;
    for (const [tag, points] of Object.entries(metricPoints(metrics, 'metrics/', r.frames))) expect(tb.scalars.get(tag), tag).toEqual([expect.objectContaining(points[0])]);
    expect(tb.scalars.has('metrics/strength')).toBe(true);
    // the spec as text at step 0
    const specText = tb.events.flatMap((e) => e.summary ?? []).find((v) => v.tag === 'spec')?.tensor?.stringVal[0] ?? '';
    expect(JSON.parse(specText.replace(/^```json\n/, '').replace(/\n```$/, ''))).toEqual(spec);
  });

  it('eval rows go to eval_return and eval_return_ma; eval metrics to eval_metrics/*', async () => {
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 600 }, meta: { log_frequency: 200, eval_frequency: 300, rigorous_eval: 2 } });
    const r = await runSession({ spec, seed: 11, dir, deps: fakeDeps().deps });
    const tb = readSessionTb(dir);
    const evalRows = parseCsv(readFileSync(join(dir, 'eval.csv'), 'utf8'), EVAL_COLUMNS).rows;
    expect(evalRows).toHaveLength(2);
    for (const c of TB_EVAL_COLUMNS) expect(tb.scalars.get(c)?.map((p) => ({ step: p.step, value: p.value })), c).toEqual(expectedPoints(evalRows, c));
    const evalMetrics = JSON.parse(readFileSync(join(dir, 'eval_metrics.json'), 'utf8')) as SessionMetrics;
    for (const [tag, points] of Object.entries(metricPoints(evalMetrics, 'eval_metrics/', r.frames))) expect(tb.scalars.get(tag), tag).toEqual([expect.objectContaining(points[0])]);
  });

  it('Box actions: one histogram per dimension per row, counting the frames since the previous row', async () => {
    const dir = tmp();
    const spec = fakeSpec({ env: { name: 'Pendulum-v1', num_envs: 2, max_frame: 500 }, meta: { log_frequency: 100 } });
    await runSession({ spec, seed: 3, dir, deps: fakeDeps().deps });
    const tb = readSessionTb(dir);
    const rows = readSessionRows(dir);
    const h = tb.histograms.get('actions/0') ?? [];
    expect(h.map((x) => x.step)).toEqual(rows.map((x) => x.frame));
    let prev = 0;
    for (const { step, histo } of h) {
      expect(histo.num).toBe(step - prev);
      expect(histo.min).toBeGreaterThanOrEqual(-1); // the fake agent samples U(-1, 1)
      expect(histo.max).toBeLessThanOrEqual(1);
      prev = step;
    }
    expect(tb.histograms.has('actions')).toBe(false);
  });

  it('tensorboard: false writes no tensorboard folder; the CSVs are the same', async () => {
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 400 }, meta: { log_frequency: 100 } });
    const on = tmp();
    const off = tmp();
    await runSession({ spec, seed: 5, dir: on, deps: fakeDeps().deps });
    await runSession({ spec, seed: 5, dir: off, deps: fakeDeps().deps, tensorboard: false });
    expect(existsSync(join(on, 'tensorboard'))).toBe(true);
    expect(existsSync(join(off, 'tensorboard'))).toBe(false);
    expect(readdirSync(off)).not.toContain('tensorboard');
    const noTime = (rows: ReturnType<typeof readSessionRows>) => rows.map((x) => ({ ...x, wall_time: 0, fps: 0 }));
    expect(noTime(readSessionRows(off))).toEqual(noTime(readSessionRows(on)));
  });

  it('an aborted session closes its log with status running, readable up to the last row', async () => {
    const dir = tmp();
    const controller = new AbortController();
    const spec = fakeSpec({ env: { num_envs: 1, max_frame: 1_000_000 }, meta: { log_frequency: 100 } });
    const r = await runSession({ spec, seed: 1, dir, deps: fakeDeps().deps, signal: controller.signal, onProgress: (p) => p.frame >= 300 && controller.abort() });
    expect(r.status).toBe('interrupted');
    const tb = readSessionTb(dir);
    expect(tb.end).toEqual([expect.objectContaining({ status: 'running' })]);
    expectScalarsMatchRows(tb, readSessionRows(dir));
    expect(tb.scalars.get('return_ma')?.at(-1)?.step).toBe(r.frames);
  });

  it('a session that throws closes its log with status failure and rethrows its own error', async () => {
    const { deps, log } = fakeDeps();
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 2000 }, meta: { log_frequency: 100 } });
    const failing = {
      ...deps,
      createAgent: (ctx: Parameters<NonNullable<typeof deps.createAgent>>[0]) => {
        const agent = new FakeAgent(ctx, log);
        const update = agent.update.bind(agent);
        agent.update = () => {
          if (log.updates >= 260) throw new Error('update diverged');
          return update();
        };
        return agent;
      },
    };
    await expect(runSession({ spec, seed: 2, dir, deps: failing })).rejects.toThrow('update diverged');
    const tb = readSessionTb(dir);
    expect(tb.start).toHaveLength(1);
    expect(tb.end).toEqual([expect.objectContaining({ status: 'failure' })]);
    expect(tb.scalars.get('return_ma')?.map((p) => p.step)).toEqual([100, 200, 300, 400, 500]);
  });
});
