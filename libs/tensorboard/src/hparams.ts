/**
 * The HParams plugin's summaries: `HParamsPluginData` (version 0) serialized into the
 * `content` of plugin "hparams", on the tags `_hparams_/experiment`,
 * `_hparams_/session_start_info` and `_hparams_/session_end_info`, each with an empty DT_FLOAT
 * tensor of shape [0] as TensorBoard's own `hparams` summaries write it. Without an experiment
 * record TensorBoard infers one from the sessions (their hparams, and every scalar tag as a metric).
 */
import { EventWriterError } from './errors.js';
import { DT, decodeHParamsPluginData, encodeHParamsPluginData } from './schema.js';
import type { WireHParamInfo, WireHParamsPluginData, WireMetricInfo, WireSummaryValue, WireValue } from './schema.js';

export const HPARAMS_PLUGIN = 'hparams';
export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  sessionStart: '_hparams_/session_start_info',
  sessionEnd: '_hparams_/session_end_info',
} as const;

/** A hyperparameter value; TensorBoard supports only these scalars. */
export type HParamValue = number | string | boolean;

export interface SessionStartInput {
  /** Hyperparameter name -> value. Numbers must be finite. */
  readonly hparams: Readonly<Record<string, HParamValue>>;
  /** Sessions with the same group name are one group (use the trial id); default: the run alone. */
  readonly groupName?: string;
  /** Seconds since the epoch; default the writer's clock. */
  readonly startTimeSecs?: number;
  readonly modelUri?: string;
  readonly monitorUrl?: string;
}

/** `Status` of api.proto, as strings: UNKNOWN 0, SUCCESS 1, FAILURE 2, RUNNING 3. */
export type SessionStatus = 'unknown' | 'success' | 'failure' | 'running';
const STATUS: Record<SessionStatus, number> = { unknown: 0, success: 1, failure: 2, running: 3 };
const STATUS_NAMES: readonly SessionStatus[] = ['unknown', 'success', 'failure', 'running'];

export interface SessionEndInput {
  readonly status: SessionStatus;
  /** Seconds since the epoch; default the writer's clock. */
  readonly endTimeSecs?: number;
}

/** `DataType` of api.proto: UNSET 0, STRING 1, BOOL 2, FLOAT64 3. */
export type HParamType = 'string' | 'bool' | 'float64';
const HPARAM_TYPE: Record<HParamType, number> = { string: 1, bool: 2, float64: 3 };
const HPARAM_TYPE_NAMES: readonly (HParamType | null)[] = [null, 'string', 'bool', 'float64'];

/** The texts api.proto's HParamInfo and MetricInfo both carry (each '' when absent). */
export interface InfoText {
  readonly displayName?: string;
  readonly description?: string;
}

const infoText = (t: InfoText): Required<InfoText> => ({ displayName: t.displayName ?? '', description: t.description ?? '' });

/** One hyperparameter of an experiment; `type` defaults to what the domain implies. */
export interface HParamSpec extends InfoText {
  readonly name: string;
  readonly type?: HParamType;
  readonly domain?: { readonly discrete: readonly HParamValue[] } | { readonly interval: { readonly min: number; readonly max: number } };
}

/** `DatasetType` of api.proto: UNKNOWN 0, TRAINING 1, VALIDATION 2. */
export type DatasetType = 'unknown' | 'training' | 'validation';
const DATASET: Record<DatasetType, number> = { unknown: 0, training: 1, validation: 2 };
const DATASET_NAMES: readonly DatasetType[] = ['unknown', 'training', 'validation'];

/** One metric: a scalar tag, in the run `<session run><group>` (group '' = the session's own run). */
export interface MetricSpec extends InfoText {
  readonly tag: string;
  readonly group?: string;
  readonly datasetType?: DatasetType;
}

export interface ExperimentInput {
  readonly hparams: readonly HParamSpec[];
  readonly metrics: readonly MetricSpec[];
  /** Seconds since the epoch; default the writer's clock. */
  readonly timeCreatedSecs?: number;
  readonly name?: string;
  readonly description?: string;
  readonly user?: string;
}

function bad(what: string): EventWriterError {
  return new EventWriterError('invalid-argument', what);
}

function wireValue(v: unknown, where: string): WireValue {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad(`${where} is ${v}; hparam numbers must be finite`);
    return { numberValue: v };
  }
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  throw bad(`${where} is ${typeof v}; allowed: number, string, boolean`);
}

