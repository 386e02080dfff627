import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PreflightError, runSpec } from './run.js';
import { testContext } from '../test-utils/context.js';
import { ensureLabBuilt, withoutTimeColumns } from '../test-utils/paths.js';

/** SLM Lab 5.3's spec files in ../shared (read-only). */
const NEXT = fileURLToPath(new URL('../../../../../shared/slm_lab_specs_next/', import.meta.url));
const dataDir = (): string => mkdtempSync(join(tmpdir(), 'lab-nets-'));
const small = ['agent.net.backend=wasm', 'env.max_frame=200', 'meta.log_frequency=100', 'meta.random_seed=4'];

describe('every net type the factory builds runs through the lab in dev mode (dev checks on)', () => {
  beforeAll(() => ensureLabBuilt(), 300_000);

  const cases: [string, string, string, string[]][] = [
    ['PPO on TorchArcNet (ppo_cartpole_arc)', 'benchmark_arc/ppo/ppo_classic_arc.yaml', 'ppo_cartpole_arc', ['agent.algorithm.time_horizon=32', 'agent.algorithm.minibatch_size=32', 'agent.algorithm.training_epoch=2']],
    ['DQN on TorchArcNet (dqn_boltzmann_cartpole_arc)', 'benchmark_arc/dqn/dqn_classic_arc.yaml', 'dqn_boltzmann_cartpole_arc', []],
    ['DoubleDQN + PER on TorchArcNet, ReLU layers (ddqn_per_acrobot_arc)', 'benchmark_arc/dqn/dqn_classic_arc.yaml', 'ddqn_per_acrobot_arc', []],
    // the file's polyak_coef 0 is refused by the spec check (it would never update the target net)
    ['DQN on DuelingMLPNet (dueling_dqn_boltzmann_cartpole)', 'experimental/dqn/dueling_dqn_cartpole.json', 'dueling_dqn_boltzmann_cartpole', ['agent.net.polyak_coef=0.01']],
  ];
  for (const [name, file, specName, sets] of cases) {
    it(name, async () => {
      const r = await runSpec({ specFile: join(NEXT, file), specName, mode: 'dev', sets: [...small, ...sets] }, testContext({ dataDir: dataDir(), inProcess: true }));
      expect(r.status).toBe('completed');
      const rows = r.trial.sessions[0].rows;
      expect(rows[rows.length - 1].frame).toBeGreaterThanOrEqual(200);
      expect(rows[rows.length - 1].opt_steps).toBeGreaterThan(0);
      expect(rows.some((row) => Number.isFinite(row.loss ?? Number.NaN))).toBe(true);
    }, 120_000);
  }

  it('same seed, same TorchArcNet session CSV (time columns aside)', async () => {
    const data = dataDir();
    const run = () => runSpec({ specFile: join(NEXT, 'benchmark_arc/dqn/dqn_classic_arc.yaml'), specName: 'dqn_epsilon_greedy_cartpole_arc', mode: 'dev', sets: small }, testContext({ dataDir: data, inProcess: true }));
    const [a, b] = [await run(), await run()];
    const csv = (dir: string): string[] => withoutTimeColumns(readFileSync(join(dir, 'trial_0', 'session_0', 'metrics.csv'), 'utf8'));
    expect(csv(a.runDir)).toEqual(csv(b.runDir));
  }, 120_000);

  it('a TorchArcNet module gymlab has not built (MaxPool2d) is refused in one line before any folder exists', async () => {
    const sets = [...small, 'agent.net.arc={"modules":{"body":{"Sequential":[{"MaxPool2d":{"kernel_size":2}}]}},"graph":{"input":"x","modules":{"body":["x"]},"output":"body"}}'];
    const err = await runSpec({ specFile: join(NEXT, 'benchmark_arc/dqn/dqn_classic_arc.yaml'), specName: 'dqn_boltzmann_cartpole_arc', mode: 'dev', sets }, testContext({ dataDir: dataDir(), inProcess: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(/^\S+dqn_classic_arc\.yaml: dqn_boltzmann_cartpole_arc: TorchArcNet module MaxPool2d: not built yet; agent\.net\.arc\.modules\.body\.Sequential\[0\]: supported modules: /);
  });
});
