/**
 * LunarLander-v3 on planck against Gymnasium 1.4.0 (Box2D 2.3, float32): masses and inertias, the
 * random draws, the recorded trajectories step by step within a stated tolerance, the statistics
 * of Gymnasium's heuristic controller, seeding, kwargs and bad input.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { EnvKwargValueError, LunarLander, envInfo, lunarLanderHeuristic, makeEnv, playHeuristicEpisode, unwrap, type HeuristicEpisode, type LunarBodyState } from '@gymlab/envs';
import { loadLunarFixtures, loadLunarSummary, type LunarFixtureBody } from '../test-utils/lunar-lander-fixtures.js';

const SCALE = 30;
const H = 400 / SCALE;
const DT = 1 / 50;
const NAMES = ['LunarLander-v3', 'LunarLanderContinuous-v3'] as const;

/** Area, centroid and second moment about the origin of a simple polygon (counter-clockwise). */
function polygonMoments(pts: readonly (readonly [number, number])[]): { area: number; cx: number; cy: number; j: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  let j = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i]!;
    const [x1, y1] = pts[(i + 1) % pts.length]!;
    const c = x0 * y1 - x1 * y0;
    area += c / 2;
    cx += ((x0 + x1) * c) / 6;
    cy += ((y0 + y1) * c) / 6;
    j += ((x0 * x0 + x0 * x1 + x1 * x1 + y0 * y0 + y0 * y1 + y1 * y1) * c) / 12;
  }
  return { area, cx: cx / area, cy: cy / area, j };
}

function action(a: number | number[]): number | Float32Array {
  return typeof a === 'number' ? a : Float32Array.from(a);
}

function lunar(continuous: boolean): LunarLander {
  return new LunarLander({ continuous });
}

describe('LunarLander bodies', () => {
  const env = lunar(false);
  env.reset({ seed: 0 });
  const st = env.physicsState();

  it('masses and inertias are those of the shapes at Gymnasium densities (computed by hand)', () => {
    // Gymnasium's LANDER_POLY (counter-clockwise), in metres
    const m = polygonMoments([[-14, 17], [-17, 0], [-17, -10], [17, -10], [17, 0], [14, 17]].map(([x, y]) => [x! / SCALE, y! / SCALE] as const));
    // 34 x 10 rectangle plus a trapezoid of sides 34 and 28, height 17: 867 square pixels
    expect(m.area).toBeCloseTo(867 / 900, 14);
    expect(st.lander.mass).toBeCloseTo(5 * (867 / 900), 12);
    // Box2D's body inertia is about the body origin: density * polar second moment of the shape
    expect(st.lander.inertia).toBeCloseTo(5 * m.j, 12);
    const legW = 2 / SCALE;
    const legH = 8 / SCALE;
    const legMass = 1 * (2 * legW) * (2 * legH);
    for (const leg of st.legs) {
      expect(leg.mass).toBeCloseTo(legMass, 14);
      expect(leg.inertia).toBeCloseTo((legMass * ((2 * legW) ** 2 + (2 * legH) ** 2)) / 12, 14);
    }
  });

  it("masses equal Gymnasium's: each recorded reset balances momentum with them (force and gravity over one step)", () => {
    // Joint impulses are internal, so after the reset's one world step (no engine fires)
    // sum m_i v_i = dt (F + g sum m_i). Solved for (m_lander, m_leg) from x and y.
    for (const name of NAMES) {
      for (const f of loadLunarFixtures(name)) {
        for (const ep of f.episodes) {
          const { lander, legs } = ep.initial_state;
          const [fx, fy] = ep.reset_draws.initial_force;
          // x: mL vLx + mG (v1x + v2x) = dt fx ; y: mL (vLy - dt g) + mG (v1y + v2y - 2 dt g) = dt fy  (g = -10)
          const a11 = lander.linear_velocity[0];
          const a12 = legs[0].linear_velocity[0] + legs[1].linear_velocity[0];
          const a21 = lander.linear_velocity[1] + 10 * DT;
          const a22 = legs[0].linear_velocity[1] + legs[1].linear_velocity[1] + 20 * DT;
          const det = a11 * a22 - a12 * a21;
          const mL = (DT * fx * a22 - a12 * DT * fy) / det;
          const mG = (a11 * DT * fy - a21 * DT * fx) / det;
          expect(Math.abs(mL / st.lander.mass - 1)).toBeLessThan(1e-4);
          expect(Math.abs(mG / st.legs[0].mass - 1)).toBeLessThan(2e-2);
        }
      }
    }
  });

  it('keeps the geometry for drawing: terrain, pad and the three outlines in world coordinates', () => {
    const t = env.terrain();
    expect(t.chunkX).toHaveLength(11);
    expect(t.smoothY).toHaveLength(11);
    expect([t.helipadX1, t.helipadX2, t.helipadY]).toEqual([8, 12, H / 4]);
    const polys = env.bodyPolygons();
    expect(polys.map((p) => p.length)).toEqual([6, 4, 4]);
    const xs = polys[0]!.map((p) => p[0]!);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(33 / SCALE); // the lander is 34 px wide
  });
});

