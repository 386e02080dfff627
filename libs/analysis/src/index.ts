export * from './columns.js';
export { toCsv, tableToCsv, csvCell, parseCsv, CsvError } from './csv.js';
export type { CsvCell, CsvTable } from './csv.js';
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
export { TRIAL_COLUMNS, aggregateTrialCsv, aggregateTrialRows } from './trial-table.js';
export type { TrialColumn, TrialRow } from './trial-table.js';
export {
  BOOTSTRAP_CONFIDENCE,
  BOOTSTRAP_REPS,
  analyzeTrial,
  finalReturnMa,
  reportTrial,
  trialMeanCurve,
  trialStatistics,
} from './trial-analysis.js';
export type {
  SessionAtTarget,
  SessionData,
  TrialAnalysis,
  TrialAnalysisOptions,
  TrialMeanCurve,
  TrialMetricsRecord,
  TrialStatistics,
} from './trial-analysis.js';
export { AnalysisError } from './errors.js';
export { mean, median, iqm, quantileSorted, sampleStd, finiteValues, meanOrNull } from './stats/summary.js';
export { seededRng, seededUniform } from './stats/rng.js';
export type { Uniform } from './stats/rng.js';
export { bootstrapCi, bootstrapCis, trialReturnStats } from './stats/bootstrap.js';
export type { BootstrapOptions, ConfidenceInterval, Estimate, Statistic, TrialReturnStats } from './stats/bootstrap.js';
export { ENV_TARGETS, envTarget, firstIndexAtTarget, framesToTarget, secondsToTarget } from './stats/targets.js';
export type { TargetRow } from './stats/targets.js';
export { renderChart } from './plot/chart.js';
export type { ChartSpec, LineSeries, ScatterSeries, ReferenceLine } from './plot/chart-types.js';
export { PALETTE, seriesColor, viridis } from './plot/color.js';
export { escapeXml } from './plot/xml.js';
export { svgToPng } from './plot/png.js';
export type { PngOptions } from './plot/png.js';
export {
  SESSION_PLOT_COLUMNS,
  SESSION_PLOT_NAMES,
  TRIAL_PLOT_NAMES,
  sessionPlots,
  trialSeries,
  trialPlot,
  trialPlots,
  comparisonPlot,
  comparisonChart,
} from './plot/session-plots.js';
export type {
  SessionPlotColumn,
  SessionPlotRow,
  SessionPlotName,
  SessionPlots,
  SessionPlotOptions,
  TrialSeriesOptions,
  TrialSeries,
  TrialPlotOptions,
  TrialPlotName,
  ComparisonRun,
  ComparisonOptions,
  ComparisonLine,
  ComparisonChart,
} from './plot/session-plots.js';
export { experimentPlots } from './plot/experiment-plots.js';
export type { ExperimentRow, ExperimentPlotOptions } from './plot/experiment-plots.js';
export { renderReport } from './report/report-html.js';
export type { ReportInput, ReportRecording, ReportTrial, ReportSession, ReportExperiment } from './report/report-types.js';
export { formatNumber } from './report/format.js';
