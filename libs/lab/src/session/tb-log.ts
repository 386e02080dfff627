/**
 * What a Session writes to TensorBoard, into `<session folder>/tensorboard/` (one event folder per
 * session, so TensorBoard overlays the sessions of a trial and the trials of an experiment).
 *
 * At each metrics row, step = the row's frame:
 * - one event with every non-null column of `metrics.csv` but `frame` (`SESSION_COLUMNS`: return,
 *   return_ma, loss, lr, entropy, explore_var, fps, wall_time, episodes, opt_steps), the last
 *   update's gradient norm (`grad_norm`) and loss terms (`loss/<term>`);
 * - a histogram of every tensor of `agent.weights()` (`weights/<name>`, NaN/±Infinity left out);
 * - the actions taken since the previous row (`actions`, or `actions/<d>` per Box dimension).
 * At each evaluation: `eval_return`, `eval_return_ma`.
 * At the start: the HParams session start (the spec's hyperparameters, group `trial_<t>`) and the
 * resolved spec as text (`spec`). At the end: the session metrics as `metrics/<name>` (and
 * `eval_metrics/<name>`) at the last frame, then the HParams session end, then close.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../run/fs-utils.js';
import type { Agent, TrainStats } from '@gymlab/agents';
import { SESSION_COLUMNS, SESSION_METRIC_NAMES } from '@gymlab/analysis';
import type { EvalColumn, EvalRow, SessionMetrics, SessionRow } from '@gymlab/analysis';
import type { ActionBatch, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { EventWriter } from '@gymlab/tensorboard';
import type { EventWriterOptions, SessionStatus } from '@gymlab/tensorboard';
import { actionRecorder } from './tb-actions.js';
import type { ActionRecorder } from './tb-actions.js';
import { specHParams } from './tb-hparams.js';

/** The event folder inside a session folder. */
export const TENSORBOARD_DIR = 'tensorboard';

/** TensorBoard tags that are not metrics.csv columns (those keep their column names). */
export const TB_TAGS = {
  gradNorm: 'grad_norm',
  lossTermPrefix: 'loss/',
  weightsPrefix: 'weights/',
  metricsPrefix: 'metrics/',
  evalMetricsPrefix: 'eval_metrics/',
  spec: 'spec',
} as const;

/** The eval.csv columns written as scalars at each evaluation. */
export const TB_EVAL_COLUMNS = ['eval_return', 'eval_return_ma'] as const satisfies readonly EvalColumn[];

/** HParams group of a trial's sessions: the trial's folder name. */
export function trialGroupName(trial: number): string {
  return `trial_${trial}`;
}

/** `<session folder>/tensorboard`. */
export function tensorboardDir(sessionFolder: string): string {
  return join(sessionFolder, TENSORBOARD_DIR);
}

export interface SessionTensorBoardInit {
  /** The session folder; events go to `<sessionFolder>/tensorboard/`. */
  readonly sessionFolder: string;
  readonly spec: Spec;
  readonly trial: number;
  /** The action space of one sub-env. */
  readonly actionSpace: Space;
  /** Writer options (tests pass a clock, hostname, pid). */
  readonly writer?: EventWriterOptions;
}

/** The row's scalars: every non-null metrics.csv column but `frame`, plus `grad_norm` and `loss/<term>`. */
export function rowScalars(row: SessionRow, stats: TrainStats | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of SESSION_COLUMNS) {
    const v = row[c];
    if (c !== 'frame' && v !== null) out[c] = v;
  }
  if (stats !== null) {
    out[TB_TAGS.gradNorm] = stats.gradNorm;
    for (const [term, v] of Object.entries(stats.terms)) out[`${TB_TAGS.lossTermPrefix}${term}`] = v;
  }
  return out;
}

/** Non-null metrics as scalars named `${prefix}<metric>`. */
export function metricScalars(metrics: SessionMetrics, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of SESSION_METRIC_NAMES) {
    const v = metrics[name];
    if (v !== null) out[`${prefix}${name}`] = v;
  }
  return out;
}

/** Where a session's TensorBoard log stood at a checkpoint, and what it held for the next row. */
export interface TensorBoardPosition {
  /** The event file's name (in `<session>/tensorboard/`) and its length in bytes, flushed. */
  readonly file: string;
  readonly bytes: number;
  /** The latest update's stats, for the next row's `grad_norm` and `loss/<term>`. */
  readonly lastStats: TrainStats | null;
  /** The actions recorded since the last row (`ActionRecorder.getState`). */
  readonly actions: readonly number[];
}

const EVENT_FILE_PREFIX = 'events.out.tfevents.';

/**
 * Drops what a stopped session wrote to TensorBoard after `at` (null: everything): the file `at`
 * names is cut back to its recorded length (written whole), event files after it (by name, i.e.
 * by creation time) are deleted, earlier ones kept.
 */
