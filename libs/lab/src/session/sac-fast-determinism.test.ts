import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeKernelsAvailable } from '@gymlab/backends';
import { loadSpec, type Spec } from '@gymlab/spec';
import { runSession } from './session.js';
import { SHARED_SPECS, withoutTimeColumns } from '../test-utils/paths.js';

/** Sessions of seeds 5, 5 and 6 on `backend`: the first two CSVs equal (time columns aside), the third differs. */
async function expectSameSeedSameCsv(spec: Spec, backend: string): Promise<void> {
  const csvOf = async (seed: number): Promise<{ csv: string[]; optSteps: number; backend: string }> => {
    const dir = mkdtempSync(join(tmpdir(), 'det-sac-fast-'));
    const r = await runSession({ spec, seed, dir });
    return { csv: withoutTimeColumns(readFileSync(join(dir, 'metrics.csv'), 'utf8')), optSteps: r.optSteps, backend: r.backend };
  };
  const [a, b, c] = [await csvOf(5), await csvOf(5), await csvOf(6)];
  expect(a.backend).toBe(backend);
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

// native where the build makes it (backends' kernels.test.ts fails where it should and does not)
describe.each(['fast', ...(nativeKernelsAvailable() ? ['native'] : [])])('the SAC family on backend %s: same seed -> identical session CSVs apart from time columns', (backend) => {
  it('sac_pendulum, small (2 envs x 320 frames, nets 32x32, batch 64), a row every 80 frames', async () => {
    await expectSameSeedSameCsv(loadSpec(join(SHARED_SPECS, 'benchmark/sac/sac_pendulum.json'), 'sac_pendulum', { sets: [`agent.net.backend=${backend}`, 'agent.net.hid_layers=[32,32]', ...SMALL] }), backend);
  });

  it('crossq_pendulum (crossq_classic.yaml), small: BatchRenorm critics of width 32, the same schedule', async () => {
    const file = join(SHARED_SPECS, '../slm_lab_specs_next/benchmark/crossq/crossq_classic.yaml');
    await expectSameSeedSameCsv(loadSpec(file, 'crossq_pendulum', { sets: [`agent.net.backend=${backend}`, `agent.net.arc=${arc(false)}`, `agent.critic_net.arc=${arc(true)}`, ...SMALL] }), backend);
  });
});
