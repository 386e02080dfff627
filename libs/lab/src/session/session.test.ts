import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_COLUMNS, SESSION_COLUMNS, parseCsv } from '@gymlab/analysis';
import { loadCheckpoint } from '../run/checkpoint.js';
import { runSession } from './session.js';
import { readCsvFile } from '../analyze-read.js';
import { writeSessionPlots } from '../analyze-write.js';
import { fakeDeps, fakeSpec } from '../test-utils/fakes.js';
import type { Spec } from '@gymlab/spec';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'session-'));
const withoutTime = (csv: string): string[] =>
  csv.trim().split('\n').map((line) => line.split(',').filter((_, i) => i !== 1 && i !== 10).join(','));

describe('runSession', () => {
  it('steps to max_frame, counts frames over sub-envs, and logs a row every log_frequency frames', async () => {
    const { deps, log } = fakeDeps();
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 3, max_frame: 1000 }, meta: { log_frequency: 200 } });
    const r = await runSession({ spec, seed: 7, dir, deps });
    expect(r.status).toBe('completed');
    expect(r.frames).toBe(1002); // 334 steps of 3 envs
    expect(log.acts).toBe(334);
    expect(log.updates).toBe(334);
    expect(log.disposed).toBe(1);
    expect(r.optSteps).toBe(Math.floor(334 / 4));
    // rows at the first step reaching each multiple of 200, then the final frame
    expect(r.rows.map((x) => x.frame)).toEqual([201, 402, 600, 801, 1002]);
    const last = r.rows[r.rows.length - 1];
    expect(last.episodes).toBe(r.episodes);
    expect(r.episodes).toBeGreaterThan(10); // a random CartPole policy lasts ~20 steps
    expect(last.return_ma).toBeGreaterThan(8);
    expect(last.return_ma).toBeLessThan(60);
    expect(last.lr).toBe(0.001);
    expect(last.entropy).toBeNull();
    expect(last.loss).toBeCloseTo(1 / 332);

    const table = parseCsv(readFileSync(join(dir, 'metrics.csv'), 'utf8'), SESSION_COLUMNS);
    expect(table.columns).toEqual([...SESSION_COLUMNS]);
    expect(table.rows).toEqual(r.rows);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics)).toEqual(['frame', 'total_reward_ma', 'strength', 'max_strength', 'final_strength', 'sample_efficiency', 'training_efficiency', 'stability']);
    expect(metrics.frame).toBe(1002);
    expect(existsSync(join(dir, 'eval.csv'))).toBe(false);
    // checkpoints: latest at the last row; best by return_ma
    expect(loadCheckpoint(join(dir, 'checkpoints', 'latest')).info.frame).toBe(1002);
    const best = loadCheckpoint(join(dir, 'checkpoints', 'best')).info;
    expect(best.metric).toBe('return_ma');
    expect(best.value).toBe(Math.max(...r.rows.map((x) => x.return_ma ?? -Infinity)));
  });

  it('writes the latest checkpoint every meta.checkpoint_frequency frames (not at every row) and at the end; best at each improvement', async () => {
    const { deps: fake } = fakeDeps();
    let states = 0; // getState() calls: one per checkpoint written
    const deps = {
      ...fake,
      createAgent: (ctx: Parameters<NonNullable<typeof fake.createAgent>>[0]) => {
        const agent = fake.createAgent!(ctx);
        const getState = agent.getState.bind(agent);
        agent.getState = () => {
          states++;
          return getState();
        };
        const resumeState = agent.resumeState?.bind(agent);
        if (resumeState !== undefined) {
          agent.resumeState = () => {
            states++;
            return resumeState();
          };
        }
        return agent;
      },
    };
    const dir = tmp();
    const r = await runSession({ spec: fakeSpec({ env: { num_envs: 2, max_frame: 1000 }, meta: { log_frequency: 100, checkpoint_frequency: 400 } }), seed: 5, dir, deps });
    expect(r.rows).toHaveLength(10);
    let top = -Infinity;
    let improvements = 0;
    for (const row of r.rows) {
      if (row.return_ma !== null && row.return_ma > top) {
        top = row.return_ma;
        improvements++;
      }
    }
    expect(states).toBe(3 + improvements); // latest at frames 400, 800 and the end
    expect(loadCheckpoint(join(dir, 'checkpoints', 'latest')).info.frame).toBe(1000);
  });

  it("REINFORCE's batches are SLM Lab's: with num_envs > 1 after each episode end a reset row (final obs, reward 0); other algorithms, and num_envs 1, reset in the same step", async () => {
    const rowsOf = async (algorithm: Spec['agent']['algorithm']['name'], numEnvs = 2): Promise<{ reward: number; obsIsLastNext: boolean; ended: boolean }[]> => {
      const { deps: fake } = fakeDeps();
      const rows: { reward: number; obsIsLastNext: boolean; ended: boolean }[] = [];
      let lastNext: number[] | null = null;
      const deps = {
        ...fake,
        createAgent: (ctx: Parameters<NonNullable<typeof fake.createAgent>>[0]) => {
          const agent = fake.createAgent!(ctx);
          const update = agent.update.bind(agent);
          agent.update = (tr, frame) => {
            const obs = Array.from(tr.obs);
            rows.push({ reward: tr.reward[0], obsIsLastNext: lastNext !== null && obs.every((x, i) => x === lastNext![i]), ended: tr.terminated[0] + tr.truncated[0] > 0 });
            lastNext = Array.from(tr.nextObs);
            return update(tr, frame);
          };
          return agent;
        },
      };
      const spec = fakeSpec({ env: { num_envs: numEnvs, max_t: 3, max_frame: 12 * numEnvs } });
      await runSession({ spec: { ...spec, agent: { ...spec.agent, algorithm: { ...spec.agent.algorithm, name: algorithm } } }, seed: 1, dir: null, deps });
      return rows;
    };
    // 3-step episodes (time limit 3): Reinforce sees 3 steps, then the reset row, as Gymnasium's NEXT_STEP autoreset gives
    const reinforce = await rowsOf('Reinforce');
    expect(reinforce.map((r) => r.reward)).toEqual([1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0]);
    expect(reinforce.map((r) => r.ended)).toEqual([false, false, true, false, false, false, true, false, false, false, true, false]);
    expect(reinforce[3].obsIsLastNext && reinforce[7].obsIsLastNext).toBe(true); // the reset row starts from the final obs
    const ppo = await rowsOf('PPO');
    expect(ppo.map((r) => r.reward)).toEqual(Array(12).fill(1));
    expect(ppo[3].obsIsLastNext).toBe(false); // a new episode's first obs
    // one env: SLM Lab steps a plain env and resets it itself, so REINFORCE's rows have no reset row
    const single = await rowsOf('Reinforce', 1);
    expect(single.map((r) => r.reward)).toEqual(Array(12).fill(1));
    expect(single[3].obsIsLastNext).toBe(false);
  });

  it('row return is the mean of the episodes finished since the previous row', async () => {
    const { deps } = fakeDeps();
    const r = await runSession({ spec: fakeSpec({ env: { num_envs: 1, max_frame: 400 }, meta: { log_frequency: 100 } }), seed: 3, dir: null, deps });
    // with 1 env, the MA over all (<100) episodes equals the episode-weighted mean of row returns
    // only if each row's return is the mean of its own episodes
    const rows = r.rows;
    let sum = 0;
    let prevEpisodes = 0;
    for (const row of rows) {
      const n = (row.episodes ?? 0) - prevEpisodes;
      if (n > 0) sum += (row.return ?? 0) * n;
      prevEpisodes = row.episodes ?? 0;
    }
    const last = rows[rows.length - 1];
    expect(last.episodes).toBeLessThan(100);
    expect(sum / (last.episodes ?? 1)).toBeCloseTo(last.return_ma ?? NaN, 9);
  });

  it('evaluates deterministically on its own env every eval_frequency frames, into eval.csv', async () => {
    const { deps, log } = fakeDeps();
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 600 }, meta: { log_frequency: 200, eval_frequency: 300, rigorous_eval: 2 } });
    const r = await runSession({ spec, seed: 11, dir, deps });
    expect(r.evalRows.map((x) => x.frame)).toEqual([300, 600]);
    expect(log.evalActs).toBeGreaterThan(4);
    const evalTable = parseCsv(readFileSync(join(dir, 'eval.csv'), 'utf8'), EVAL_COLUMNS);
    expect(evalTable.rows).toEqual(r.evalRows);
    // training CSV keeps only training returns
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n')[0]).not.toContain('eval');
    const best = loadCheckpoint(join(dir, 'checkpoints', 'best')).info;
    expect(best.metric).toBe('eval_return');
    expect(best.value).toBe(Math.max(...r.evalRows.map((x) => x.eval_return ?? -Infinity)));
    expect(existsSync(join(dir, 'eval_metrics.json'))).toBe(true);
  });

  it('same seed: identical CSVs apart from time columns; another seed differs', async () => {
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 800 }, meta: { log_frequency: 100 } });
    const run = async (seed: number): Promise<string> => {
      const dir = tmp();
      await runSession({ spec, seed, dir, deps: fakeDeps().deps });
      return readFileSync(join(dir, 'metrics.csv'), 'utf8');
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(withoutTime(a)).toEqual(withoutTime(b));
    expect(withoutTime(a)).not.toEqual(withoutTime(c));
  });

  it('an abort stops the loop, writes what is complete and reports interrupted', async () => {
    const { deps } = fakeDeps();
    const dir = tmp();
    const controller = new AbortController();
    const spec = fakeSpec({ env: { num_envs: 1, max_frame: 1_000_000 }, meta: { log_frequency: 100 } });
    const r = await runSession({
      spec,
      seed: 1,
      dir,
      deps,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.frame >= 300) controller.abort();
      },
    });
    expect(r.status).toBe('interrupted');
    expect(r.frames).toBeLessThan(1000);
    const table = parseCsv(readFileSync(join(dir, 'metrics.csv'), 'utf8'), SESSION_COLUMNS);
    expect(table.rows.length).toBe(r.rows.length);
    expect(table.rows[table.rows.length - 1].frame).toBe(r.frames);
    expect(existsSync(join(dir, 'metrics.json'))).toBe(true);
  });
});

