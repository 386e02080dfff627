/** Escaping and number formatting for SVG/HTML text. */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for XML/HTML element content and double- or single-quoted attributes: & < > " '
 * become entities. Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage
 * return; lone surrogates; U+FFFE, U+FFFF) become U+FFFD, so any string gives well-formed output.
 */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A pixel coordinate with at most 2 decimals, trailing zeros dropped ("12.5", "3"). */
export function px(v: number): string {
  const s = (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Attributes ` k="v"` for each defined entry, values escaped. */
export function attrs(a: Readonly<Record<string, string | number | undefined>>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out += ` ${k}="${escapeXml(String(v))}"`;
  return out;
}
