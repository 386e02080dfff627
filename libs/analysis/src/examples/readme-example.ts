import { SESSION_COLUMNS, parseCsv, randomBaseline, sessionMetrics, toCsv, trialMetrics } from '../index.js';
import type { SessionRow, TrialMetrics } from '../index.js';

/** Two sessions of three checkpoints each: rows -> CSV -> rows -> session and trial metrics. */
export function readmeExample(): { csv: string; sessionStrength: number | null; trial: TrialMetrics } {
  const checkpoint = (frame: number, ret: number, retMa: number): SessionRow => ({
    frame, wall_time: frame / 1000, episodes: frame / 50, opt_steps: frame / 64,
    return: ret, return_ma: retMa, loss: 0.5, lr: 3e-4, entropy: 0.69, explore_var: null, fps: 1000,
  });
  const s0 = [checkpoint(256, 20, 20), checkpoint(512, 60, 40), checkpoint(768, 100, 60)];
  const s1 = [checkpoint(256, 30, 30), checkpoint(512, 50, 40), checkpoint(768, 140, 73.3)];

  const csv = toCsv(s0, SESSION_COLUMNS); // what a session writes to metrics.csv
  const back = parseCsv(csv, SESSION_COLUMNS).rows; // numbers round-trip exactly

  const opts = { randomBaseline: randomBaseline('CartPole-v1') ?? 0 }; // 22.97
  const sessionStrength = sessionMetrics(back, opts).strength; // mean(return) - 22.97 = 37.03
  const trial = trialMetrics([back, s1], opts); // means over sessions, plus consistency
  return { csv, sessionStrength, trial };
}
