import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, type Spec } from '@gymlab/spec';
import { runSession } from './session.js';
import { SHARED_SPECS, withoutTimeColumns } from '../test-utils/paths.js';

/** Sessions of seeds 5, 5 and 6 on fast: the first two CSVs equal (time columns aside), the third differs. */
async function expectSameSeedSameCsv(spec: Spec): Promise<void> {
  const csvOf = async (seed: number): Promise<{ csv: string[]; optSteps: number; backend: string }> => {
    const dir = mkdtempSync(join(tmpdir(), 'det-sac-fast-'));
    const r = await runSession({ spec, seed, dir });
    return { csv: withoutTimeColumns(readFileSync(join(dir, 'metrics.csv'), 'utf8')), optSteps: r.optSteps, backend: r.backend };
  };
  const [a, b, c] = [await csvOf(5), await csvOf(5), await csvOf(6)];
  expect(a.backend).toBe('fast');
  expect(a.optSteps).toBeGreaterThan(0);
  expect(a.csv.length).toBeGreaterThan(3);
  expect(a.csv).toEqual(b.csv);
  expect(a.csv).not.toEqual(c.csv);
}

const SMALL = ['env.num_envs=2', 'env.max_frame=320', 'meta.log_frequency=80', 'agent.memory.batch_size=64', 'agent.algorithm.training_start_step=64', 'agent.algorithm.training_iter=1'];

/** crossq_classic.yaml's arcs at width 32. */
const arc = (brn: boolean): string => {
  const block = (size: number): unknown[] => [{ LazyLinear: { out_features: size } }, ...(brn ? [{ LazyBatchRenorm1d: { momentum: 0.01, eps: 0.001, warmup_steps: 100 } }] : []), { ReLU: null }];
  return JSON.stringify({ modules: { body: { Sequential: [...block(32), ...block(32)] } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } });
};

describe('the SAC family on backend fast: same seed -> identical session CSVs apart from time columns', () => {
  it('sac_pendulum, small (2 envs x 320 frames, nets 32x32, batch 64), a row every 80 frames', async () => {
    await expectSameSeedSameCsv(loadSpec(join(SHARED_SPECS, 'benchmark/sac/sac_pendulum.json'), 'sac_pendulum', { sets: ['agent.net.backend=fast', 'agent.net.hid_layers=[32,32]', ...SMALL] }));
  });

  it('crossq_pendulum (crossq_classic.yaml), small: BatchRenorm critics of width 32, the same schedule', async () => {
    const file = join(SHARED_SPECS, '../slm_lab_specs_next/benchmark/crossq/crossq_classic.yaml');
    await expectSameSeedSameCsv(loadSpec(file, 'crossq_pendulum', { sets: ['agent.net.backend=fast', `agent.net.arc=${arc(false)}`, `agent.critic_net.arc=${arc(true)}`, ...SMALL] }));
  });
});
