/**
 * Frames of the Box2D envs as SVG (600 x 400, 30 pixels per metre), from the bodies' polygons in
 * planck, with the colours of Gymnasium 1.4.0's renderers (no particles, no lidar lines).
 */
import type { BipedalWalker } from '../box2d/bipedal-walker.js';
import type { LunarLander } from '../box2d/lunar-lander.js';
import { line, polygon, rotate, svgFrame } from './svg.js';
import type { Point, Rgb } from './svg.js';

const W = 600;
const H = 400;
const SCALE = 30;

const scaled = (p: readonly number[]): Point => [p[0] * SCALE, p[1] * SCALE];

/** Flat [x0, y0, x1, y1, ...] as points. */
function pairs(flat: readonly number[], dx = 0): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([(flat[i] + dx) * SCALE, flat[i + 1] * SCALE]);
  return out;
}

function flag(x: number, y1: number, color: Rgb, pole: Rgb): string[] {
  const y2 = y1 + 50;
  const f: Point[] = [
    [x, y2],
    [x, y2 - 10],
    [x + 25, y2 - 5],
  ];
  return [line([x, y1], [x, y2], pole), polygon(f, color)];
}

/** LunarLander-v3 (and Continuous): black sky over the white moon, the pad's flags, the lander and legs. */
export function renderLunarLander(env: LunarLander): string {
  const t = env.terrain();
  const top = H / SCALE;
  const body: string[] = [];
  for (let i = 0; i + 1 < t.chunkX.length; i++) {
    const sky: Point[] = [scaled([t.chunkX[i], t.smoothY[i]]), scaled([t.chunkX[i + 1], t.smoothY[i + 1]]), scaled([t.chunkX[i + 1], top]), scaled([t.chunkX[i], top])];
    body.push(polygon(sky, [0, 0, 0]));
  }
  for (const outline of env.bodyPolygons()) body.push(polygon(outline.map(scaled), [128, 102, 230], [77, 77, 128]));
  for (const x of [t.helipadX1, t.helipadX2]) body.push(...flag(x * SCALE, t.helipadY * SCALE, [204, 204, 0], [255, 255, 255]));
  return svgFrame(W, H, [255, 255, 255], body);
}

const HULL: readonly [Rgb, Rgb] = [
  [127, 51, 229],
  [76, 76, 127],
];
const legColors = (i: number): readonly [Rgb, Rgb] => [
  [153 - i * 25, 76 - i * 25, 127 - i * 25],
  [102 - i * 25, 51 - i * 25, 76 - i * 25],
];

/** BipedalWalker-v3 (and hardcore): sky, clouds, grass, obstacles, flag and walker, the view following the hull. */
export function renderBipedalWalker(env: BipedalWalker): string {
  const poses = env.bodyPoses();
  const terrain = env.terrain;
  // Gymnasium's camera: the hull a fifth of the way across
  const scroll = poses[0].x - W / SCALE / 5;
  const body: string[] = [];
  for (const c of env.clouds) {
    if (c.x2 < scroll / 2 || c.x1 > scroll / 2 + W / SCALE) continue;
    body.push(polygon(pairs(c.poly, scroll / 2), [255, 255, 255]));
  }
  if (terrain !== null) {
    for (let i = 0; i + 1 < terrain.x.length; i++) {
      if (terrain.x[i + 1] < scroll || terrain.x[i] > scroll + W / SCALE) continue;
      const a = scaled([terrain.x[i], terrain.y[i]]);
      const b = scaled([terrain.x[i + 1], terrain.y[i + 1]]);
      body.push(polygon([a, b, [b[0], 0], [a[0], 0]], [102, 153, 76]), line(a, b, [76, i % 2 === 0 ? 255 : 204, 76]));
    }
    for (const o of terrain.obstacles) body.push(polygon(pairs(o), [255, 255, 255], [153, 153, 153]));
  }
  // drawn as Gymnasium's drawlist: legs (far side first), then the hull
  const order = [1, 2, 3, 4, 0];
  for (const k of order) {
    const p = poses[k];
    const colors = k === 0 ? HULL : legColors(k <= 2 ? -1 : 1);
    const outline = pairs(p.localPolygon).map((q) => rotate([q[0], q[1]], p.angle, [p.x * SCALE, p.y * SCALE]));
    body.push(polygon(outline, colors[0], colors[1]));
  }
  body.push(...flag((14 / SCALE) * 3 * SCALE, (H / SCALE / 4) * SCALE, [230, 51, 0], [0, 0, 0]));
  const sky = `<rect x="0" y="0" width="${W}" height="${H}" fill="rgb(215,215,255)"/>`;
  return svgFrame(W, H, [215, 215, 255], [sky, `<g transform="translate(${-scroll * SCALE} 0)">${body.join('')}</g>`]);
}
