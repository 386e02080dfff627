import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import { runSession } from './session.js';
import { SHARED_SPECS, withoutTimeColumns } from '../test-utils/paths.js';

describe('SAC on backend fast: same seed -> identical session CSVs apart from time columns', () => {
  it('sac_pendulum, small (2 envs x 320 frames, nets 32x32, batch 64), a row every 80 frames', async () => {
    const spec = loadSpec(join(SHARED_SPECS, 'benchmark/sac/sac_pendulum.json'), 'sac_pendulum', {
      sets: ['agent.net.backend=fast', 'env.num_envs=2', 'env.max_frame=320', 'meta.log_frequency=80', 'agent.net.hid_layers=[32,32]', 'agent.memory.batch_size=64', 'agent.algorithm.training_start_step=64', 'agent.algorithm.training_iter=1'],
    });
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
  });
});
