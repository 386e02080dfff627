/**
 * Summary values as plain objects for the encoder (pure functions). What TensorBoard expects:
 * - scalar: `simple_value` (float32), no metadata (TensorBoard migrates it to plugin "scalars");
 * - histogram: `histo` (`HistogramProto`), no metadata (migrated to plugin "histograms");
 * - text: plugin "text" with empty content, and a scalar DT_STRING tensor holding the UTF-8 text.
 */
import type { HistogramInput } from './histogram.js';
import { DT } from './schema.js';
import type { WireMetadata, WireSummaryValue } from './schema.js';

export const TEXT_PLUGIN = 'text';
const UTF8 = new TextEncoder();

/** `{ tag, simple_value }`. */
export function scalarValue(tag: string, value: number): WireSummaryValue {
  return { tag, simpleValue: value };
}

/** `{ tag, histo }` with the histogram's fields as given. */
export function histogramValue(tag: string, h: HistogramInput): WireSummaryValue {
  return {
    tag,
    histo: { min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares, bucketLimit: h.bucketLimit, bucket: h.bucket },
  };
}

/** Metadata of plugin "text" (its content, `TextPluginData{version: 0}`, serializes to no bytes). */
function textMetadata(): WireMetadata {
  return { pluginData: { pluginName: TEXT_PLUGIN } };
}

/** `{ tag, tensor: DT_STRING scalar [text], metadata? }`; pass `withMetadata` for a tag's first value. */
export function textValue(tag: string, text: string, withMetadata: boolean): WireSummaryValue {
  const value: WireSummaryValue = { tag, tensor: { dtype: DT.STRING, tensorShape: {}, stringVal: [UTF8.encode(text)] } };
  if (withMetadata) value.metadata = textMetadata();
  return value;
}
