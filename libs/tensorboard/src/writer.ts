/**
 * `EventWriter`: appends TensorBoard events to one event file. Calls only encode into an
 * in-memory buffer; the buffer is appended to the file (whole records only) when it exceeds
 * `maxBufferBytes`, `flushIntervalMs` after the first unflushed event, on `flushSync()` and on
 * `closeSync()`.
 *
 * Errors: bad arguments throw `EventWriterError` 'invalid-argument' and write nothing. If a
 * timer-driven flush fails (disk full, folder removed), the bytes stay buffered and the error is
 * thrown, once, by the next call, which does nothing else; the flush after that retries.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { EventWriterError, messageOf } from './errors.js';
import { eventFileName } from './file-name.js';
import { DEFAULT_BUCKET_COUNT, checkHistogram, computeHistogram } from './histogram.js';
import type { HistogramInput, NonFinitePolicy } from './histogram.js';
import { experimentValue, sessionEndValue, sessionStartValue } from './hparams.js';
import type { ExperimentInput, SessionEndInput, SessionStartInput } from './hparams.js';
import { RECORD_OVERHEAD, encodeRecordInto } from './record.js';
import { encodeEventShared } from './schema.js';
import type { WireEvent, WireSummaryValue } from './schema.js';
import { histogramValue, scalarValue, textValue } from './summaries.js';

/** The `file_version` of the first event. */
export const FILE_VERSION = 'brain.Event:2';

export interface EventWriterOptions {
  /** Clock in seconds since the epoch (wall times and the file name); default `Date.now() / 1000`. */
  readonly nowSeconds?: () => number;
  /** Default `os.hostname()`. */
  readonly hostname?: string;
  /** Default `process.pid`. */
  readonly pid?: number;
  /** Appended to the file name; default ''. */
  readonly filenameSuffix?: string;
  /** Longest time an event waits in memory, in ms; default 2000; 0 = only size/flush/close. */
  readonly flushIntervalMs?: number;
  /** Buffer size that triggers a flush, in bytes; default 1 MiB. */
  readonly maxBufferBytes?: number;
}

export interface HistogramOptions {
  /** Seconds since the epoch; default the writer's clock. */
  readonly wallTime?: number;
  /** Strictly increasing bucket limits; default TensorFlow's exponential ones. */
  readonly bucketLimits?: ArrayLike<number>;
  /** NaN/±Infinity: 'error' (default) throws, 'drop' skips them. */
  readonly nonFinite?: NonFinitePolicy;
}

const DEFAULT_INTERVAL_MS = 2000;
const DEFAULT_MAX_BUFFER = 1 << 20;
const INITIAL_BUFFER = 1 << 16;

function invalid(message: string): EventWriterError {
  return new EventWriterError('invalid-argument', message);
}

function ioError(file: string, action: string, e: unknown): EventWriterError {
  return new EventWriterError('io', `${file}: cannot ${action}: ${messageOf(e)}`);
}

export class EventWriter {
  /** Absolute or relative path of the event file, as `join(logDir, name)`. */
  readonly filePath: string;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly maxBuffer: number;
  private readonly fd: number;
  private buf = new Uint8Array(INITIAL_BUFFER);
  private used = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private backgroundError: EventWriterError | null = null;
  private pb: protobuf.Writer = protobuf.Writer.create();
  private readonly taggedOnce = new Set<string>();
  private scratch: Float64Array | undefined;

  private constructor(filePath: string, fd: number, now: () => number, intervalMs: number, maxBuffer: number) {
    this.filePath = filePath;
    this.fd = fd;
    this.now = now;
    this.intervalMs = intervalMs;
    this.maxBuffer = maxBuffer;
  }

