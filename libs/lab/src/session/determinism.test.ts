import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeKernelsAvailable } from '@gymlab/backends';
import { loadSpec } from '@gymlab/spec';
import { runSession } from './session.js';
import { SHARED_DEMO, SHARED_SPECS, withoutTimeColumns } from '../test-utils/paths.js';

/** Real PPO on CartPole, small: 2 envs x 400 frames, a row every 100 frames. */
async function sessionCsv(backend: 'cpu' | 'wasm' | 'fast' | 'native', seed: number): Promise<{ csv: string; optSteps: number; backend: string }> {
  const spec = loadSpec(SHARED_DEMO, 'ppo_cartpole', {
    sets: [
      `agent.net.backend=${backend}`,
      'env.num_envs=2',
      'env.max_frame=400',
      'meta.log_frequency=100',
      'agent.algorithm.time_horizon=32',
      'agent.algorithm.minibatch_size=16',
      'agent.algorithm.training_epoch=2',
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), `det-${backend}-`));
  const r = await runSession({ spec, seed, dir });
  return { csv: readFileSync(join(dir, 'metrics.csv'), 'utf8'), optSteps: r.optSteps, backend: r.backend };
}

describe('same spec + same seed -> identical session CSVs apart from time columns', () => {
  // native: where the build makes it (backends' kernels.test.ts fails where it should and does not)
  for (const backend of ['cpu', 'wasm', 'fast', ...(nativeKernelsAvailable() ? (['native'] as const) : [])] as const) {
    it(`on the ${backend} backend`, async () => {
      const a = await sessionCsv(backend, 123);
      const b = await sessionCsv(backend, 123);
      const c = await sessionCsv(backend, 124);
      expect(a.backend).toBe(backend);
      expect(a.optSteps).toBeGreaterThan(0); // the learning path ran
      expect(withoutTimeColumns(a.csv)).toEqual(withoutTimeColumns(b.csv));
      expect(withoutTimeColumns(a.csv)).not.toEqual(withoutTimeColumns(c.csv));
    });
  }
});

/** The fast path's backends here: fast (wasm kernels), and native where it is built. */
const FAST_PATH = ['fast', ...(nativeKernelsAvailable() ? (['native'] as const) : [])] as const;

/** SLM Lab's dqn_boltzmann_cartpole (4 envs, 256-128 selu, AdamW) on the fast path, 400 frames, a row every 100. */
async function dqnFastCsv(backend: 'fast' | 'native', seed: number): Promise<{ csv: string; optSteps: number }> {
  const spec = loadSpec(join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole.json'), 'dqn_boltzmann_cartpole', {
    sets: [`agent.net.backend=${backend}`, 'env.max_frame=400', 'meta.log_frequency=100'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'det-dqn-fast-'));
  const r = await runSession({ spec, seed, dir });
  return { csv: readFileSync(join(dir, 'metrics.csv'), 'utf8'), optSteps: r.optSteps };
}

describe('DQN on the fast path: same spec + same seed -> identical session CSVs apart from time columns', () => {
  it.each(FAST_PATH)('dqn_boltzmann_cartpole on %s', async (backend) => {
    const a = await dqnFastCsv(backend, 123);
    const b = await dqnFastCsv(backend, 123);
    const c = await dqnFastCsv(backend, 124);
    expect(a.optSteps).toBe(368); // training from vector step 9 on: 92 rounds x 2 batches x 2 steps
    expect(withoutTimeColumns(a.csv)).toEqual(withoutTimeColumns(b.csv));
    expect(withoutTimeColumns(a.csv)).not.toEqual(withoutTimeColumns(c.csv));
  });
});
