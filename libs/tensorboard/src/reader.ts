/**
 * Reading event files back into plain objects, for tests and tools. Every record's CRCs are
 * verified; hparams plugin data is decoded.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventReadError, RecordCorruptError, messageOf } from './errors.js';
import { isEventFileName } from './file-name.js';
import type { HistogramInput } from './histogram.js';
import { decodeHParamsContent } from './hparams.js';
import type { TbHParamsPluginData } from './hparams.js';
import { HPARAMS_PLUGIN } from './hparams.js';
import { splitRecords } from './record.js';
import { decodeEventPayload } from './schema.js';
import type { WireMetadata, WireSummaryValue, WireTensor } from './schema.js';

/** A histogram as read: `HistogramInput`'s fields, with plain arrays. */
export interface TbHistogram extends HistogramInput {
  readonly bucketLimit: number[];
  readonly bucket: number[];
}

/** A `TensorProto`; string values are decoded as UTF-8, int64 values as numbers. */
export interface TbTensor {
  /** `DataType` number (DT_FLOAT 1, DT_DOUBLE 2, DT_INT32 3, DT_STRING 7, DT_INT64 9, DT_BOOL 10). */
  readonly dtype: number;
  /** Dimension sizes; [] for a scalar. */
  readonly shape: number[];
  readonly floatVal: number[];
  readonly doubleVal: number[];
  readonly intVal: number[];
  readonly int64Val: number[];
  readonly boolVal: boolean[];
  readonly stringVal: string[];
  readonly tensorContent: Uint8Array;
}

export interface TbSummaryMetadata {
  readonly pluginName: string;
  readonly content: Uint8Array;
  readonly displayName: string;
  readonly summaryDescription: string;
  /** UNKNOWN 0, SCALAR 1, TENSOR 2, BLOB_SEQUENCE 3. */
  readonly dataClass: number;
  /** For plugin "hparams": `content` decoded. */
  readonly hparams?: TbHParamsPluginData;
}

export interface TbSummaryValue {
  readonly tag: string;
  readonly simpleValue?: number;
  readonly histo?: TbHistogram;
  readonly tensor?: TbTensor;
  readonly metadata?: TbSummaryMetadata;
}

export interface TbEvent {
  /** Seconds since the epoch. */
  readonly wallTime: number;
  readonly step: number;
  /** Set on the first event of a file ("brain.Event:2"). */
  readonly fileVersion?: string;
  /** The summary values, when the event carries a summary. */
  readonly summary?: TbSummaryValue[];
}

export interface ReadEventsOptions {
  /**
   * A file that ends inside a record (a writer killed mid-append): 'throw' (default) throws the
   * `RecordTruncatedError`; 'ignore' returns the events before it, as TensorBoard does.
   */
  readonly truncatedTail?: 'throw' | 'ignore';
}

const UTF8 = new TextDecoder();
const NO_BYTES = new Uint8Array(0);

/** A plain `Uint8Array` view of the same bytes (protobufjs gives Node Buffers). */
function plainBytes(b: Uint8Array | undefined): Uint8Array {
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : NO_BYTES;
}

function toTensor(t: WireTensor): TbTensor {
  return {
    dtype: t.dtype ?? 0,
    shape: (t.tensorShape?.dim ?? []).map((d) => d.size ?? 0),
    floatVal: t.floatVal ?? [],
    doubleVal: t.doubleVal ?? [],
    intVal: t.intVal ?? [],
    int64Val: t.int64Val ?? [],
    boolVal: t.boolVal ?? [],
    stringVal: (t.stringVal ?? []).map((b) => UTF8.decode(b)),
    tensorContent: plainBytes(t.tensorContent),
  };
}

function toMetadata(m: WireMetadata): TbSummaryMetadata {
  const pluginName = m.pluginData?.pluginName ?? '';
  const content = plainBytes(m.pluginData?.content);
  return {
    pluginName,
    content,
    displayName: m.displayName ?? '',
    summaryDescription: m.summaryDescription ?? '',
    dataClass: m.dataClass ?? 0,
    ...(pluginName === HPARAMS_PLUGIN ? { hparams: decodeHParamsContent(content) } : {}),
  };
}

