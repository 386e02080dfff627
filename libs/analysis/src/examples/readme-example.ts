import {
  SESSION_COLUMNS, analyzeTrial, envTarget, framesToTarget, parseCsv, randomBaseline, renderReport, reportTrial, sessionMetrics,
  svgToPng, tableToCsv, toCsv, trialMetrics, trialPlot, trialPlots, trialReturnStats,
} from '../index.js';
import type { ReportTrial, SessionData, SessionRow, TrialAnalysis, TrialMetrics, TrialPlotName, TrialReturnStats } from '../index.js';

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

/** Four sessions: return statistics with bootstrap intervals, frames to target, a plot (SVG, PNG), the report page. */
export function readmeReportExample(): { stats: TrialReturnStats; solvedAt: number | null; svg: string; png: Uint8Array; html: string } {
  const session = (peak: number): SessionRow[] =>
    [1, 2, 3, 4].map((i) => ({
      frame: i * 100_000, wall_time: i * 100, episodes: i * 500, opt_steps: i * 1000,
      return: (peak * i) / 4, return_ma: (peak * i) / 5, loss: 1 / i, lr: 3e-4, entropy: 0.6, explore_var: null, fps: 1000,
    }));
  const sessions = [session(500), session(600), session(450), session(800)];

  const finals = sessions.map((rows) => rows[rows.length - 1].return_ma ?? NaN); // 400, 480, 360, 640
  const stats = trialReturnStats(finals, { seed: 0 }); // mean 470, median 440, IQM 440, each with a 95% CI
  const target = envTarget('CartPole-v1') ?? Infinity; // 475, Gymnasium's reward_threshold
  const solvedAt = framesToTarget(sessions[1], target); // return_ma 120, 240, 360, 480 -> 400000

  const svg = trialPlot(sessions, { title: 'ppo_cartpole t0', target }); // mean, bootstrap band, faint sessions
  const png = svgToPng(svg, { width: 800 }); // 800 x 500 PNG bytes
  const opts = { randomBaseline: randomBaseline('CartPole-v1') ?? 0 };
  const html = renderReport({
    title: 'ppo_cartpole', envId: 'CartPole-v1', spec: { name: 'ppo_cartpole' }, provenance: { git_sha: 'abc123' },
    trials: [{
      name: 't0', metrics: trialMetrics(sessions, opts),
      sessions: sessions.map((rows, j) => ({ name: `s${j}`, metrics: sessionMetrics(rows, opts), rows })),
    }],
  }); // one self-contained page; the lab writes it to report.html
  return { stats, solvedAt, svg, png, html };
}

/** A trial's whole analysis from its sessions' rows: what the lab writes as trial_metrics.json / .csv, the trial plots, a report entry. */
export function readmeTrialExample(): { analysis: TrialAnalysis; plots: Record<TrialPlotName, string>; entry: ReportTrial | null; table: string } {
  const rows = (peak: number): SessionRow[] =>
    [1, 2, 3].map((i) => ({
      frame: i * 1000, wall_time: i * 10, episodes: i * 20, opt_steps: i * 10,
      return: (peak * i) / 3, return_ma: (peak * i) / 3, loss: null, lr: null, entropy: null, explore_var: null, fps: null,
    }));
  const sessions: SessionData[] = [{ session: 0, rows: rows(480), evalRows: null }, { session: 1, rows: rows(520), evalRows: null }];

  const analysis = analyzeTrial(sessions, { envId: 'CartPole-v1', seed: 7, evaluating: false });
  // analysis.metrics: SLM Lab's trial metrics, then final_return_ma (mean 500, median, IQM with 95% CIs),
  // frames_to_target 3000 (the mean curve 166.7, 333.3, 500 first reaches 475 there), sessions_reached_target 2;
  // analysis.csv: trial_metrics.csv, one line per checkpoint (frame, sessions, return_mean, return_ma mean/min/max)
  const plots = trialPlots(sessions.map((s) => s.rows), { title: 'ppo_cartpole t0', target: envTarget('CartPole-v1'), seed: 7 });
  const entry = reportTrial('t0', sessions, analysis); // one trial of renderReport's input
  const table = tableToCsv([{ trial: 0, status: 'completed', stopped_early: false, lr: 3e-4 }], ['trial', 'status', 'stopped_early', 'lr']);
  return { analysis, plots, entry, table }; // table: experiment.csv's format, "trial,status,stopped_early,lr\n0,completed,false,0.0003\n"
}
