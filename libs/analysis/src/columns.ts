/**
 * Metric names: the one place that names every column of the session and eval CSVs and every
 * scalar metric of a session or trial. CSV writers, TensorBoard tags and plots read these same
 * constants, so a name is spelled once.
 */

/**
 * Columns of a session's training CSV (`metrics.csv`), in file order. One row per checkpoint.
 * - `frame`: environment steps so far, summed over the vector envs.
 * - `wall_time`: seconds since the session started.
 * - `episodes`: episodes finished so far (all vector envs).
 * - `opt_steps`: optimizer steps (gradient updates) so far.
 * - `return`: the return at this checkpoint (SLM Lab's `total_reward`); null before the first
 *   episode ends.
 * - `return_ma`: the mean return of the last 100 finished episodes. SLM Lab's `total_reward_ma` is
 *   not this: it averages the `total_reward` of the last 100 checkpoint rows (see session-trial.ts).
 * - `loss`, `lr`, `entropy`, `explore_var`: training diagnostics; null when the algorithm has none.
 * - `fps`: frames per second of wall time since the previous checkpoint.
 */
export const SESSION_COLUMNS = [
  'frame',
  'wall_time',
  'episodes',
  'opt_steps',
  'return',
  'return_ma',
  'loss',
  'lr',
  'entropy',
  'explore_var',
  'fps',
] as const;
export type SessionColumn = (typeof SESSION_COLUMNS)[number];
/** One checkpoint row of the training CSV; null is an empty cell. */
export type SessionRow = Record<SessionColumn, number | null>;

/**
 * Columns of a session's eval CSV (`eval_metrics.csv`), in file order. One row per evaluation.
 * - `frame`, `wall_time`: as in {@link SESSION_COLUMNS}, at the time of the evaluation.
 * - `eval_return`: the mean return of the evaluation episodes.
 * - `eval_return_ma`: the mean of the last 100 `eval_return` values (evaluations, not episodes).
 * - `opt_steps`: optimizer steps so far (needed for training efficiency of eval metrics).
 */
export const EVAL_COLUMNS = ['frame', 'wall_time', 'eval_return', 'eval_return_ma', 'opt_steps'] as const;
export type EvalColumn = (typeof EVAL_COLUMNS)[number];
/** One row of the eval CSV; null is an empty cell. */
export type EvalRow = Record<EvalColumn, number | null>;

/** Scalar metrics of one session, in SLM Lab's order (its `METRICS_COLS` without `consistency`). */
export const SESSION_METRIC_NAMES = [
  'frame',
  'total_reward_ma',
  'strength',
  'max_strength',
  'final_strength',
  'sample_efficiency',
  'training_efficiency',
  'stability',
] as const;
export type SessionMetricName = (typeof SESSION_METRIC_NAMES)[number];

/** Scalar metrics of a trial: SLM Lab v5's `METRICS_COLS`, in its order. */
export const TRIAL_METRIC_NAMES = [...SESSION_METRIC_NAMES, 'consistency'] as const;
export type TrialMetricName = (typeof TRIAL_METRIC_NAMES)[number];

/** Session metrics; null where SLM Lab's value would be NaN or infinite (undefined). */
export type SessionMetrics = Record<SessionMetricName, number | null>;
/** Trial metrics; null where SLM Lab's value would be NaN or infinite (undefined). */
export type TrialMetrics = Record<TrialMetricName, number | null>;
