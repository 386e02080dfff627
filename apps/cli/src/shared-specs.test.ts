/**
 * Every PPO and DQN-family spec among SLM Lab's shared benchmark files runs to completion in dev
 * mode, shrunk with `-s env.max_frame=2000` (the Foundation issue's acceptance line). The Atari
 * specs of experimental/ppo_lam_search.json are left out: no Atari env is ported yet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_SPECS, ensureBuilt, runCli, tempDir } from './test-utils/cli.js';

const cases: readonly (readonly [string, string])[] = [
  ['benchmark/ppo/ppo_cartpole.json', 'ppo_cartpole'],
  ['benchmark/ppo/ppo_cartpole.yaml', 'ppo_cartpole'],
  ['benchmark/ppo/ppo_acrobot.json', 'ppo_acrobot'],
  ['benchmark/ppo/ppo_pendulum.json', 'ppo_pendulum'],
  ['demo.json', 'ppo_cartpole'],
  ['benchmark/dqn/dqn_cartpole.json', 'vanilla_dqn_boltzmann_cartpole'],
  ['benchmark/dqn/dqn_cartpole.json', 'dqn_boltzmann_cartpole'],
  ['benchmark/dqn/dqn_cartpole.json', 'ddqn_per_boltzmann_cartpole'],
  ['benchmark/dqn/dqn_cartpole.json', 'dqn_epsilon_greedy_cartpole'],
  ['benchmark/dqn/dqn_cartpole_hpo.json', 'dqn_epsilon_greedy_cartpole_hpo'],
  ['benchmark/dqn/ddqn_per_acrobot.json', 'ddqn_per_acrobot'],
];

describe('shared SLM Lab PPO and DQN specs in dev mode at 2000 frames', () => {
  ensureBuilt();
  for (const [file, name] of cases) {
    it(`${file} ${name}`, () => {
      const data = tempDir('shared');
      const r = runCli(['run', join(SHARED_SPECS, file), name, 'dev', '-s', 'env.max_frame=2000', '--data-dir', data], { timeout: 180_000 });
      expect(r.code, r.stderr).toBe(0);
      const [folder] = readdirSync(data);
      const runDir = join(data, folder);
      const prov = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
      expect(prov.status).toBe('completed');
      const rows = readFileSync(join(runDir, 'trial_0/session_0/metrics.csv'), 'utf8').trim().split('\n');
      expect(Number(rows[rows.length - 1].split(',')[0])).toBe(2000);
      const trial = JSON.parse(readFileSync(join(runDir, 'trial_0/trial_metrics.json'), 'utf8'));
      expect(Number.isFinite(trial.total_reward_ma)).toBe(true);
    }, 180_000);
  }
});