function toValue(v: WireSummaryValue): TbSummaryValue {
  const h = v.histo;
  return {
    tag: v.tag ?? '',
    ...(v.simpleValue !== undefined ? { simpleValue: v.simpleValue } : {}),
    ...(h
      ? {
          histo: {
            min: h.min ?? 0,
            max: h.max ?? 0,
            num: h.num ?? 0,
            sum: h.sum ?? 0,
            sumSquares: h.sumSquares ?? 0,
            bucketLimit: Array.from(h.bucketLimit ?? []),
            bucket: Array.from(h.bucket ?? []),
          },
        }
      : {}),
    ...(v.tensor ? { tensor: toTensor(v.tensor) } : {}),
    ...(v.metadata ? { metadata: toMetadata(v.metadata) } : {}),
  };
}

/**
 * Decodes one `Event` payload. Throws `RecordCorruptError` ('bad-event') naming `file` and
 * `offset` if the bytes are not a valid event.
 */
export function decodeEvent(payload: Uint8Array, file = '<bytes>', offset = 0): TbEvent {
  try {
    const e = decodeEventPayload(payload);
    return {
      wallTime: e.wallTime ?? 0,
      step: e.step ?? 0,
      ...(e.fileVersion !== undefined ? { fileVersion: e.fileVersion } : {}),
      ...(e.summary ? { summary: (e.summary.value ?? []).map(toValue) } : {}),
    };
  } catch (err) {
    throw new RecordCorruptError(file, offset, 'bad-event', messageOf(err));
  }
}

/** Decodes the events in event-file bytes (`file` only names them in errors). */
export function decodeEvents(bytes: Uint8Array, file = '<bytes>', opts: ReadEventsOptions = {}): TbEvent[] {
  const { records, truncatedTail } = splitRecords(bytes, file);
  if (truncatedTail && opts.truncatedTail !== 'ignore') throw truncatedTail;
  return records.map((r) => decodeEvent(r.payload, file, r.offset));
}

/** Reads and decodes one event file. */
export function readEvents(filePath: string, opts: ReadEventsOptions = {}): TbEvent[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(filePath);
  } catch (e) {
    throw new EventReadError(`${filePath}: cannot read the event file: ${messageOf(e)}`);
  }
  return decodeEvents(bytes, filePath, opts);
}

/** The event files of a folder (names containing `tfevents`), as full paths in name order. */
export function listEventFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && isEventFileName(d.name))
      .map((d) => d.name);
  } catch (e) {
    throw new EventReadError(`${dir}: cannot list the event folder: ${messageOf(e)}`);
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => join(dir, n));
}

/** All events of all event files in `dir` (not its subfolders), files in name order. */
export function readEventDir(dir: string, opts: ReadEventsOptions = {}): TbEvent[] {
  return listEventFiles(dir).flatMap((f) => readEvents(f, opts));
}

export interface ScalarPoint {
  readonly step: number;
  readonly value: number;
  readonly wallTime: number;
}

/**
 * Scalar series by tag, in event order: `simple_value`s, and single-number tensors of tags
 * whose first value named plugin "scalars" (TensorBoard's tensor form of scalars).
 */
export function scalarsByTag(events: readonly TbEvent[]): Map<string, ScalarPoint[]> {
  const out = new Map<string, ScalarPoint[]>();
  const plugin = new Map<string, string>();
  for (const e of events) {
    for (const v of e.summary ?? []) {
      if (!plugin.has(v.tag)) plugin.set(v.tag, v.metadata?.pluginName ?? '');
      let value: number | undefined = v.simpleValue;
      if (value === undefined && v.tensor && plugin.get(v.tag) === 'scalars' && v.tensor.shape.length === 0) {
        value = v.tensor.floatVal[0] ?? v.tensor.doubleVal[0];
      }
      if (value === undefined) continue;
      let series = out.get(v.tag);
      if (!series) out.set(v.tag, (series = []));
      series.push({ step: e.step, value, wallTime: e.wallTime });
    }
  }
  return out;
}
