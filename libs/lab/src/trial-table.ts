/** The trial table (trial_metrics.csv) is pure and lives in `@gymlab/analysis`; re-exported for the lab's modules. */
export { TRIAL_COLUMNS, aggregateTrialCsv, aggregateTrialRows } from '@gymlab/analysis';
export type { TrialColumn, TrialRow } from '@gymlab/analysis';
