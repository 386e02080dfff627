export * from './columns.js';
export { toCsv, parseCsv, CsvError } from './csv.js';
export type { CsvTable } from './csv.js';
export { calcStrength, calcEfficiency, calcStability, calcConsistency } from './slm-metrics.js';
export {
  sessionMetrics,
  evalSessionMetrics,
  trialMetrics,
  evalTrialMetrics,
  analyzeSession,
  trialFromSessions,
  sessionSeries,
  evalSessionSeries,
} from './session-trial.js';
export type { SessionSeries, SessionAnalysis, MetricsOptions } from './session-trial.js';
export { RANDOM_BASELINES, randomBaseline } from './random-baseline.js';
