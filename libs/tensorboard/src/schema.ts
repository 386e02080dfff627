/**
 * The protobuf messages of TensorBoard event files, declared in code as a protobufjs JSON
 * descriptor (no .proto file is read at run time). Field numbers follow TensorFlow's
 * `event.proto`, `summary.proto`, `tensor.proto`, `tensor_shape.proto`, TensorBoard's
 * `plugins/hparams/{api,plugin_data}.proto` and `google/protobuf/struct.proto`; fields gymlab
 * never writes (images, audio, graphs, log messages, ...) are left out and skipped when read.
 * Names are the camelCase forms protobufjs uses; proto3 semantics (zero values are not written,
 * repeated numbers are packed).
 */
import protobuf from 'protobufjs';

const rep = (type: string, id: number) => ({ rule: 'repeated', type, id });
const f = (type: string, id: number) => ({ type, id });

const descriptor = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            NullValue: { values: { NULL_VALUE: 0 } },
            Value: {
              oneofs: { kind: { oneof: ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'listValue'] } },
              fields: {
                nullValue: f('NullValue', 1),
                numberValue: f('double', 2),
                stringValue: f('string', 3),
                boolValue: f('bool', 4),
                listValue: f('ListValue', 6),
              },
            },
            ListValue: { fields: { values: rep('Value', 1) } },
          },
        },
      },
    },
    tensorboard: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: { wallTime: f('double', 1), step: f('int64', 2), fileVersion: f('string', 3), summary: f('Summary', 5) },
        },
        Summary: {
          fields: { value: rep('Value', 1) },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'histo', 'tensor'] } },
              fields: {
                tag: f('string', 1),
                simpleValue: f('float', 2),
                histo: f('HistogramProto', 5),
                tensor: f('TensorProto', 8),
                metadata: f('SummaryMetadata', 9),
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: f('PluginData', 1),
            displayName: f('string', 2),
            summaryDescription: f('string', 3),
            dataClass: f('int32', 4),
          },
          nested: { PluginData: { fields: { pluginName: f('string', 1), content: f('bytes', 2) } } },
        },
        HistogramProto: {
          fields: {
            min: f('double', 1),
            max: f('double', 2),
            num: f('double', 3),
            sum: f('double', 4),
            sumSquares: f('double', 5),
            bucketLimit: rep('double', 6),
            bucket: rep('double', 7),
          },
        },
        TensorShapeProto: {
          fields: { dim: rep('Dim', 2), unknownRank: f('bool', 3) },
          nested: { Dim: { fields: { size: f('int64', 1), name: f('string', 2) } } },
        },
        TensorProto: {
          fields: {
            dtype: f('int32', 1),
            tensorShape: f('TensorShapeProto', 2),
            versionNumber: f('int32', 3),
            tensorContent: f('bytes', 4),
            floatVal: rep('float', 5),
            doubleVal: rep('double', 6),
            intVal: rep('int32', 7),
            stringVal: rep('bytes', 8),
            int64Val: rep('int64', 10),
            boolVal: rep('bool', 11),
          },
        },
        hparams: {
          nested: {
            HParamsPluginData: {
              oneofs: { data: { oneof: ['experiment', 'sessionStartInfo', 'sessionEndInfo'] } },
              fields: {
                version: f('int32', 1),
                experiment: f('Experiment', 2),
                sessionStartInfo: f('SessionStartInfo', 3),
                sessionEndInfo: f('SessionEndInfo', 4),
              },
            },
            SessionStartInfo: {
              fields: {
                hparams: { keyType: 'string', type: 'google.protobuf.Value', id: 1 },
                modelUri: f('string', 2),
                monitorUrl: f('string', 3),
                groupName: f('string', 4),
                startTimeSecs: f('double', 5),
              },
            },
            SessionEndInfo: { fields: { status: f('int32', 1), endTimeSecs: f('double', 2) } },
            Experiment: {
              fields: {
                name: f('string', 6),
                description: f('string', 1),
                user: f('string', 2),
                timeCreatedSecs: f('double', 3),
                hparamInfos: rep('HParamInfo', 4),
                metricInfos: rep('MetricInfo', 5),
              },
            },
            HParamInfo: {
              oneofs: { domain: { oneof: ['domainDiscrete', 'domainInterval'] } },
              fields: {
                name: f('string', 1),
                displayName: f('string', 2),
                description: f('string', 3),
                type: f('int32', 4),
                domainDiscrete: f('google.protobuf.ListValue', 5),
                domainInterval: f('Interval', 6),
              },
            },
            Interval: { fields: { minValue: f('double', 1), maxValue: f('double', 2) } },
            MetricName: { fields: { group: f('string', 1), tag: f('string', 2) } },
            MetricInfo: {
              fields: {
                name: f('MetricName', 1),
                displayName: f('string', 3),
                description: f('string', 4),
                datasetType: f('int32', 5),
              },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** protobufjs reflection types of the messages above (immutable after module load). */
const EventType = root.lookupType('tensorboard.Event');
const HParamsPluginDataType = root.lookupType('tensorboard.hparams.HParamsPluginData');

/** `DataType` numbers of `TensorProto.dtype`. */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, STRING: 7, INT64: 9, BOOL: 10 } as const;

// ---- Plain-object shapes the encoder is given (protobufjs accepts these for the types above).

export interface WireValue {
  nullValue?: number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  listValue?: { values?: WireValue[] };
}

interface WireHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: ArrayLike<number>;
  bucket: ArrayLike<number>;
}

export interface WireTensor {
  dtype?: number;
  tensorShape?: { dim?: { size?: number; name?: string }[]; unknownRank?: boolean };
  versionNumber?: number;
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: number[];
  boolVal?: boolean[];
}

export interface WireMetadata {
  pluginData?: { pluginName?: string; content?: Uint8Array };
  displayName?: string;
  summaryDescription?: string;
  dataClass?: number;
}

export interface WireSummaryValue {
  tag?: string;
  simpleValue?: number;
  histo?: WireHistogram;
  tensor?: WireTensor;
  metadata?: WireMetadata;
}

export interface WireEvent {
  wallTime?: number;
  step?: number;
  fileVersion?: string;
  summary?: { value?: WireSummaryValue[] };
}

interface WireSessionStartInfo {
  hparams?: Record<string, WireValue>;
  modelUri?: string;
  monitorUrl?: string;
  groupName?: string;
  startTimeSecs?: number;
}

interface WireSessionEndInfo {
  status?: number;
  endTimeSecs?: number;
}

export interface WireHParamInfo {
  name?: string;
  displayName?: string;
  description?: string;
  type?: number;
  domainDiscrete?: { values?: WireValue[] };
  domainInterval?: { minValue?: number; maxValue?: number };
}

export interface WireMetricInfo {
  name?: { group?: string; tag?: string };
  displayName?: string;
  description?: string;
  datasetType?: number;
}

interface WireExperiment {
  name?: string;
  description?: string;
  user?: string;
  timeCreatedSecs?: number;
  hparamInfos?: WireHParamInfo[];
  metricInfos?: WireMetricInfo[];
}

export interface WireHParamsPluginData {
  version?: number;
  experiment?: WireExperiment;
  sessionStartInfo?: WireSessionStartInfo;
  sessionEndInfo?: WireSessionEndInfo;
}

/** Options that make `toObject` give the shapes above: int64 as numbers, enums as numbers, bytes as Uint8Array. */
const TO_OBJECT = { longs: Number, enums: Number } as const;

/**
 * Serializes an event with a caller-owned protobufjs writer, which is reset first and reused across
 * calls. Returns a view into the writer's buffer: valid only until the writer's next use.
 */
export function encodeEventShared(event: WireEvent, writer: protobuf.Writer): Uint8Array {
  writer.reset();
  return EventType.encode(event, writer).finish(true);
}

/** Serializes an event into a fresh byte array. */
export function encodeEventBytes(event: WireEvent): Uint8Array {
  return EventType.encode(event).finish();
}

/** Decodes an `Event` payload into the plain shape above. Throws protobufjs's error on malformed bytes. */
export function decodeEventPayload(payload: Uint8Array): WireEvent {
  return EventType.toObject(EventType.decode(payload), TO_OBJECT) as WireEvent;
}

/** Serializes `HParamsPluginData` (the `content` of hparams summaries). */
export function encodeHParamsPluginData(data: WireHParamsPluginData): Uint8Array {
  return HParamsPluginDataType.encode(data).finish();
}

/** Decodes `HParamsPluginData` bytes into the plain shape above. */
export function decodeHParamsPluginData(bytes: Uint8Array): WireHParamsPluginData {
  return HParamsPluginDataType.toObject(HParamsPluginDataType.decode(bytes), TO_OBJECT) as WireHParamsPluginData;
}
