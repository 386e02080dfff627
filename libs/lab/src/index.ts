export { analyzeRun, type AnalyzeResult } from './analyze.js';
export {
  COMPARISON_FILES,
  plotRuns,
  type PlotRunsOptions,
  type PlotRunsResult,
  type PlottedTrial,
} from './analyze-compare.js';
export {
  RunFolderError,
  readRunFiles,
  readTrialFiles,
  runLabel,
  type RunFiles,
  type SessionFiles,
  type TrialFiles,
} from './analyze-read.js';
export {
  BOOTSTRAP_CONFIDENCE,
  BOOTSTRAP_REPS,
  analysisSeed,
  analyzeTrial,
  finalReturnMa,
  trialMeanCurve,
  trialStatistics,
  type SessionAtTarget,
  type SessionData,
  type TrialAnalysis,
  type TrialAnalysisOptions,
  type TrialMeanCurve,
  type TrialMetricsRecord,
  type TrialStatistics,
} from './analyze-trial.js';
export {
  PLOTS_DIR,
  PNG_WIDTH,
  TRIAL_PLOT_NAMES,
  analyzeTrialFolder,
  writeIfChanged,
  type TrialFolderAnalysis,
  type WrittenFile,
} from './analyze-write.js';
export { REPORT_FILE, runReportInput, writeRunReport } from './report-write.js';
export { Clock, ReturnTracker } from './clock.js';
export {
  CHECKPOINT_FORMAT,
  CheckpointError,
  checkStateFits,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointInfo,
} from './checkpoint.js';
export { defaultDeps, type EnvOptions, type SessionDeps } from './deps.js';
export { enjoy, loadRunSpec, locateSession, type EnjoyOptions, type EnjoyResult } from './enjoy.js';
export { createExclusiveDir, writeFileAtomic, writeJsonAtomic } from './fs-utils.js';
export { codeDir, gitInfo, lockfileHash, type GitInfo, type Provenance, type ProvenanceStatus } from './provenance.js';
export {
  PreflightError,
  drawSeed,
  isInputError,
  preflight,
  runSpec,
  specFileContent,
  type Preflight,
  type PreflightOptions,
  type RunMode,
  type RunOptions,
  type RunResult,
} from './run.js';
export * from './run-folder.js';
export {
  deriveSessionSeeds,
  evaluateEpisodes,
  runSession,
  type RunStatus,
  type SessionOptions,
  type SessionProgress,
  type SessionResult,
  type SessionSeeds,
} from './session.js';
export { SessionFailedError, defaultWorkerPath, runTrial, sessionSeeds, type TrialOptions, type TrialResult } from './trial.js';
export { TRIAL_COLUMNS, aggregateTrialRows, type TrialRow } from './trial-table.js';
export {
  CheckpointMeans,
  checkTrialSpec,
  runExperimentTrial,
  trialSessionSeeds,
  writeRemoteSessions,
  writeRemoteTrial,
  type ExperimentTrialOptions,
  type ExperimentTrialOutcome,
  type RemoteSessionRows,
  type TrialCheckpoint,
} from './experiment-trial.js';
export { buildTrialSpec, experimentTrialSeed, trialSpecBody, valueCell, type TrialValues } from './experiment-spec.js';
export {
  DEFAULT_RANK_METRIC,
  RANK_METRICS,
  bestTrial,
  experimentColumns,
  experimentCsv,
  experimentRows,
  isRankMetric,
  rankTrials,
  rankValue,
  type ExperimentTrialRecord,
  type RankMetric,
  type TrialState,
} from './experiment-table.js';
export {
  BEST_SPEC_FILE,
  EXPERIMENT_CSV,
  EXPERIMENT_FILE,
  EXPERIMENT_FORMAT,
  ExperimentFolderError,
  createExperimentFolder,
  experimentReportInput,
  finishExperimentProvenance,
  readExperimentState,
  setTrialFolderAside,
  writeExperimentOutputs,
  writeExperimentState,
  writeTrialSpec,
  type ExperimentFolderOptions,
  type ExperimentOutputs,
  type ExperimentProvenance,
  type ExperimentState,
} from './experiment-folder.js';
export { experimentProgress, formatExperimentProgress, type ExperimentProgress } from './experiment-progress.js';
export { SessionTensorBoard, TB_EVAL_COLUMNS, TB_TAGS, TENSORBOARD_DIR, tensorboardDir, trialGroupName, type SessionTensorBoardInit } from './tb-log.js';
export { specHParams } from './tb-hparams.js';
