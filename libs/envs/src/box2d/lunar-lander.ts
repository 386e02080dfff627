/**
 * LunarLander-v3 (discrete) and its `continuous` variant, a port of Gymnasium 1.4.0's
 * `LunarLander` (Oleg Klimov) onto planck, a JavaScript Box2D. The world, bodies, joints,
 * engines, wind, observations, rewards and termination follow Gymnasium; the random draws come
 * from a numpy-compatible generator in Gymnasium's order (12 terrain heights, the initial force,
 * two wind offsets when wind is on, then two dispersion draws in every step, the one reset runs
 * included), so a seeded episode is reproducible and starts from Gymnasium's terrain and push.
 * Box2D 2.3 computes in float32 and planck in float64, so trajectories agree with Gymnasium's
 * closely for the first steps, then drift apart (see the README for how far).
 */
import { Rng } from '@gymlab/random';
import { Box as BoxShape, Edge, Polygon, World, type Body, type Contact, type Vec2Value } from 'planck';
import type { Action, Env, EnvInfo, Info, Observation, StepResult } from '../core.js';
import { Box, Discrete } from '../spaces.js';
import { DEFAULT_SEED, EMPTY_INFO, discreteAction } from '../classic-control/base.js';
import { restartRng, restartSnapshot, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';
import { AllocationFreeRevoluteJoint } from './lunar-lander-joint.js';

const FPS = 50;
/** Pixels per metre: the game's coordinates are viewport pixels / SCALE. */
const SCALE = 30.0;
const MAIN_ENGINE_POWER = 13.0;
const SIDE_ENGINE_POWER = 0.6;
const INITIAL_RANDOM = 1000.0;
const LANDER_POLY: readonly (readonly [number, number])[] = [
  [-14, 17],
  [-17, 0],
  [-17, -10],
  [17, -10],
  [17, 0],
  [14, 17],
];
const LEG_AWAY = 20;
const LEG_DOWN = 18;
const LEG_W = 2;
const LEG_H = 8;
const LEG_SPRING_TORQUE = 40;
const SIDE_ENGINE_HEIGHT = 14;
const SIDE_ENGINE_AWAY = 12;
const MAIN_ENGINE_Y_LOCATION = 4;
const VIEWPORT_W = 600;
const VIEWPORT_H = 400;
const W = VIEWPORT_W / SCALE;
const H = VIEWPORT_H / SCALE;
const CHUNKS = 11;
const VELOCITY_ITERATIONS = 6 * 30;
const POSITION_ITERATIONS = 2 * 30;

/** Gymnasium's `LunarLander(...)` keyword arguments (rendering aside). */
export interface LunarLanderOptions {
  /** Box(-1, 1, (2,)) throttles instead of Discrete(4). Default false. */
  readonly continuous?: boolean;
  /** Gravity along y, in (-12, 0). Default -10. */
  readonly gravity?: number;
  /** Wind and turbulence while no leg touches the ground. Default false. */
  readonly enableWind?: boolean;
  /** Largest wind force. Default 15 (Gymnasium recommends 0..20). */
  readonly windPower?: number;
  /** Largest turbulence torque. Default 1.5 (Gymnasium recommends 0..2). */
  readonly turbulencePower?: number;
}

/** Terrain and landing pad of the current episode (for drawing frames). */
export interface LunarTerrain {
  /** x of the 11 terrain points. */
  readonly chunkX: readonly number[];
  /** Smoothed heights of the 11 terrain points. */
  readonly smoothY: readonly number[];
  readonly helipadX1: number;
  readonly helipadX2: number;
  readonly helipadY: number;
}

/** One body's physical state, in Box2D's units and conventions. */
export interface LunarBodyState {
  /** Body origin (Box2D's `position`), not the centre of mass. */
  readonly position: readonly [number, number];
  readonly angle: number;
  /** Velocity of the centre of mass. */
  readonly linearVelocity: readonly [number, number];
  readonly angularVelocity: number;
  readonly awake: boolean;
  readonly mass: number;
  /** Rotational inertia about the body origin (Box2D's `GetInertia()`, pybox2d's `inertia`). */
  readonly inertia: number;
}

export interface LunarPhysicsState {
  readonly lander: LunarBodyState;
  readonly legs: readonly [LunarBodyState, LunarBodyState];
  readonly groundContact: readonly [boolean, boolean];
  readonly gameOver: boolean;
  readonly prevShaping: number | null;
}

interface Episode {
  readonly world: World;
  readonly lander: Body;
  readonly legs: readonly [Body, Body];
  readonly terrain: LunarTerrain;
  readonly groundContact: [boolean, boolean];
  gameOver: boolean;
  prevShaping: number | null;
  windIdx: number;
  torqueIdx: number;
}

export class LunarLander implements Env, SnapshotEnv {
  readonly observationSpace = new Box(
    [-2.5, -2.5, -10, -10, -2 * Math.PI, -10, -0, -0],
    [2.5, 2.5, 10, 10, 2 * Math.PI, 10, 1, 1],
  );
  readonly actionSpace: Discrete | Box;
  readonly info: EnvInfo;
  readonly continuous: boolean;
  readonly gravity: number;
  readonly enableWind: boolean;
  readonly windPower: number;
  readonly turbulencePower: number;
  private rng: Rng | null = null;
  private episode: Episode | null = null;
  /** Reused vectors for forces and impulses (step allocates no physics inputs). */
  private readonly force: Vec2Value = { x: 0, y: 0 };
  private readonly point: Vec2Value = { x: 0, y: 0 };

  constructor(options: LunarLanderOptions = {}) {
    this.continuous = options.continuous ?? false;
    this.gravity = options.gravity ?? -10.0;
    this.enableWind = options.enableWind ?? false;
    this.windPower = options.windPower ?? 15.0;
    this.turbulencePower = options.turbulencePower ?? 1.5;
    const id = this.continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
    if (!(this.gravity > -12 && this.gravity < 0)) {
      throw new RangeError(`${id}: gravity must be a number in (-12, 0), got ${String(this.gravity)}`);
    }
    for (const [k, v] of [['windPower', this.windPower], ['turbulencePower', this.turbulencePower]] as const) {
      if (!Number.isFinite(v)) throw new RangeError(`${id}: ${k} must be a finite number, got ${String(v)}`);
    }
    this.actionSpace = this.continuous ? new Box(-1, 1, [2]) : new Discrete(4);
    this.info = Object.freeze({ id, maxEpisodeSteps: null, rewardThreshold: 200 });
  }

  reset(options?: { seed?: number }): [obs: Observation, info: Info] {
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    else if (this.rng === null) this.rng = new Rng(DEFAULT_SEED);
    this.episode = this.buildEpisode(this.rng);
    const [obs] = this.step(this.continuous ? new Float32Array(2) : 0);
    return [obs, EMPTY_INFO];
  }

  step(action: Action): StepResult {
    const ep = this.episode;
    if (ep === null) throw new Error(`${this.info.id}: call reset() before step()`);
    const rng = this.rng!;
    const lander = ep.lander;
    if (this.enableWind && !(ep.groundContact[0] || ep.groundContact[1])) {
      this.force.x = Math.tanh(Math.sin(0.02 * ep.windIdx) + Math.sin(Math.PI * 0.01 * ep.windIdx)) * this.windPower;
      this.force.y = 0;
      ep.windIdx += 1;
      lander.applyForceToCenter(this.force, true);
      const torque = Math.tanh(Math.sin(0.02 * ep.torqueIdx) + Math.sin(Math.PI * 0.01 * ep.torqueIdx)) * this.turbulencePower;
      ep.torqueIdx += 1;
      lander.applyTorque(torque, true);
    }
    const [main, lateral] = this.throttles(action);

    const angle = lander.getAngle();
    const tip0 = Math.sin(angle);
    const tip1 = Math.cos(angle);
    const side0 = -tip1;
    const side1 = tip0;
    const disp0 = rng.uniform(-1.0, 1.0) / SCALE;
    const disp1 = rng.uniform(-1.0, 1.0) / SCALE;
    const pos = lander.getPosition();

    let mPower = 0.0;
    if (main > 0.0) {
      mPower = this.continuous ? (Math.min(main, 1.0) + 1.0) * 0.5 : 1.0;
      const ox = tip0 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * disp0) + side0 * disp1;
      const oy = -tip1 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * disp0) - side1 * disp1;
      this.point.x = pos.x + ox;
      this.point.y = pos.y + oy;
      this.force.x = -ox * MAIN_ENGINE_POWER * mPower;
      this.force.y = -oy * MAIN_ENGINE_POWER * mPower;
      lander.applyLinearImpulse(this.force, this.point, true);
    }

    let sPower = 0.0;
    if (Math.abs(lateral) > 0.5) {
      const direction = Math.sign(lateral);
      sPower = this.continuous ? Math.min(Math.abs(lateral), 1.0) : 1.0;
      const ox = tip0 * disp0 + side0 * (3 * disp1 + (direction * SIDE_ENGINE_AWAY) / SCALE);
      const oy = -tip1 * disp0 - side1 * (3 * disp1 + (direction * SIDE_ENGINE_AWAY) / SCALE);
      this.point.x = pos.x + ox - (tip0 * 17) / SCALE;
      this.point.y = pos.y + oy + (tip1 * SIDE_ENGINE_HEIGHT) / SCALE;
      this.force.x = -ox * SIDE_ENGINE_POWER * sPower;
      this.force.y = -oy * SIDE_ENGINE_POWER * sPower;
      lander.applyLinearImpulse(this.force, this.point, true);
    }

    ep.world.step(1.0 / FPS, VELOCITY_ITERATIONS, POSITION_ITERATIONS);

    const p = lander.getPosition();
    const v = lander.getLinearVelocity();
    const s0 = (p.x - VIEWPORT_W / SCALE / 2) / (VIEWPORT_W / SCALE / 2);
    const s1 = (p.y - (ep.terrain.helipadY + LEG_DOWN / SCALE)) / (VIEWPORT_H / SCALE / 2);
    const s2 = (v.x * (VIEWPORT_W / SCALE / 2)) / FPS;
    const s3 = (v.y * (VIEWPORT_H / SCALE / 2)) / FPS;
    const s4 = lander.getAngle();
    const s5 = (20.0 * lander.getAngularVelocity()) / FPS;
    const s6 = ep.groundContact[0] ? 1.0 : 0.0;
    const s7 = ep.groundContact[1] ? 1.0 : 0.0;
    const obs = Float32Array.of(s0, s1, s2, s3, s4, s5, s6, s7);

    const shaping = -100 * Math.sqrt(s0 * s0 + s1 * s1) - 100 * Math.sqrt(s2 * s2 + s3 * s3) - 100 * Math.abs(s4) + 10 * s6 + 10 * s7;
    let reward = ep.prevShaping === null ? 0 : shaping - ep.prevShaping;
    ep.prevShaping = shaping;
    reward -= mPower * 0.3;
    reward -= sPower * 0.03;

    let terminated = false;
    if (ep.gameOver || Math.abs(s0) >= 1.0) {
      terminated = true;
      reward = -100;
    }
    if (!lander.isAwake()) {
      terminated = true;
      reward = 100;
    }
    return [obs, reward, terminated, false, EMPTY_INFO];
  }

  close(): void {
    this.episode = null;
  }

  /** A restart snapshot (see snapshot.ts): the generator only; planck's world cannot be saved exactly. */
  snapshot(): EnvSnapshot {
    return restartSnapshot(this.rng);
  }

  /** Takes the generator back; the episode in progress is gone (reset() before the next step). */
  restore(s: EnvSnapshot): void {
    this.rng = restartRng(s, `${this.info.id} snapshot`);
    this.episode = null;
  }

  /** The current episode's terrain and pad; throws before the first reset. */
  terrain(): LunarTerrain {
    return this.current().terrain;
  }

  /**
   * Outlines of the lander and its two legs in world coordinates (metres; multiply by 30 for
   * viewport pixels), lander first: what a renderer draws.
   */
  bodyPolygons(): number[][][] {
    const ep = this.current();
    return [ep.lander, ...ep.legs].map((body) => {
      const shape = body.getFixtureList()!.getShape() as Polygon;
      return shape.m_vertices.map((v) => {
        const w = body.getWorldPoint(v);
        return [w.x, w.y];
      });
    });
  }

  /** Bodies' positions, velocities, masses and contacts (tests, debugging). */
  physicsState(): LunarPhysicsState {
    const ep = this.current();
    return {
      lander: bodyState(ep.lander),
      legs: [bodyState(ep.legs[0]), bodyState(ep.legs[1])],
      groundContact: [ep.groundContact[0], ep.groundContact[1]],
      gameOver: ep.gameOver,
      prevShaping: ep.prevShaping,
    };
  }

  private current(): Episode {
    if (this.episode === null) throw new Error(`${this.info.id}: call reset() first`);
    return this.episode;
  }

  /** [main, lateral] throttle commands: continuous actions clipped to [-1, 1]; discrete mapped. */
  private throttles(action: Action): [number, number] {
    if (!this.continuous) {
      const a = discreteAction(this.info.id, action, 4);
      return [a === 2 ? 1 : 0, a === 1 ? -1 : a === 3 ? 1 : 0];
    }
    if (typeof action === 'number' || action.length !== 2) {
      throw new RangeError(`${this.info.id}: action must be an array of 2 numbers, got ${String(action)}`);
    }
    return [clip1(action[0]), clip1(action[1])];
  }

  /** A new world in Gymnasium's order of construction and draws (reset before its first step). */
  private buildEpisode(rng: Rng): Episode {
    const world = new World({ gravity: { x: 0, y: this.gravity } });

    const height: number[] = [];
    for (let i = 0; i < CHUNKS + 1; i++) height.push(rng.uniform(0, H / 2));
    const chunkX = Array.from({ length: CHUNKS }, (_, i) => (W / (CHUNKS - 1)) * i);
    const helipadY = H / 4;
    const mid = Math.floor(CHUNKS / 2);
    for (let i = mid - 2; i <= mid + 2; i++) height[i] = helipadY;
    // Python's height[i - 1] at i = 0 is the last of the 12 heights.
    const smoothY = chunkX.map((_, i) => 0.33 * ((i === 0 ? height[CHUNKS] : height[i - 1]) + height[i] + height[i + 1]));
    const terrain: LunarTerrain = {
      chunkX,
      smoothY,
      helipadX1: chunkX[mid - 1],
      helipadX2: chunkX[mid + 1],
      helipadY,
    };

    const moon = world.createBody({ type: 'static' });
    moon.createFixture(new Edge({ x: 0, y: 0 }, { x: W, y: 0 }), { density: 0, friction: 0.2 });
    for (let i = 0; i < CHUNKS - 1; i++) {
      moon.createFixture(new Edge({ x: chunkX[i], y: smoothY[i] }, { x: chunkX[i + 1], y: smoothY[i + 1] }), {
        density: 0,
        friction: 0.1,
      });
    }

    const initialX = VIEWPORT_W / SCALE / 2;
    const initialY = VIEWPORT_H / SCALE;
    const lander = world.createBody({ type: 'dynamic', position: { x: initialX, y: initialY }, angle: 0 });
    lander.createFixture(new Polygon(LANDER_POLY.map(([x, y]) => ({ x: x / SCALE, y: y / SCALE }))), {
      density: 5.0,
      friction: 0.1,
      filterCategoryBits: 0x0010,
      filterMaskBits: 0x001,
      restitution: 0.0,
    });
    const fx = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
    const fy = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
    lander.applyForceToCenter({ x: fx, y: fy }, true);
    const windIdx = this.enableWind ? rng.integers(-9999, 9999) : 0;
    const torqueIdx = this.enableWind ? rng.integers(-9999, 9999) : 0;

    const legs = ([-1, 1] as const).map((i) => {
      const leg = world.createBody({ type: 'dynamic', position: { x: initialX - (i * LEG_AWAY) / SCALE, y: initialY }, angle: i * 0.05 });
      leg.createFixture(new BoxShape(LEG_W / SCALE, LEG_H / SCALE), {
        density: 1.0,
        restitution: 0.0,
        filterCategoryBits: 0x0020,
        filterMaskBits: 0x001,
      });
      world.createJoint(
        new AllocationFreeRevoluteJoint({
          bodyA: lander,
          bodyB: leg,
          localAnchorA: { x: 0, y: 0 },
          localAnchorB: { x: (i * LEG_AWAY) / SCALE, y: LEG_DOWN / SCALE },
          // referenceAngle: the bodies' angle difference at creation (planck's default), which is what
          // Gymnasium's recorded joint angles show pybox2d used (i * 0.05, not Box2D's bare default 0).
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: LEG_SPRING_TORQUE,
          motorSpeed: 0.3 * i,
          lowerAngle: i === -1 ? 0.9 - 0.5 : -0.9,
          upperAngle: i === -1 ? 0.9 : -0.9 + 0.5,
        }),
      );
      return leg;
    }) as [Body, Body];

    const ep: Episode = { world, lander, legs, terrain, groundContact: [false, false], gameOver: false, prevShaping: null, windIdx, torqueIdx };
    world.on('begin-contact', (c: Contact) => {
      const a = c.getFixtureA().getBody();
      const b = c.getFixtureB().getBody();
      if (a === lander || b === lander) ep.gameOver = true;
      for (let k = 0; k < 2; k++) if (a === legs[k] || b === legs[k]) ep.groundContact[k] = true;
    });
    world.on('end-contact', (c: Contact) => {
      const a = c.getFixtureA().getBody();
      const b = c.getFixtureB().getBody();
      for (let k = 0; k < 2; k++) if (a === legs[k] || b === legs[k]) ep.groundContact[k] = false;
    });
    return ep;
  }
}

/** numpy's `np.clip(x, -1, 1)` (NaN passes through). */
function clip1(x: number): number {
  return x < -1 ? -1 : x > 1 ? 1 : x;
}

function bodyState(b: Body): LunarBodyState {
  const p = b.getPosition();
  const v = b.getLinearVelocity();
  return {
    position: [p.x, p.y],
    angle: b.getAngle(),
    linearVelocity: [v.x, v.y],
    angularVelocity: b.getAngularVelocity(),
    awake: b.isAwake(),
    mass: b.getMass(),
    inertia: b.getInertia(),
  };
}
