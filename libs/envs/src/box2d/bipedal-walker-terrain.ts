/**
 * BipedalWalker's terrain and clouds, drawn as Gymnasium 1.4.0's `_generate_terrain` and
 * `_generate_clouds` draw them: same generator calls in the same order, same float64 arithmetic,
 * so a seed gives Gymnasium's terrain bit for bit. Pure geometry (no physics world): the env
 * turns it into static bodies, and a frame drawer can read it as it is.
 */
import type { Rng } from '@gymlab/random';
import { cos, sin } from '../classic-control/trig.js';

export const SCALE = 30.0;
export const VIEWPORT_W = 600;
export const VIEWPORT_H = 400;
export const TERRAIN_STEP = 14 / SCALE;
export const TERRAIN_LENGTH = 200;
export const TERRAIN_HEIGHT = VIEWPORT_H / SCALE / 4;
export const TERRAIN_GRASS = 10;
export const TERRAIN_STARTPAD = 20;

const GRASS = 0;
const STUMP = 1;
const STAIRS = 2;
const PIT = 3;
/** Gymnasium's `_STATES_`: the number of terrain states above (hardcore draws one in [1, STATES)). */
const STATES = 4;

/** A polygon as [x0, y0, x1, y1, ...] in world units (metres). */
export type Polygon = readonly number[];

export interface BipedalTerrain {
  /** x of each of the 200 terrain points. */
  readonly x: readonly number[];
  /** y of each of the 200 terrain points (the ground line, one edge between neighbours). */
  readonly y: readonly number[];
  /** Static obstacle quadrilaterals (hardcore only: pit walls, stumps, stairs), in creation order. */
  readonly obstacles: readonly Polygon[];
}

/** A cloud (rendering only): its five points and horizontal extent. */
export interface Cloud {
  readonly poly: Polygon;
  readonly x1: number;
  readonly x2: number;
}

/** Python's `np.sign` for a float. */
function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** Draws the terrain (Gymnasium's `_generate_terrain(hardcore)`), advancing `rng` as it does. */
export function generateTerrain(rng: Rng, hardcore: boolean): BipedalTerrain {
  let state = GRASS;
  let velocity = 0.0;
  let y = TERRAIN_HEIGHT;
  let counter = TERRAIN_STARTPAD;
  let oneshot = false;
  const xs: number[] = [];
  const ys: number[] = [];
  const obstacles: Polygon[] = [];
  let stairSteps = 0;
  let stairWidth = 0;
  let stairHeight = 0;
  let originalY = 0;
  const TS = TERRAIN_STEP;

  for (let i = 0; i < TERRAIN_LENGTH; i++) {
    const x = i * TS;
    xs.push(x);
    if (state === GRASS && !oneshot) {
      velocity = 0.8 * velocity + 0.01 * sign(TERRAIN_HEIGHT - y);
      if (i > TERRAIN_STARTPAD) velocity += rng.uniform(-1, 1) / SCALE;
      y += velocity;
    } else if (state === PIT && oneshot) {
      counter = rng.integers(3, 5);
      const poly = [x, y, x + TS, y, x + TS, y - 4 * TS, x, y - 4 * TS];
      obstacles.push(poly);
      obstacles.push(poly.map((v, k) => (k % 2 === 0 ? v + TS * counter : v)));
      counter += 2;
      originalY = y;
    } else if (state === PIT && !oneshot) {
      y = originalY;
      if (counter > 1) y -= 4 * TS;
    } else if (state === STUMP && oneshot) {
      counter = rng.integers(1, 3);
      obstacles.push([x, y, x + counter * TS, y, x + counter * TS, y + counter * TS, x, y + counter * TS]);
    } else if (state === STAIRS && oneshot) {
      stairHeight = rng.random() > 0.5 ? 1 : -1;
      stairWidth = rng.integers(4, 5);
      stairSteps = rng.integers(3, 5);
      originalY = y;
      for (let s = 0; s < stairSteps; s++) {
        const x0 = x + s * stairWidth * TS;
        const x1 = x + (1 + s) * stairWidth * TS;
        const yTop = y + s * stairHeight * TS;
        const yBottom = y + (-1 + s * stairHeight) * TS;
        obstacles.push([x0, yTop, x1, yTop, x1, yBottom, x0, yBottom]);
      }
      counter = stairSteps * stairWidth;
    } else if (state === STAIRS && !oneshot) {
      const s = stairSteps * stairWidth - counter - stairHeight;
      const n = s / stairWidth;
      y = originalY + n * stairHeight * TS;
    }
    oneshot = false;
    ys.push(y);
    counter -= 1;
    if (counter === 0) {
      counter = rng.integers(TERRAIN_GRASS / 2, TERRAIN_GRASS);
      state = state === GRASS && hardcore ? rng.integers(1, STATES) : GRASS;
      oneshot = true;
    }
  }
  return { x: xs, y: ys, obstacles };
}

/** Draws the clouds (Gymnasium's `_generate_clouds`): rendering only, but they advance `rng`. */
export function generateClouds(rng: Rng): Cloud[] {
  const clouds: Cloud[] = [];
  const y = ((VIEWPORT_H / SCALE) * 3) / 4;
  for (let c = 0; c < TERRAIN_LENGTH / 20; c++) {
    const x = rng.uniform(0, TERRAIN_LENGTH) * TERRAIN_STEP;
    const poly: number[] = [];
    for (let a = 0; a < 5; a++) {
      const angle = (3.14 * 2 * a) / 5;
      poly.push(x + 15 * TERRAIN_STEP * sin(angle) + rng.uniform(0, 5 * TERRAIN_STEP));
      poly.push(y + 5 * TERRAIN_STEP * cos(angle) + rng.uniform(0, 5 * TERRAIN_STEP));
    }
    const px = poly.filter((_, k) => k % 2 === 0);
    clouds.push({ poly, x1: Math.min(...px), x2: Math.max(...px) });
  }
  return clouds;
}