describe('session plots', () => {
  it('the session writes its own plots (SVG + PNG); the trial analysis then finds them up to date and renders none again', async () => {
    const dir = tmp();
    const spec = fakeSpec({ env: { num_envs: 2, max_frame: 600 }, meta: { log_frequency: 200 } });
    await runSession({ spec, seed: 5, dir, deps: fakeDeps().deps });
    const plots = join(dir, 'plots');
    const names = ['return_vs_frame', 'return_vs_wall_time', 'loss'];
    for (const n of names) {
      expect(readFileSync(join(plots, `${n}.png`)).subarray(1, 4).toString()).toBe('PNG');
      expect(readFileSync(join(plots, `${n}.svg`), 'utf8')).toMatch(/^<svg[^>]*class="chart"/);
    }
    // what the trial's analysis does for this session, from the CSV on disk: nothing to write
    const rows = readCsvFile(join(dir, 'metrics.csv'), SESSION_COLUMNS);
    const pngBefore = readFileSync(join(plots, 'loss.png'));
    writeFileSync(join(plots, 'loss.png'), 'a PNG left beside its unchanged SVG is taken as its rendering');
    expect(writeSessionPlots(dir, spec, 0, 0, rows).filter((f) => f.changed)).toEqual([]);
    expect(readFileSync(join(plots, 'loss.png'), 'utf8')).toMatch(/^a PNG left/); // not rendered again
    // a plot whose PNG is missing (or whose SVG changed) is rendered again
    rmSync(join(plots, 'loss.png'));
    const again = writeSessionPlots(dir, spec, 0, 0, rows).filter((f) => f.changed).map((f) => f.path);
    expect(again).toEqual([join(plots, 'loss.png')]);
    expect(readFileSync(join(plots, 'loss.png')).equals(pngBefore)).toBe(true);
  });
});
