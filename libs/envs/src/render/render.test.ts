import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { EnvNotRenderableError, RENDERABLE_ENVS, makeEnv, renderCartPole, renderFps, renderMountainCar, renderPendulum, renderSvg } from '@gymlab/envs';
import { prepareAllEnvs } from '../make.js';

// the MuJoCo envs load their wasm module on demand (prepareEnv); these tests make them directly
await prepareAllEnvs();

/** The `points` of the n-th polygon of an SVG, as numbers. */
function polygonPoints(svg: string, n: number): number[][] {
  const all = [...svg.matchAll(/<polygon points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
  return all[n];
}

describe('classic-control frames, against Gymnasium 1.4.0 renderer geometry computed by hand', () => {
  it('CartPole at rest: cart 50x30 centred at (300, 100), pole 10 wide up to 100 + 7.5 + 120 px', () => {
    const svg = renderCartPole([0, 0, 0, 0]);
    expect(svg).toMatch(/^<svg [^>]*width="600" height="400"/);
    expect(polygonPoints(svg, 0)).toEqual([
      [275, 85],
      [275, 115],
      [325, 115],
      [325, 85],
    ]);
    // scale = 600 / 4.8 = 125 px per unit; pole length 125, top at 107.5 + 125 - 5
    expect(polygonPoints(svg, 1)).toEqual([
      [295, 102.5],
      [295, 227.5],
      [305, 227.5],
      [305, 102.5],
    ]);
  });

  it('CartPole: x = 1 moves the cart 125 px; theta = pi/2 lays the pole to the right (rotation by -theta)', () => {
    const svg = renderCartPole([1, 0, Math.PI / 2, 0]);
    expect(polygonPoints(svg, 0)[0]).toEqual([400, 85]);
    const pole = polygonPoints(svg, 1);
    // corner (l, t) = (-5, 120) rotated by -pi/2 -> (120, 5), plus the axle (425, 107.5)
    expect(pole[1][0]).toBeCloseTo(545, 2);
    expect(pole[1][1]).toBeCloseTo(112.5, 2);
  });

  it('Pendulum at theta = 0 points up: the rod reaches 250 + 113.64 px', () => {
    const rod = polygonPoints(renderPendulum([0, 0]), 0);
    const scale = 500 / 4.4;
    expect(Math.max(...rod.map((p) => p[1]))).toBeCloseTo(250 + scale, 1);
    expect(Math.min(...rod.map((p) => p[0]))).toBeCloseTo(250 - 0.1 * scale, 1);
  });

  it('MountainCar: the flag stands at the goal (0.5 -> x = 566.67 px), the car on the track', () => {
    const svg = renderMountainCar([-0.5, 0], 0.5);
    const flag = polygonPoints(svg, 1);
    expect(flag[0][0]).toBeCloseTo((0.5 + 1.2) * (600 / 1.8), 1);
    const flagBase = (Math.sin(1.5) * 0.45 + 0.55) * (600 / 1.8);
    expect(flag[0][1]).toBeCloseTo(flagBase + 50, 1);
  });
});

describe('renderSvg', () => {
  for (const id of RENDERABLE_ENVS) {
    it(`${id}: a frame after reset, a different one after some steps`, () => {
      const env = makeEnv(id);
      const rng = new Rng(3);
      env.reset({ seed: 1 });
      const first = renderSvg(env);
      expect(first).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
      expect(first).not.toMatch(/NaN|undefined/);
      for (let i = 0; i < 20; i++) {
        const [, , terminated, truncated] = env.step(env.actionSpace.sample(rng));
        if (terminated || truncated) break;
      }
      expect(renderSvg(env)).not.toBe(first);
      expect(renderFps(env)).toBeGreaterThan(0);
      env.close();
    });
  }

  it('a MuJoCo env is refused with one line naming what is drawn', () => {
    const env = makeEnv('InvertedPendulum-v5');
    env.reset({ seed: 0 });
    expect(() => renderSvg(env)).toThrow(EnvNotRenderableError);
    expect(() => renderSvg(env)).toThrow(/^InvertedPendulum-v5 cannot be drawn: recording draws CartPole-v1, .*BipedalWalkerHardcore-v3 \(MuJoCo/);
    env.close();
  });
});
