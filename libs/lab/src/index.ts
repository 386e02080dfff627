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
export { Clock, ReturnTracker } from './session/clock.js';
export {
  CHECKPOINT_FORMAT,
  CheckpointError,
  checkEnvStatsFit,
  checkStateFits,
  loadCheckpoint,
  manifestChecksum,
  RESUME_TENSOR_PREFIX,
  saveCheckpoint,
  type CheckpointInfo,
  type LoadCheckpointOptions,
  type SaveCheckpointOptions,
} from './run/checkpoint.js';
export { defaultDeps, type EnvOptions, type SessionDeps } from './session/deps.js';
export { normalizationOptions } from './session/env-normalization.js';
export { enjoy, formatEnjoy, loadRunSpec, locateSession, type EnjoyOptions, type EnjoyResult } from './session/enjoy.js';
export { WriteError, createExclusiveDir, isWriteFailure, nodeWriteIo, writeFileAtomic, writeJsonAtomic, type WriteIo, type WriteOptions } from './run/fs-utils.js';
export { codeDir, currentOwner, currentStatus, gitInfo, lockfileHash, ownerAlive, runStatusLine, statusLine, type GitInfo, type ProcessOwner, type Provenance, type ProvenanceStatus } from './run/provenance.js';
export { resumeRun, type ResumeOptions, type ResumeResult } from './run/resume.js';
export { searchTrialOf, type SearchTrialRef, type SearchTrialResult } from './experiment/trial-resume.js';
export { RESUME_VERSION, parseResumeState, readResumeCheckpoint, writeResumeCheckpoint, type ResumeCheckpoint, type SessionResumeState } from './session/resume-state.js';
export {
  NotBuiltYetError,
  PreflightError,
  checkRunnable,
  checkSpec,
  envOptionsOf,
  type Runnability,
  drawSeed,
  isInputError,
  preflight,
  runSpec,
  runTrialToEnd,
  specFileContent,
  type TrialRunPlan,
  type Preflight,
  type PreflightOptions,
  type RunMode,
  type RunOptions,
  type RunResult,
} from './run/run.js';
export * from './run/run-folder.js';
export {
  deriveSessionSeeds,
  evaluateEpisodes,
  runSession,
  type RunStatus,
  type SessionOptions,
  type SessionProgress,
  type SessionResult,
  type SessionSeeds,
} from './session/session.js';
export { SessionFailedError, defaultWorkerPath, isDevCheckFailure, runTrial, sessionSeeds, type TrialOptions, type TrialResult } from './trial/trial.js';
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
} from './experiment/trial-run.js';
export { buildTrialSpec, experimentTrialSeed, trialSpecBody, valueCell, type TrialValues } from './experiment/trial-spec.js';
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
} from './experiment/table.js';
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
  isSearchFolder,
  setTrialFolderAside,
  writeExperimentOutputs,
  writeExperimentState,
  writeTrialSpec,
  type ExperimentFolderOptions,
  type ExperimentOutputs,
  type ExperimentProvenance,
  type ExperimentState,
} from './experiment/folder.js';
export { experimentProgress, formatExperimentProgress, type ExperimentProgress } from './experiment/progress.js';
export { SessionTensorBoard, TB_EVAL_COLUMNS, TB_TAGS, TENSORBOARD_DIR, tensorboardDir, trialGroupName, type SessionTensorBoardInit } from './session/tb-log.js';
export { specHParams } from './session/tb-hparams.js';
export { Asha, ashaMilestones, ashaProblem, type AshaConfig, type AshaDecision, type Rung } from './experiment/asha.js';
export { runSearch, type DriverOptions } from './experiment/driver.js';
export type { TrialExecutor, TrialJob, TrialRun, TrialRunResult } from './experiment/executor.js';
export { LocalExecutor } from './experiment/local-executor.js';
export { searchCommand, searchReporter, type SearchCommand, type SearchPrinter } from './experiment/command.js';
export { createRunContext, withRun, type RunContext, type RunContextOptions, type RunPart, type SessionRunner } from './run/context.js';
export { RedisExecutor, type RedisExecutorOptions } from './experiment/redis-executor.js';
export { DEFAULT_QUEUE, RedisAddressError, checkRedisUrl, trialJobId, type TrialJobData, type TrialJobResult } from './experiment/redis-protocol.js';
export { runWorker, type WorkerOptions } from './experiment/redis-worker.js';
export { STREAM, searchStream, type SearchRng } from './experiment/rng.js';
export { GridSampler, RandomSampler, randomValues } from './experiment/samplers/random.js';
export { SAMPLER_NAMES, type Observation, type Proposal, type Sampler, type SamplerName, type Values } from './experiment/samplers/sampler.js';
export { TpeSampler, defaultWeights, nBelow, rankForSplit, type TpeOptions } from './experiment/samplers/tpe.js';
export { DEFAULT_REDIS_CONCURRENCY, dryRunSearch, resumeSearch, startSearch, type CommonOptions, type DryRunOptions, type DryRunResult, type ExecutorChoice, type SearchOptions, type SearchResult } from './experiment/search.js';
export { localResources, makeSampler, orderValues, planSearch, type Resources, type SearchPlan } from './experiment/search-plan.js';
export { drawRandom, edgeValues, gridPoints, latticeValue, toParams, type Param } from './experiment/space.js';
export { cell, formatDryRun, formatSummary, table } from './experiment/format.js';
export { newExperimentState } from './experiment/search.js';
export { formatReproduce, reproduce, readReproduceRecord, type FileDifference, type ReproduceOptions, type ReproduceRecord, type ReproduceResult } from './run/reproduce.js';
export { TIME_COLUMNS, firstCsvDifference, type CsvDifference } from './run/csv-compare.js';
export { MAX_ENJOY_EPISODES, MAX_RECORD_FRAMES, RECORD_FORMATS, RECORD_WIDTH, Recorder, findFfmpeg, recordTarget, type RecordFormat, type RecordTarget, type RecorderInfo } from './session/record.js';
export { type EpisodeHooks } from './session/session.js';
