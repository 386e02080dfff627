/**
 * A few SVG primitives for the env renderers. Drawing is in Gymnasium's screen coordinates
 * (pixels, y up, as pygame draws before its final vertical flip); `svgFrame` flips them.
 */

export type Rgb = readonly [number, number, number];
export type Point = readonly [number, number];

const num = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');
const rgb = (c: Rgb): string => `rgb(${c[0]},${c[1]},${c[2]})`;

export function polygon(points: readonly Point[], fill: Rgb, stroke?: Rgb): string {
  const pts = points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
  return `<polygon points="${pts}" fill="${rgb(fill)}"${stroke === undefined ? '' : ` stroke="${rgb(stroke)}" stroke-width="1"`}/>`;
}

export function polyline(points: readonly Point[], stroke: Rgb, width = 1): string {
  const pts = points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
  return `<polyline points="${pts}" fill="none" stroke="${rgb(stroke)}" stroke-width="${num(width)}"/>`;
}

export function circle(center: Point, r: number, fill: Rgb): string {
  return `<circle cx="${num(center[0])}" cy="${num(center[1])}" r="${num(r)}" fill="${rgb(fill)}"/>`;
}

export function line(a: Point, b: Point, stroke: Rgb, width = 1): string {
  return `<line x1="${num(a[0])}" y1="${num(a[1])}" x2="${num(b[0])}" y2="${num(b[1])}" stroke="${rgb(stroke)}" stroke-width="${num(width)}"/>`;
}

/** `p` rotated by `angle` (radians) about the origin, then moved by `offset` (pygame's `Vector2.rotate_rad` + translate). */
export function rotate(p: Point, angle: number, offset: Point = [0, 0]): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [p[0] * c - p[1] * s + offset[0], p[0] * s + p[1] * c + offset[1]];
}

/** A rectangle's corners l, r, t, b (pygame's order). */
export function box(l: number, r: number, t: number, b: number): Point[] {
  return [
    [l, b],
    [l, t],
    [r, t],
    [r, b],
  ];
}

/** An SVG document `width` x `height` on `background`, `body` drawn with y up. */
export function svgFrame(width: number, height: number, background: Rgb, body: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${rgb(background)}"/>` +
    `<g transform="translate(0 ${height}) scale(1 -1)">${body.join('')}</g></svg>`
  );
}