describe('LunarLander against Gymnasium 1.4.0 recordings', () => {
  for (const name of NAMES) {
    const files = loadLunarFixtures(name);
    const episodes = files.flatMap((f) => f.episodes);

    it(`${name}: numpy draws in Gymnasium's order (terrain, force, dispersion each step), and the env consumes them so`, () => {
      for (const ep of episodes) {
        const rng = new Rng(ep.reset_seed);
        const d = ep.reset_draws;
        expect(Array.from({ length: 12 }, () => rng.uniform(0, H / 2))).toEqual(d.terrain_height_raw);
        expect([rng.uniform(-1000, 1000), rng.uniform(-1000, 1000)]).toEqual(d.initial_force);
        expect([rng.uniform(-1, 1), rng.uniform(-1, 1)]).toEqual(d.reset_step_dispersion_raw);
        for (const s of ep.steps) expect([rng.uniform(-1, 1), rng.uniform(-1, 1)]).toEqual(s.dispersion_raw);
        const env = lunar(name !== 'LunarLander-v3');
        env.reset({ seed: ep.reset_seed });
        expect(env.terrain().chunkX).toEqual(d.chunk_x);
        expect(env.terrain().smoothY).toEqual(d.smooth_y);
        // after n steps an unseeded reset continues the generator 16 + 2n draws in
        for (let t = 0; t < 5; t++) env.step(action(ep.actions[t]!));
        env.reset();
        const cont = new Rng(ep.reset_seed);
        for (let k = 0; k < 16 + 2 * 5; k++) cont.random();
        const h = Array.from({ length: 12 }, () => cont.uniform(0, H / 2));
        for (let i = 3; i <= 7; i++) h[i] = H / 4;
        expect(env.terrain().smoothY[5]).toBe(0.33 * (h[4]! + h[5]! + h[6]!));
        expect(env.terrain().smoothY[1]).toBe(0.33 * (h[0]! + h[1]! + h[2]!));
        expect(env.terrain().smoothY[0]).toBe(0.33 * (h[11]! + h[0]! + h[1]!));
      }
    });

    it(`${name}: the state after reset matches the recorded one (positions, velocities, angles) to float32 precision`, () => {
      const close = (want: LunarFixtureBody, body: LunarBodyState): void => {
        // Box2D keeps these in float32 (1e-6 absolute at magnitudes near 10) and its 180 solver
        // iterations round each time: 2e-5 holds them, a wrong mass or inertia misses by 1e-3 or more
        expect(Math.abs(body.position[0] - want.position[0])).toBeLessThan(2e-5);
        expect(Math.abs(body.position[1] - want.position[1])).toBeLessThan(2e-5);
        expect(Math.abs(body.angle - want.angle)).toBeLessThan(2e-5);
        expect(Math.abs(body.linearVelocity[0] - want.linear_velocity[0])).toBeLessThan(2e-5);
        expect(Math.abs(body.linearVelocity[1] - want.linear_velocity[1])).toBeLessThan(2e-5);
        expect(Math.abs(body.angularVelocity - want.angular_velocity)).toBeLessThan(2e-5);
        expect(body.awake).toBe(want.awake);
      };
      for (const ep of episodes) {
        const env = lunar(name !== 'LunarLander-v3');
        const [obs] = env.reset({ seed: ep.reset_seed });
        const st = env.physicsState();
        close(ep.initial_state.lander, st.lander);
        close(ep.initial_state.legs[0], st.legs[0]);
        close(ep.initial_state.legs[1], st.legs[1]);
        expect(Math.abs(st.prevShaping! - ep.initial_state.prev_shaping)).toBeLessThan(1e-3);
        for (let i = 0; i < 8; i++) expect(Math.abs(obs[i]! - ep.initial_obs[i]!)).toBeLessThan(1e-6);
      }
    });

    it(`${name}: replaying the recorded actions, every step before the first leg contact is within 1e-4 per observation`, () => {
      // Tolerance: Box2D rounds every operation to float32 (relative 6e-8), planck keeps float64; the
      // gap grows from ~1e-7 at the first step to ~1e-5 over 100 flight steps, so 1e-4 allows that
      // drift with a margin, while any modelling error (a wrong mass, torque, engine offset or
      // joint angle) shows at 1e-3 or more within a few steps. Rewards are 100x differences of
      // observation norms, so they get 100 * 2 * sqrt(2) * 1e-4 < 3e-2. Contacts (the terrain,
      // the legs' springs) amplify float differences, so after the first contact only the outcome
      // is compared.
      let within = 0;
      let total = 0;
      let sameEnd = 0;
      for (const ep of episodes) {
        const env = lunar(name !== 'LunarLander-v3');
        env.reset({ seed: ep.reset_seed });
        const contact = ep.steps.findIndex((s) => s.obs[6] === 1 || s.obs[7] === 1);
        expect(contact).toBeGreaterThan(50);
        let inside = true;
        let end: [boolean, number] = [false, 0];
        for (let t = 0; t < ep.steps.length; t++) {
          const [obs, reward, terminated] = env.step(action(ep.actions[t]!));
          const want = ep.steps[t]!;
          const err = Math.max(...Array.from(obs, (x, i) => Math.abs(x - want.obs[i]!)));
          if (err > 1e-4) inside = false;
          if (inside) within++;
          total++;
          if (t < contact) {
            expect(err, `${ep.reset_seed} step ${t}`).toBeLessThanOrEqual(1e-4);
            expect(Math.abs(reward - want.reward), `${ep.reset_seed} step ${t}`).toBeLessThan(3e-2);
            expect(terminated).toBe(false);
          }
          end = [terminated, reward];
        }
        const last = ep.steps[ep.steps.length - 1]!;
        if (end[0] && end[1] === last.reward) sameEnd++;
      }
      console.log(`${name}: ${within} of ${total} recorded steps within 1e-4 before the first divergence; ${sameEnd} of ${episodes.length} episodes end at the recorded step with the recorded outcome`);
      expect(within / total).toBeGreaterThan(0.6);
      expect(sameEnd).toBeGreaterThanOrEqual(episodes.length - 3);
    });
  }
});

