/** Synthetic run data for the report tests: deterministic learning curves, no randomness source but a seeded one. */
import type { SessionPlotRow } from '../plot/session-plots.js';
import type { ReportInput } from '../report/report-types.js';
import { seededUniform } from '../stats/rng.js';
import { sessionMetrics, trialMetrics } from '../session-trial.js';
import type { SessionRow } from '../columns.js';

/** A CartPole-like learning curve of `n` checkpoints every 1000 frames, noisy by `seed`. */
export function syntheticSession(seed: number, n = 40): SessionRow[] {
  const u = seededUniform(seed);
  const rows: SessionRow[] = [];
  let ma = 20;
  for (let i = 0; i < n; i++) {
    const frame = (i + 1) * 1000;
    const ret = Math.min(500, 20 + 480 / (1 + Math.exp(-(i - n / 2 - seed) / 4)) + (u() - 0.5) * 40);
    ma = 0.8 * ma + 0.2 * ret;
    rows.push({
      frame, wall_time: frame / 800, episodes: i * 3, opt_steps: i * 10, return: ret, return_ma: ma,
      loss: 1 / (1 + i) + u() * 0.05, lr: 3e-4, entropy: 0.69 * Math.exp(-i / 50), explore_var: null, fps: 800,
    });
  }
  return rows;
}

/** A one-trial report input with `k` sessions on CartPole-v1, plus an experiment table. */
export function syntheticReport(k = 3, extra: Partial<ReportInput> = {}): ReportInput {
  const sessions = Array.from({ length: k }, (_, j) => syntheticSession(j));
  const opts = { randomBaseline: 22.97 };
  const u = seededUniform(99);
  const expRows = Array.from({ length: 12 }, (_, i) => ({ trial: i, lr: 10 ** (-5 + 3 * u()), gamma: 0.9 + 0.09 * u(), act: i % 2 ? 'relu' : 'tanh', strength: 100 + 300 * u() }));
  return {
    title: 'ppo_cartpole 2025_01_01_000000',
    envId: 'CartPole-v1',
    spec: { name: 'ppo_cartpole', agent: { algorithm: { name: 'PPO', gamma: 0.99 } }, env: { name: 'CartPole-v1' } },
    provenance: { git_sha: 'abc123', dirty: false, node: 'v20.20.2', seeds: [0, 1, 2] },
    trials: [
      {
        name: 't0',
        metrics: trialMetrics(sessions, opts),
        sessions: sessions.map((rows, j) => ({ name: `s${j}`, metrics: sessionMetrics(rows, opts), rows: rows as readonly SessionPlotRow[] })),
      },
    ],
    experiment: { rows: expRows, hyperparameters: ['lr', 'gamma', 'act'], metric: 'strength' },
    ...extra,
  };
}