function checkName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name.length === 0) throw bad(`${where} must be a non-empty string`);
  return name;
}

/** The null tensor hparams summaries carry: DT_FLOAT, shape [0], no values. */
function nullTensor(): WireSummaryValue['tensor'] {
  return { dtype: DT.FLOAT, tensorShape: { dim: [{ size: 0 }] } };
}

function hparamsValue(tag: string, data: WireHParamsPluginData): WireSummaryValue {
  return {
    tag,
    tensor: nullTensor(),
    metadata: { pluginData: { pluginName: HPARAMS_PLUGIN, content: encodeHParamsPluginData({ version: 0, ...data }) } },
  };
}

/** The `_hparams_/session_start_info` summary value. */
export function sessionStartValue(input: SessionStartInput, nowSecs: number): WireSummaryValue {
  if (input === null || typeof input !== 'object' || input.hparams === null || typeof input.hparams !== 'object') {
    throw bad('hparamsSessionStart: hparams must be an object of name -> number | string | boolean');
  }
  const hparams: Record<string, WireValue> = {};
  for (const name of Object.keys(input.hparams).sort()) {
    checkName(name, 'hparamsSessionStart: hparam name');
    hparams[name] = wireValue(input.hparams[name], `hparamsSessionStart: hparam '${name}'`);
  }
  const start = input.startTimeSecs ?? nowSecs;
  if (!Number.isFinite(start)) throw bad(`hparamsSessionStart: startTimeSecs is ${start}; it must be finite`);
  return hparamsValue(HPARAMS_TAGS.sessionStart, {
    sessionStartInfo: {
      hparams,
      groupName: input.groupName ?? '',
      modelUri: input.modelUri ?? '',
      monitorUrl: input.monitorUrl ?? '',
      startTimeSecs: start,
    },
  });
}

/** The `_hparams_/session_end_info` summary value. */
export function sessionEndValue(input: SessionEndInput, nowSecs: number): WireSummaryValue {
  const status = STATUS[input?.status];
  if (status === undefined || !Object.hasOwn(STATUS, input.status)) {
    throw bad(`hparamsSessionEnd: status '${String(input?.status)}' is not one of ${STATUS_NAMES.join(', ')}`);
  }
  const end = input.endTimeSecs ?? nowSecs;
  if (!Number.isFinite(end)) throw bad(`hparamsSessionEnd: endTimeSecs is ${end}; it must be finite`);
  return hparamsValue(HPARAMS_TAGS.sessionEnd, { sessionEndInfo: { status, endTimeSecs: end } });
}

function hparamInfo(spec: HParamSpec, i: number): WireHParamInfo {
  const where = `hparamsExperiment: hparams[${i}]`;
  const info: WireHParamInfo = {
    name: checkName(spec?.name, `${where}.name`),
    ...infoText(spec),
  };
  let type = spec.type;
  if (type !== undefined && !Object.hasOwn(HPARAM_TYPE, type)) throw bad(`${where}.type '${String(type)}' is not one of string, bool, float64`);
  const domain = spec.domain;
  if (domain && 'discrete' in domain) {
    if (!Array.isArray(domain.discrete)) throw bad(`${where}.domain.discrete must be an array`);
    info.domainDiscrete = { values: domain.discrete.map((v, j) => wireValue(v, `${where}.domain.discrete[${j}]`)) };
    const first = domain.discrete[0];
    type ??= typeof first === 'number' ? 'float64' : typeof first === 'boolean' ? 'bool' : typeof first === 'string' ? 'string' : undefined;
  } else if (domain && 'interval' in domain) {
    const { min, max } = domain.interval;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
      throw bad(`${where}.domain.interval [${min}, ${max}] must be finite with min <= max`);
    }
    info.domainInterval = { minValue: min, maxValue: max };
    type ??= 'float64';
  } else if (domain !== undefined) {
    throw bad(`${where}.domain must be { discrete: [...] } or { interval: { min, max } }`);
  }
  if (type !== undefined) info.type = HPARAM_TYPE[type];
  return info;
}

function metricInfo(spec: MetricSpec, i: number): WireMetricInfo {
  const where = `hparamsExperiment: metrics[${i}]`;
  const dataset = spec?.datasetType ?? 'unknown';
  if (!Object.hasOwn(DATASET, dataset)) throw bad(`${where}.datasetType '${String(dataset)}' is not one of ${DATASET_NAMES.join(', ')}`);
  return {
    name: { group: spec.group ?? '', tag: checkName(spec.tag, `${where}.tag`) },
    ...infoText(spec),
    datasetType: DATASET[dataset],
  };
}

