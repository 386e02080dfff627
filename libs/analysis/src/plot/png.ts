/** SVG to PNG with resvg (a prebuilt native renderer; no browser). */
import { Resvg } from '@resvg/resvg-js';
import { AnalysisError } from '../errors.js';

export interface PngOptions {
  /** Output width in pixels (height keeps the aspect ratio). Default: the SVG's own width. */
  readonly width?: number;
  /** Font family used when the SVG names none that is installed. Default 'DejaVu Sans'. */
  readonly defaultFontFamily?: string;
}

/**
 * Render an SVG document to PNG bytes. Text uses the system's fonts (Debian: `fonts-dejavu-core`);
 * without any installed font the text is simply not drawn. Malformed SVG throws AnalysisError.
 */
export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width >= 1 && opts.width <= 16384)) {
    throw new AnalysisError(`svgToPng: width ${opts.width} (allowed: an integer 1..16384)`);
  }
  let png: Uint8Array;
  try {
    const r = new Resvg(svg, {
      fitTo: opts.width === undefined ? { mode: 'original' } : { mode: 'width', value: opts.width },
      font: { loadSystemFonts: true, defaultFontFamily: opts.defaultFontFamily ?? 'DejaVu Sans' },
      background: '#ffffff',
      logLevel: 'off',
    });
    png = r.render().asPng();
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new AnalysisError(`svgToPng: cannot render the SVG (${msg})`);
  }
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