export function dropEventsAfter(sessionFolder: string, at: Pick<TensorBoardPosition, 'file' | 'bytes'> | null): void {
  const dir = tensorboardDir(sessionFolder);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.startsWith(EVENT_FILE_PREFIX))) {
    const path = join(dir, name);
    if (at === null || name > at.file) rmSync(path, { force: true });
    else if (name === at.file && statSync(path).size > at.bytes) writeFileAtomic(path, readFileSync(path).subarray(0, at.bytes));
  }
}

/** A session's TensorBoard log (see the module comment). Not reusable after `finish`/`abandon`. */
export class SessionTensorBoard {
  private lastStats: TrainStats | null = null;

  private constructor(
    readonly writer: EventWriter,
    private readonly actions: ActionRecorder,
  ) {}

  /** Creates the event file and writes the HParams session start and the spec text. */
  static open(init: SessionTensorBoardInit): SessionTensorBoard {
    const writer = EventWriter.create(tensorboardDir(init.sessionFolder), init.writer);
    try {
      writer.hparamsSessionStart({ hparams: specHParams(init.spec), groupName: trialGroupName(init.trial) });
      writer.text(TB_TAGS.spec, `\`\`\`json\n${JSON.stringify(init.spec, null, 2)}\n\`\`\``, 0);
      writer.flushSync();
    } catch (err) {
      closeQuietly(writer);
      throw err;
    }
    return new SessionTensorBoard(writer, actionRecorder(init.actionSpace));
  }

  /**
   * Continues a stopped session's log from `at`: events written after it are dropped
   * (`dropEventsAfter`), and a new event file (no second HParams start) gets the rest.
   */
  static continue(init: SessionTensorBoardInit, at: TensorBoardPosition): SessionTensorBoard {
    dropEventsAfter(init.sessionFolder, at);
    const writer = EventWriter.create(tensorboardDir(init.sessionFolder), { filenameSuffix: '.resumed', ...init.writer });
    const tb = new SessionTensorBoard(writer, actionRecorder(init.actionSpace));
    try {
      tb.lastStats = at.lastStats;
      tb.actions.setState(at.actions);
    } catch (err) {
      closeQuietly(writer);
      throw err;
    }
    return tb;
  }

  /** Flushes, then says where the log stands (for a checkpoint). */
  position(): TensorBoardPosition {
    this.writer.flushSync();
    return { file: basename(this.writer.filePath), bytes: statSync(this.writer.filePath).size, lastStats: this.lastStats, actions: this.actions.getState() };
  }

  /** Actions of one vector step (training only). */
  recordActions(action: ActionBatch): void {
    this.actions.record(action);
  }

  /** Keeps the stats of the latest update for the next row. */
  recordTrain(stats: TrainStats): void {
    this.lastStats = stats;
  }

  /** One metrics row: scalars, weight histograms and the action distribution since the last row. */
  writeRow(row: SessionRow, agent: Pick<Agent, 'weights'>): void {
    const step = row.frame ?? 0;
    this.writer.scalars(rowScalars(row, this.lastStats), step);
    const weights = agent.weights();
    for (const name of Object.keys(weights)) {
      this.writer.histogram(`${TB_TAGS.weightsPrefix}${name}`, weights[name], step, { nonFinite: 'drop' });
    }
    this.actions.write(this.writer, step);
  }

  /** One evaluation: `eval_return` and `eval_return_ma`. */
  writeEval(row: EvalRow): void {
    const out: Record<string, number> = {};
    for (const c of TB_EVAL_COLUMNS) {
      const v = row[c];
      if (v !== null) out[c] = v;
    }
    this.writer.scalars(out, row.frame ?? 0);
  }

  /** Appends what is buffered to the file (at each checkpoint). */
  flush(): void {
    this.writer.flushSync();
  }

  /** Final metrics at `frame`, the HParams session end with `status`, then close. */
  finish(status: SessionStatus, frame: number, metrics: SessionMetrics, evalMetrics: SessionMetrics | null): void {
    try {
      this.writer.scalars(
        { ...metricScalars(metrics, TB_TAGS.metricsPrefix), ...(evalMetrics === null ? {} : metricScalars(evalMetrics, TB_TAGS.evalMetricsPrefix)) },
        frame,
      );
      this.writer.hparamsSessionEnd({ status });
    } catch (err) {
      closeQuietly(this.writer);
      throw err;
    }
    this.writer.closeSync();
  }

  /** The session failed: writes the HParams session end `failure` if it can and closes; never throws. */
  abandon(): void {
    if (this.writer.isClosed) return;
    try {
      this.writer.hparamsSessionEnd({ status: 'failure' });
    } catch {
      // the session's own error is the one to report
    }
    closeQuietly(this.writer);
  }
}

function closeQuietly(writer: EventWriter): void {
  try {
    writer.closeSync();
  } catch {
    // keep the caller's error
  }
}