describe("Gymnasium's heuristic controller", () => {
  it('acts as its rule says on hand-worked observations', () => {
    const obs = (o: Partial<Record<number, number>>): number[] => Array.from({ length: 8 }, (_, i) => o[i] ?? 0);
    // below its hover target (y = -1): hover_todo = 0.5 > |angle_todo| = 0 -> main engine
    expect(lunarLanderHeuristic(obs({ 1: -1 }), false)).toBe(2);
    // high, still, upright: hover_todo = -0.5 -> nothing; continuous [clip(-0.5 * 20 - 1), -0 * 20]
    expect(lunarLanderHeuristic(obs({ 1: 1 }), false)).toBe(0);
    expect(Array.from(lunarLanderHeuristic(obs({ 1: 1 }), true) as Float32Array)).toEqual([-1, -0]);
    // tilted left (angle 0.3) at height 1: angle_todo = -0.15 < -0.05 -> right engine (3)
    expect(lunarLanderHeuristic(obs({ 1: 1, 4: 0.3 }), false)).toBe(3);
    // x = 0.4 right of the pad: angle_targ 0.2, angle_todo 0.1 > 0.05 -> left engine (1)
    expect(lunarLanderHeuristic(obs({ 0: 0.4, 1: 1 }), false)).toBe(1);
    // a leg down: only the fall speed matters, vy = -0.2 -> hover_todo 0.1 -> main engine
    expect(lunarLanderHeuristic(obs({ 3: -0.2, 4: 0.3, 6: 1 }), false)).toBe(2);
    expect(Array.from(lunarLanderHeuristic(obs({ 3: -0.2, 4: 0.3, 6: 1 }), true) as Float32Array)).toEqual([1, -0]);
  });

  // CI runs the first N of the 200 seeds the summary's protocol uses and compares with Gymnasium's
  // own episodes on those seeds (the summary lists each). The interval for a mean of N episodes is
  // 2 standard errors (sigma from all 200 episodes / sqrt(N)); for a fraction 2 sqrt(p(1-p)/N) + 1/N.
  // tools/lunar-lander-heuristic.mjs runs the full protocol (seeds 0-199).
  const N = 60;
  for (const name of NAMES) {
    it(`${name}: return, length and landed fraction over seeds 0-${N - 1} inside Gymnasium's intervals`, () => {
      const summary = loadLunarSummary(name).heuristic;
      const env = makeEnv(name);
      const eps: HeuristicEpisode[] = [];
      for (let s = 0; s < N; s++) eps.push(playHeuristicEpisode(env, s, name !== 'LunarLander-v3'));
      const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
      const ret = mean(eps.map((e) => e.return));
      const len = mean(eps.map((e) => e.length));
      const landed = mean(eps.map((e) => (e.landed ? 1 : 0)));
      const gymRet = mean(summary.returns.slice(0, N));
      const gymLen = mean(summary.lengths.slice(0, N));
      const p = summary.landed_fraction;
      console.log(`${name} heuristic, seeds 0-${N - 1}: return ${ret.toFixed(1)} (Gymnasium ${gymRet.toFixed(1)}), length ${len.toFixed(1)} (${gymLen.toFixed(1)}), landed ${landed}`);
      expect(Math.abs(ret - gymRet)).toBeLessThan((2 * summary.return.std) / Math.sqrt(N));
      expect(Math.abs(len - gymLen)).toBeLessThan((2 * summary.length.std) / Math.sqrt(N));
      expect(Math.abs(landed - p)).toBeLessThan(2 * Math.sqrt((p * (1 - p)) / N) + 1 / N);
    }, 60_000);
  }
});

