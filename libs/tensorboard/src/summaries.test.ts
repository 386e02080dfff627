import { describe, expect, it } from 'vitest';
import { experimentValue, sessionEndValue, sessionStartValue } from './hparams.js';
import { encodeEventBytes } from './schema.js';
import type { WireSummaryValue } from './schema.js';
import { histogramValue, scalarValue, textValue } from './summaries.js';
import { f64, toHex } from './test-utils/hex.js';

/** Hex of Summary.Value bytes: an Event{summary{value}} payload minus its 2-byte Summary and Value headers. */
function valueHex(value: WireSummaryValue): string {
  const hex = toHex(encodeEventBytes({ summary: { value: [value] } }));
  // Event.summary (field 5, 0x2a) len, Summary.value (field 1, 0x0a) len, then the value's fields.
  expect(hex.slice(0, 2)).toBe('2a');
  expect(hex.slice(4, 6)).toBe('0a');
  return hex.slice(8);
}

// Golden bytes assembled by hand from the field numbers of REFERENCE.md section 1.
describe('summary value wire format', () => {
  it('scalar: tag=1, simple_value=2 (float32)', () => {
    expect(valueHex(scalarValue('a', 1))).toBe('0a0161' + '15' + '0000803f');
  });

  it('histogram: histo=5 with min..sum_squares=1..5 (double) and packed bucket_limit=6, bucket=7', () => {
    const h = { min: 1, max: 2, num: 1, sum: 2, sumSquares: 4, bucketLimit: [2], bucket: [1] };
    const histo = '09' + f64(1) + '11' + f64(2) + '19' + f64(1) + '21' + f64(2) + '29' + f64(4) + '3208' + f64(2) + '3a08' + f64(1);
    expect(histo.length / 2).toBe(65);
    expect(valueHex(histogramValue('h', h))).toBe('0a0168' + '2a41' + histo);
  });

  it('text: tensor=8 {dtype=1: 7, tensor_shape=2: {}, string_val=8}, metadata=9 {plugin_data=1 {plugin_name=1: "text"}}', () => {
    const tensor = '0807' + '1200' + '4202' + '6869';
    const metadata = '0a06' + '0a04' + '74657874';
    expect(valueHex(textValue('t', 'hi', true))).toBe('0a0174' + '4208' + tensor + '4a08' + metadata);
    expect(valueHex(textValue('t', 'hi', false))).toBe('0a0174' + '4208' + tensor);
  });
});

describe('hparams wire format', () => {
  const nullTensor = '4206' + '0801' + '1202' + '1200'; // DT_FLOAT, shape { dim { size 0 } }
  const meta = (content: string) => {
    const pluginData = '0a07' + '68706172616d73' + '12' + (content.length / 2).toString(16).padStart(2, '0') + content;
    const pd = '0a' + (pluginData.length / 2).toString(16).padStart(2, '0') + pluginData;
    return '4a' + (pd.length / 2).toString(16).padStart(2, '0') + pd;
  };
  const tagHex = (tag: string) => '0a' + tag.length.toString(16).padStart(2, '0') + toHex(new TextEncoder().encode(tag));

  it('session end: HParamsPluginData{session_end_info=4 {status=1: SUCCESS 1, end_time_secs=2}}', () => {
    const content = '220b' + '0801' + '11' + f64(2.5);
    expect(valueHex(sessionEndValue({ status: 'success', endTimeSecs: 2.5 }, 0))).toBe(tagHex('_hparams_/session_end_info') + nullTensor + meta(content));
  });

  it('session start: hparams=1 map<string, Value{number_value=2 | string_value=3 | bool_value=4}>, group_name=4, start_time_secs=5', () => {
    const entryLr = '0a026c72' + '1209' + '11' + f64(0.5); // key "lr", Value{number_value 0.5}
    const entryOk = '0a026f6b' + '1202' + '2001'; // key "ok", Value{bool_value true}
    const entryX = '0a0178' + '1203' + '1a0161'; // key "x", Value{string_value "a"}
    const info = '0a0f' + entryLr + '0a08' + entryOk + '0a08' + entryX + '2201' + '67' + '29' + f64(7);
    const content = '1a' + (info.length / 2).toString(16) + info;
    const v = sessionStartValue({ hparams: { x: 'a', ok: true, lr: 0.5 }, groupName: 'g', startTimeSecs: 7 }, 0);
    expect(valueHex(v)).toBe(tagHex('_hparams_/session_start_info') + nullTensor + meta(content));
  });

  it('experiment: experiment=2 {time_created_secs=3, hparam_infos=4 {name=1, type=4, domain_interval=6}, metric_infos=5 {name=1 {tag=2}}}', () => {
    const hinfo = '0a026c72' + '2003' + '3209' + '11' + f64(1); // min_value 0 is not written (proto3)
    const minfo = '0a03' + '1201' + '72';
    const exp = '19' + f64(3) + '22' + (hinfo.length / 2).toString(16) + hinfo + '2a05' + minfo;
    const content = '12' + (exp.length / 2).toString(16) + exp;
    const v = experimentValue({ hparams: [{ name: 'lr', domain: { interval: { min: 0, max: 1 } } }], metrics: [{ tag: 'r' }], timeCreatedSecs: 3 }, 0);
    expect(valueHex(v)).toBe(tagHex('_hparams_/experiment') + nullTensor + meta(content));
  });
});
