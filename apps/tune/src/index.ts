/** gymlab-tune: hyperparameter search (samplers, ASHA, local and BullMQ executors) and its command line. */
export { Asha, ashaMilestones, ashaProblem, type AshaConfig, type AshaDecision, type Rung } from './asha.js';
export { runSearch, type DriverOptions } from './driver.js';
export type { TrialExecutor, TrialJob, TrialRun, TrialRunResult } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local-executor.js';
export { EXIT, UsageError, main, type Io } from './main.js';
export { RedisExecutor, type RedisExecutorOptions } from './redis-executor.js';
export { DEFAULT_QUEUE, RedisAddressError, checkRedisUrl, trialJobId, type TrialJobData, type TrialJobResult } from './redis-protocol.js';
export { runWorker, type WorkerOptions } from './redis-worker.js';
export { STREAM, SearchRng, streamSeed } from './rng.js';
export { GridSampler, RandomSampler, randomValues } from './samplers/random.js';
export { SAMPLER_NAMES, type Observation, type Proposal, type Sampler, type SamplerName, type Values } from './samplers/sampler.js';
export { TpeSampler, defaultWeights, nBelow, rankForSplit, type TpeOptions } from './samplers/tpe.js';
export { DEFAULT_REDIS_CONCURRENCY, dryRunSearch, resumeSearch, startSearch, type DryRunOptions, type DryRunResult, type SearchOptions, type SearchResult } from './search.js';
export { localResources, makeSampler, orderValues, planSearch, type Resources, type SearchPlan } from './search-plan.js';
export { drawRandom, edgeValues, gridPoints, latticeValue, toParams, type Param } from './space.js';
