/**
 * The lab's part of a trial's analysis: the bootstrap seed of a run. The analysis itself (session
 * and trial metrics, statistics, the trial table) is pure and lives in `@gymlab/analysis`
 * (`analyzeTrial`, `trialStatistics`, ...); it is re-exported here for the lab's modules.
 */
import { Rng } from '@gymlab/random';

// re-exported so the lab's modules (trial, experiment-*) keep importing them from here
export { BOOTSTRAP_CONFIDENCE, BOOTSTRAP_REPS, analyzeTrial, finalReturnMa, trialMeanCurve, trialStatistics } from '@gymlab/analysis';
export type { SessionAtTarget, SessionData, TrialAnalysis, TrialAnalysisOptions, TrialMeanCurve, TrialMetricsRecord, TrialStatistics } from '@gymlab/analysis';

const ANALYSIS_SALT = 0x5eed_a11a;

/**
 * The seed of a run's bootstrap intervals, derived from its base seed (`meta.random_seed`): the
 * first `deriveSeed()` of `Rng((baseSeed XOR 0x5eeda11a) >>> 0)` (low 32 bits of the base seed).
 * A stream of its own, so it never equals a session seed by construction.
 */
export function analysisSeed(baseSeed: number): number {
  return new Rng((baseSeed ^ ANALYSIS_SALT) >>> 0).deriveSeed();
}
