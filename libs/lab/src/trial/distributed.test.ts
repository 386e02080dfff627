import { describe, expect, it } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import { createRunContext } from '../run/context.js';
import { distributedProvenance } from '../run/run.js';
import type { SessionResult } from '../session/session.js';
import { SHARED_DEMO } from '../test-utils/paths.js';
import { planSharedParams, runSharedSessions } from './distributed.js';
import { runTrial } from './trial.js';

/** The demo's PPO on CartPole with `meta.distributed` and `sets` on top. */
function ppoSpec(mode: 'shared' | 'synced', sets: readonly string[]): Spec {
  return loadSpec(SHARED_DEMO, 'ppo_cartpole', { sets: [`meta.distributed=${mode}`, 'meta.max_session=2', ...sets] });
}

/** The rows without the time columns. */
const rowsOf = (r: SessionResult): unknown[] => r.rows.map(({ wall_time: _w, fps: _f, ...rest }) => rest);

describe('meta.distributed: sessions in worker threads on one set of global nets', () => {
  it('synced: the same seeds give the same rows; other seeds give others', async () => {
    const spec = ppoSpec('synced', ['env.num_envs=2', 'env.max_frame=600', 'meta.log_frequency=100', 'agent.algorithm.time_horizon=32', 'agent.algorithm.minibatch_size=16', 'agent.algorithm.training_epoch=2']);
    const ctx = createRunContext({ tensorboard: false });
    const run = async (seeds: number[]): Promise<SessionResult[]> => (await runTrial({ spec, seeds }, ctx)).sessions.slice();
    const a = await run([11, 12]);
    const b = await run([11, 12]);
    const c = await run([11, 13]);
    expect(a.map((s) => s.optSteps)).toEqual([9 * 2 * 4, 9 * 2 * 4]); // 9 batches of 64 rows x 2 epochs x 4 minibatches of 16
    expect(a.map(rowsOf)).toEqual(b.map(rowsOf));
    expect(rowsOf(a[0])).not.toEqual(rowsOf(c[0])); // session 0's seed is the same: its rows differ through the global nets
    expect(distributedProvenance(spec)).toEqual({ distributed: { mode: 'synced', workers: 2, deterministic: true } });
  }, 300_000); // 3 trials of 2 threads: about 25 CPU-s (each thread loads TensorFlow.js)

  it('shared (Hogwild): 2 workers step one parameter buffer without locks and the run learns CartPole', async () => {
    const spec = ppoSpec('shared', ['env.num_envs=4', 'env.max_frame=12000', 'meta.log_frequency=2000']);
    const seeds = [1, 2];
    const ctx = createRunContext({ tensorboard: false });
    const shared = await planSharedParams(spec, 'shared', seeds, ctx.sessions.deps);
    const requests = seeds.map((seed, s) => ({ type: 'run' as const, spec, seed, dir: null, trial: 0, session: s, devChecks: false, tensorboard: false }));
    const results = await runSharedSessions({ shared, requests, ctx, signal: ctx.signal });
    const done = results.filter((r): r is SessionResult => r !== null);
    expect(done).toHaveLength(2);
    // both workers' steps went into the same buffer (use_same_optim: one optimizer): its step count is their sum
    const steps = new Int32Array(shared.control);
    const total = done[0].optSteps + done[1].optSteps;
    expect(steps[2]).toBe(total);
    const last = done.map((r) => r.rows[r.rows.length - 1].return_ma ?? 0);
    // a random policy's return_ma is about 22; measured: 107.8 and 113.8, still rising (return_ma lags: 100 episodes)
    for (const r of last) expect(r, `final return_ma ${last.join(', ')}`).toBeGreaterThanOrEqual(80);
    expect(distributedProvenance(spec)).toEqual({ distributed: { mode: 'shared', workers: 2, deterministic: false } });
  }, 300_000); // about 30 CPU-s; wall time on a loaded machine is several times that
});