/** The `_hparams_/experiment` summary value. */
export function experimentValue(input: ExperimentInput, nowSecs: number): WireSummaryValue {
  if (!Array.isArray(input?.hparams) || !Array.isArray(input?.metrics)) {
    throw bad('hparamsExperiment: hparams and metrics must be arrays');
  }
  const created = input.timeCreatedSecs ?? nowSecs;
  if (!Number.isFinite(created)) throw bad(`hparamsExperiment: timeCreatedSecs is ${created}; it must be finite`);
  return hparamsValue(HPARAMS_TAGS.experiment, {
    experiment: {
      name: input.name ?? '',
      description: input.description ?? '',
      user: input.user ?? '',
      timeCreatedSecs: created,
      hparamInfos: input.hparams.map(hparamInfo),
      metricInfos: input.metrics.map(metricInfo),
    },
  });
}

// ---- Reading

export interface TbSessionStartInfo {
  /** Values that are not number/string/bool (lists, null) read as null. */
  readonly hparams: Readonly<Record<string, HParamValue | null>>;
  readonly groupName: string;
  readonly startTimeSecs: number;
  readonly modelUri: string;
  readonly monitorUrl: string;
}

export interface TbSessionEndInfo {
  readonly status: SessionStatus;
  readonly endTimeSecs: number;
}

export interface TbExperiment {
  readonly name: string;
  readonly description: string;
  readonly user: string;
  readonly timeCreatedSecs: number;
  readonly hparams: readonly {
    name: string;
    displayName: string;
    description: string;
    type: HParamType | null;
    discrete?: (HParamValue | null)[];
    interval?: { min: number; max: number };
  }[];
  readonly metrics: readonly { tag: string; group: string; displayName: string; description: string; datasetType: DatasetType }[];
}

/** Decoded `HParamsPluginData`: exactly one of the three parts is present. */
export interface TbHParamsPluginData {
  readonly version: number;
  readonly experiment?: TbExperiment;
  readonly sessionStartInfo?: TbSessionStartInfo;
  readonly sessionEndInfo?: TbSessionEndInfo;
}

function plainValue(v: WireValue | undefined): HParamValue | null {
  if (v === undefined) return null;
  if (v.numberValue !== undefined) return v.numberValue;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return null;
}

/** Decodes the `content` of an hparams summary. Throws protobufjs's error on malformed bytes. */
export function decodeHParamsContent(content: Uint8Array): TbHParamsPluginData {
  const w = decodeHParamsPluginData(content);
  const version = w.version ?? 0;
  if (w.sessionStartInfo) {
    const s = w.sessionStartInfo;
    const hparams: Record<string, HParamValue | null> = {};
    for (const [k, v] of Object.entries(s.hparams ?? {})) hparams[k] = plainValue(v);
    return {
      version,
      sessionStartInfo: {
        hparams,
        groupName: s.groupName ?? '',
        startTimeSecs: s.startTimeSecs ?? 0,
        modelUri: s.modelUri ?? '',
        monitorUrl: s.monitorUrl ?? '',
      },
    };
  }
  if (w.sessionEndInfo) {
    const e = w.sessionEndInfo;
    return { version, sessionEndInfo: { status: STATUS_NAMES[e.status ?? 0] ?? 'unknown', endTimeSecs: e.endTimeSecs ?? 0 } };
  }
  if (w.experiment) {
    const x = w.experiment;
    return {
      version,
      experiment: {
        name: x.name ?? '',
        description: x.description ?? '',
        user: x.user ?? '',
        timeCreatedSecs: x.timeCreatedSecs ?? 0,
        hparams: (x.hparamInfos ?? []).map((h) => ({
          name: h.name ?? '',
          ...infoText(h),
          type: HPARAM_TYPE_NAMES[h.type ?? 0] ?? null,
          ...(h.domainDiscrete ? { discrete: (h.domainDiscrete.values ?? []).map(plainValue) } : {}),
          ...(h.domainInterval ? { interval: { min: h.domainInterval.minValue ?? 0, max: h.domainInterval.maxValue ?? 0 } } : {}),
        })),
        metrics: (x.metricInfos ?? []).map((m) => ({
          tag: m.name?.tag ?? '',
          group: m.name?.group ?? '',
          ...infoText(m),
          datasetType: DATASET_NAMES[m.datasetType ?? 0] ?? 'unknown',
        })),
      },
    };
  }
  return { version };
}
