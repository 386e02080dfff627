/**
 * @gymlab/tensorboard: TensorBoard event files (TFRecord framing + protobuf) written and read
 * without TensorFlow. Depends on no other gymlab lib.
 */
export { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from './crc32c.js';
export { EventReadError, EventWriterError, RecordCorruptError, RecordTruncatedError, TensorBoardError } from './errors.js';
export type { EventWriterErrorCode, RecordCorruption } from './errors.js';
export { EVENT_FILE_PREFIX, eventFileName, isEventFileName } from './file-name.js';
export type { EventFileNameParts } from './file-name.js';
export { DBL_MAX, DEFAULT_BUCKET_COUNT, checkHistogram, compactBuckets, computeHistogram, defaultBucketLimits, discreteHistogram } from './histogram.js';
export type { ComputeHistogramOptions, Histogram, HistogramInput, NonFinitePolicy } from './histogram.js';
export { HPARAMS_PLUGIN, HPARAMS_TAGS, decodeHParamsContent } from './hparams.js';
export type {
  DatasetType,
  ExperimentInput,
  HParamSpec,
  HParamType,
  HParamValue,
  InfoText,
  MetricSpec,
  SessionEndInput,
  SessionStartInput,
  SessionStatus,
  TbExperiment,
  TbHParamsPluginData,
  TbSessionEndInfo,
  TbSessionStartInfo,
} from './hparams.js';
export { decodeEvent, decodeEvents, listEventFiles, readEventDir, readEvents, scalarsByTag } from './reader.js';
export type { ReadEventsOptions, ScalarPoint, TbEvent, TbHistogram, TbSummaryMetadata, TbSummaryValue, TbTensor } from './reader.js';
export { RECORD_OVERHEAD, encodeRecord, encodeRecordInto, splitRecords } from './record.js';
export type { RecordSlice, SplitRecords } from './record.js';
export { TEXT_PLUGIN } from './summaries.js';
export { EventWriter, FILE_VERSION } from './writer.js';
export type { EventWriterOptions, HistogramOptions } from './writer.js';