describe('LunarLander env API', () => {
  it('is registered with a 1000-step limit and threshold 200; discrete and continuous spaces', () => {
    for (const id of NAMES) expect(envInfo(id)).toEqual({ id, maxEpisodeSteps: 1000, rewardThreshold: 200 });
    const d = makeEnv('LunarLander-v3');
    expect(d.actionSpace.kind).toBe('discrete');
    const c = makeEnv('LunarLanderContinuous-v3');
    expect(c.actionSpace.kind === 'box' && c.actionSpace.shape).toEqual([2]);
    expect((unwrap(makeEnv('LunarLander-v3', { kwargs: { continuous: true } })) as LunarLander).continuous).toBe(true);
    const [obs] = d.reset({ seed: 3 });
    expect(obs).toBeInstanceOf(Float32Array);
    expect(d.observationSpace.contains(obs)).toBe(true);
    const short = makeEnv('LunarLander-v3', { maxEpisodeSteps: 5 });
    short.reset({ seed: 0 });
    let r: ReturnType<typeof short.step> | null = null;
    for (let t = 0; t < 5; t++) r = short.step(0);
    expect(r![3]).toBe(true);
  });

  it('same seed, same episode; another seed, another episode', () => {
    const run = (seed: number, continuous: boolean): number[] => {
      const env = lunar(continuous);
      const rng = new Rng(99);
      const out = Array.from(env.reset({ seed })[0]);
      for (let t = 0; t < 60; t++) {
        const [obs, reward] = env.step(env.actionSpace.sample(rng));
        out.push(...obs, reward);
      }
      return out;
    };
    for (const c of [false, true]) {
      expect(run(7, c)).toEqual(run(7, c));
      expect(run(8, c)).not.toEqual(run(7, c));
    }
  });

  it('gravity sets the free fall; wind pushes with tanh(sin(0.02 k) + sin(0.01 pi k)) * wind_power from a drawn k', () => {
    /** Momentum of the lander and legs along axis `i` (joint impulses cancel in it). */
    const momentum = (env: LunarLander, i: 0 | 1): number => {
      const s = env.physicsState();
      return [s.lander, ...s.legs].reduce((acc, b) => acc + b.mass * b.linearVelocity[i], 0);
    };
    const fall = (gravity: number): number => {
      const env = new LunarLander({ gravity });
      env.reset({ seed: 1 });
      const p0 = momentum(env, 1);
      for (let t = 0; t < 10; t++) env.step(0);
      const s = env.physicsState();
      return (momentum(env, 1) - p0) / (s.lander.mass + s.legs[0].mass + s.legs[1].mass);
    };
    // no contact, no engine: the centre of mass gains g * dt per step
    expect(fall(-10)).toBeCloseTo(-10 * 10 * DT, 10);
    expect(fall(-3)).toBeCloseTo(-3 * 10 * DT, 10);
    const momentumX = (env: LunarLander): number => momentum(env, 0);
    const calm = new LunarLander();
    const windy = new LunarLander({ enableWind: true, windPower: 15, turbulencePower: 0 });
    calm.reset({ seed: 4 });
    windy.reset({ seed: 4 });
    const rng = new Rng(4);
    for (let k = 0; k < 14; k++) rng.random();
    let k = rng.integers(-9999, 9999);
    let impulse = Math.tanh(Math.sin(0.02 * k) + Math.sin(Math.PI * 0.01 * k)) * 15 * DT; // the reset's step
    k++;
    for (let t = 0; t < 20; t++) {
      calm.step(0);
      windy.step(0);
      impulse += Math.tanh(Math.sin(0.02 * k) + Math.sin(Math.PI * 0.01 * k)) * 15 * DT;
      k++;
    }
    expect(momentumX(windy) - momentumX(calm)).toBeCloseTo(impulse, 8);
    const turbulent = new LunarLander({ enableWind: true, windPower: 0, turbulencePower: 1.5 });
    turbulent.reset({ seed: 4 });
    for (let t = 0; t < 20; t++) turbulent.step(0);
    expect(turbulent.physicsState().lander.angle).not.toBeCloseTo(calm.physicsState().lander.angle, 4);
  });

  it('bad input: one line naming the kwarg or the action and what is allowed', () => {
    const kwargs = (id: string, kw: Record<string, unknown>) => (): unknown => makeEnv(id, { kwargs: kw });
    expect(kwargs('LunarLander-v3', { gravity: 3 })).toThrow(EnvKwargValueError);
    expect(kwargs('LunarLander-v3', { gravity: 3 })).toThrow(/^env LunarLander-v3: keyword argument 'gravity' must be a number in \(-12, 0\), got 3$/);
    expect(kwargs('LunarLander-v3', { enable_wind: 'yes' })).toThrow("'enable_wind' must be true or false");
    expect(kwargs('LunarLanderContinuous-v3', { wind_power: null })).toThrow("'wind_power' must be a finite number");
    expect(kwargs('LunarLander-v3', { hardcore: true })).toThrow('takes no keyword argument');
    const d = makeEnv('LunarLander-v3');
    expect(() => d.step(0)).toThrow(/^LunarLander-v3: call reset\(\) before step\(\)$/);
    d.reset({ seed: 0 });
    expect(() => d.step(4)).toThrow(/^LunarLander-v3: action must be an integer in \[0, 3\], got 4$/);
    expect(() => d.step(1.5)).toThrow(/^[^\n]+$/);
    const c = makeEnv('LunarLanderContinuous-v3');
    c.reset({ seed: 0 });
    expect(() => c.step(new Float32Array(3))).toThrow('action must be an array of 2 numbers');
  });

  it('continuous actions are clipped to [-1, 1] as Gymnasium clips them', () => {
    const a = lunar(true);
    const b = lunar(true);
    a.reset({ seed: 5 });
    b.reset({ seed: 5 });
    for (let t = 0; t < 10; t++) {
      expect(a.step(Float32Array.of(3, -7))[0]).toEqual(b.step(Float32Array.of(1, -1))[0]);
    }
  });
});
