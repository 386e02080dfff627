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