  /**
   * Makes `logDir` (recursively), creates a new event file in it (never an existing one: a name
   * clash throws `EventWriterError` 'file-exists') and writes the `file_version` event at once.
   */
  static create(logDir: string, opts: EventWriterOptions = {}): EventWriter {
    const now = opts.nowSeconds ?? (() => Date.now() / 1000);
    const intervalMs = opts.flushIntervalMs ?? DEFAULT_INTERVAL_MS;
    const maxBuffer = opts.maxBufferBytes ?? DEFAULT_MAX_BUFFER;
    if (typeof logDir !== 'string' || logDir.length === 0) throw invalid('EventWriter.create: logDir must be a non-empty path');
    if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) throw invalid(`EventWriter.create: flushIntervalMs ${intervalMs} must be >= 0`);
    if (!(Number.isFinite(maxBuffer) && maxBuffer >= 0)) throw invalid(`EventWriter.create: maxBufferBytes ${maxBuffer} must be >= 0`);
    const t0 = now();
    const name = eventFileName({
      seconds: t0,
      hostname: opts.hostname ?? osHostname(),
      pid: opts.pid ?? process.pid,
      suffix: opts.filenameSuffix ?? '',
    });
    const filePath = join(logDir, name);
    try {
      mkdirSync(logDir, { recursive: true });
    } catch (e) {
      throw ioError(logDir, 'create the log folder', e);
    }
    let fd: number;
    try {
      fd = openSync(filePath, 'ax');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new EventWriterError('file-exists', `${filePath}: event file exists already; pass another filenameSuffix or wait a second`);
      }
      throw ioError(filePath, 'create the event file', e);
    }
    const writer = new EventWriter(filePath, fd, now, intervalMs, maxBuffer);
    try {
      writer.append({ wallTime: t0, fileVersion: FILE_VERSION });
      writer.writeBuffered();
    } catch (e) {
      writer.clearTimer();
      closeSync(fd);
      throw e;
    }
    return writer;
  }

  /** True after `closeSync()`/`close()`. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes encoded but not yet appended to the file. */
  get bufferedBytes(): number {
    return this.used;
  }

  /** One scalar (`simple_value`, stored as float32). Any number is accepted, NaN and ±Infinity too. */
  scalar(tag: string, value: number, step: number, wallTime?: number): void {
    this.checkOpen();
    checkTag(tag);
    checkNumber(tag, value);
    this.append(this.event([scalarValue(tag, value)], step, wallTime));
  }

  /** Several scalars in one event (one record): cheaper than one `scalar` call each. */
  scalars(values: Readonly<Record<string, number>>, step: number, wallTime?: number): void {
    this.checkOpen();
    if (values === null || typeof values !== 'object') throw invalid('scalars: values must be an object of tag -> number');
    const list: WireSummaryValue[] = [];
    for (const tag of Object.keys(values)) {
      checkTag(tag);
      checkNumber(tag, values[tag]);
      list.push(scalarValue(tag, values[tag]));
    }
    if (list.length > 0) this.append(this.event(list, step, wallTime));
  }

  /** Histogram of `values` (see `computeHistogram` for the buckets and statistics). */
  histogram(tag: string, values: ArrayLike<number>, step: number, opts: HistogramOptions = {}): void {
    this.checkOpen();
    checkTag(tag);
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw invalid(`histogram '${tag}': values must be an array or typed array of numbers`);
    }
    this.scratch ??= new Float64Array(DEFAULT_BUCKET_COUNT);
    const h = computeHistogram(values, { bucketLimits: opts.bucketLimits, nonFinite: opts.nonFinite, tag, scratch: this.scratch });
    this.append(this.event([histogramValue(tag, h)], step, opts.wallTime));
  }

  /** A histogram built by the caller, e.g. with `discreteHistogram(actionCounts)`; it is checked first. */
  histogramFromCounts(tag: string, h: HistogramInput, step: number, wallTime?: number): void {
    this.checkOpen();
    checkTag(tag);
    if (h === null || typeof h !== 'object') throw invalid(`histogramFromCounts '${tag}': give { min, max, num, sum, sumSquares, bucketLimit, bucket }`);
    checkHistogram(h, tag);
    this.append(this.event([histogramValue(tag, h)], step, wallTime));
  }

  /** Text (plugin "text"; TensorBoard renders it as markdown). */
  text(tag: string, text: string, step: number, wallTime?: number): void {
    this.checkOpen();
    checkTag(tag);
    if (typeof text !== 'string') throw invalid(`text '${tag}': text must be a string`);
    const first = !this.taggedOnce.has(tag);
    this.append(this.event([textValue(tag, text, first)], step, wallTime));
    this.taggedOnce.add(tag);
  }

  /** HParams session start (tag `_hparams_/session_start_info`, step 0). */
  hparamsSessionStart(input: SessionStartInput): void {
    this.appendHParams((now) => sessionStartValue(input, now));
  }

  /** HParams session end (tag `_hparams_/session_end_info`, step 0). */
  hparamsSessionEnd(input: SessionEndInput): void {
    this.appendHParams((now) => sessionEndValue(input, now));
  }

  /**
   * HParams experiment (tag `_hparams_/experiment`, step 0): declares the hyperparameters and
   * which scalar tags are metrics. Optional; write it in the top folder above the session runs.
   */
  hparamsExperiment(input: ExperimentInput): void {
    this.appendHParams((now) => experimentValue(input, now));
  }

  /** Appends everything buffered to the file now (synchronously). Does nothing once closed. */
  flushSync(): void {
    if (!this.closed) this.writeBuffered();
  }

  /** `flushSync()` as a promise (the append itself is synchronous: event files are small appends). */
  async flush(): Promise<void> {
    this.flushSync();
  }

  /**
   * Flushes and closes the file. Idempotent. Later writes throw `EventWriterError` 'closed'.
   * A failed background flush is retried here; if that fails too, the error is thrown (after the
   * file is closed).
   */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    this.backgroundError = null;
    let error: unknown = null;
    try {
      this.writeBuffered();
    } catch (e) {
      error = e;
    }
    this.clearTimer();
    try {
      closeSync(this.fd);
    } catch (e) {
      error ??= ioError(this.filePath, 'close the event file', e);
    }
    if (error !== null) throw error;
  }

  /** `closeSync()` as a promise. */
  async close(): Promise<void> {
    this.closeSync();
  }

  /** One hparams value at step 0, stamped with the writer's clock (its value's time and the event's). */
  private appendHParams(value: (now: number) => WireSummaryValue): void {
    this.checkOpen();
    const now = this.now();
    this.append(this.event([value(now)], 0, now));
  }

  private event(values: WireSummaryValue[], step: number, wallTime: number | undefined): WireEvent {
    if (!Number.isSafeInteger(step)) throw invalid(`'${values[0]?.tag ?? ''}': step ${step} must be a safe integer`);
    const t = wallTime ?? this.now();
    if (!Number.isFinite(t)) throw invalid(`'${values[0]?.tag ?? ''}': wallTime ${t} must be a finite number of seconds`);
    return { wallTime: t, step, summary: { value: values } };
  }

  private append(event: WireEvent): void {
    let payload: Uint8Array;
    try {
      payload = encodeEventShared(event, this.pb);
    } catch (e) {
      this.pb = protobuf.Writer.create(); // its fork stack may be left half-way
      throw invalid(`${this.filePath}: cannot encode the event: ${messageOf(e)}`);
    }
    const need = this.used + payload.length + RECORD_OVERHEAD;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.used));
      this.buf = grown;
    }
    this.used = encodeRecordInto(this.buf, this.used, payload);
    if (this.used >= this.maxBuffer) this.writeBuffered();
    else if (this.timer === null && this.intervalMs > 0) {
      this.timer = setTimeout(() => this.onTimer(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Appends the buffer to the file; on failure keeps the unwritten bytes and throws 'io'. */
  private writeBuffered(): void {
    this.clearTimer();
    this.rethrowBackgroundError();
    if (this.used === 0) return;
    let done = 0;
    try {
      while (done < this.used) done += writeSync(this.fd, this.buf, done, this.used - done);
    } catch (e) {
      // Keep the unwritten bytes (whole records and the rest of a partly written one) for a retry.
      this.buf.copyWithin(0, done, this.used);
      this.used -= done;
      throw ioError(this.filePath, 'append to the event file', e);
    }
    this.used = 0;
    if (this.buf.length > this.maxBuffer * 2 && this.buf.length > INITIAL_BUFFER) this.buf = new Uint8Array(INITIAL_BUFFER);
  }

  private onTimer(): void {
    this.timer = null;
    try {
      this.writeBuffered();
    } catch (e) {
      // A timer callback must not throw: keep the error for the caller's next call.
      this.backgroundError = e instanceof EventWriterError ? e : ioError(this.filePath, 'flush', e);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private rethrowBackgroundError(): void {
    const e = this.backgroundError;
    if (e) {
      this.backgroundError = null;
      throw new EventWriterError(e.code, `${e.message} (in a background flush)`);
    }
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new EventWriterError('closed', `${this.filePath}: the writer is closed; create a new EventWriter to write more`);
    }
    this.rethrowBackgroundError();
  }
}

function checkTag(tag: unknown): void {
  if (typeof tag !== 'string' || tag.length === 0) throw invalid(`tag ${JSON.stringify(tag)} must be a non-empty string`);
}

function checkNumber(tag: string, value: unknown): void {
  if (typeof value !== 'number') throw invalid(`scalar '${tag}': value must be a number, got ${typeof value}`);
}
