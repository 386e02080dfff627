/**
 * BipedalWalker-v3 (and its `hardcore` terrain), a port of Gymnasium 1.4.0's `BipedalWalker` onto
 * planck (a JavaScript Box2D): same bodies, fixtures, joints, motors, lidar, observation (24
 * float32: hull angle and velocities, four joint angles and speeds, two ground contacts, ten lidar
 * fractions), reward (forward progress `130 x / SCALE`, minus `5 |angle|`, minus motor torque
 * `0.00035 * 80 * |a|` per joint; -100 on falling) and termination (hull touches the ground, walker
 * left of x = 0, or past the end of the terrain). `reset({ seed })` draws from numpy's generator in
 * Gymnasium's order (terrain, clouds, initial push), then takes Gymnasium's first zero-action step.
 *
 * Box2D stores float32; planck computes in float64. Inputs Box2D would round (vertices, positions,
 * angles, forces, motor settings, the time step) are rounded to float32 here, so the worlds start
 * the same; the solver's own rounding differs, so trajectories agree closely for the first steps
 * and then drift apart (measured in bipedal-walker.test.ts).
 */
import { Box, Edge, Polygon, Vec2, World } from 'planck';
import type { RevoluteJoint } from 'planck';
import type { Body, Contact, Fixture } from 'planck';
import { Rng } from '@gymlab/random';
import type { Action, Env, EnvInfo, Info, StepResult } from '../core.js';
import { Box as BoxSpace } from '../spaces.js';
import { cos, sin } from '../classic-control/trig.js';
import { DEFAULT_SEED, EMPTY_INFO } from '../classic-control/base.js';
import { restartRng, restartSnapshot, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';
import { AllocationFreeRevoluteJoint } from './lunar-lander-joint.js';
import {
  SCALE,
  TERRAIN_GRASS,
  TERRAIN_HEIGHT,
  TERRAIN_LENGTH,
  TERRAIN_STARTPAD,
  TERRAIN_STEP,
  VIEWPORT_H,
  VIEWPORT_W,
  generateClouds,
  generateTerrain,
  type BipedalTerrain,
  type Cloud,
  type Polygon as TerrainPolygon,
} from './bipedal-walker-terrain.js';

const FPS = 50;
const MOTORS_TORQUE = 80;
const SPEED_HIP = 4;
const SPEED_KNEE = 6;
const LIDAR_RANGE = 160 / SCALE;
const INITIAL_RANDOM = 5;
const HULL_POLY: readonly (readonly [number, number])[] = [
  [-30, 9],
  [6, 9],
  [34, 1],
  [34, -8],
  [-30, -8],
];
const LEG_DOWN = -8 / SCALE;
const LEG_W = 8 / SCALE;
const LEG_H = 34 / SCALE;
const FRICTION = 2.5;
/** Walker fixtures: category 0x20, colliding only with the ground (category 1). */
const WALKER_CATEGORY = 0x0020;
const GROUND_CATEGORY = 0x0001;
/** Box2D's iteration counts as Gymnasium steps the world. */
const VELOCITY_ITERATIONS = 6 * 30;
const POSITION_ITERATIONS = 2 * 30;
const f32 = Math.fround;
/** Box2D's float32 time step. */
const DT = f32(1.0 / FPS);

const OBS_HIGH = [Math.PI, 5, 5, 5, Math.PI, 5, Math.PI, 5, 5, Math.PI, 5, Math.PI, 5, 5, ...Array<number>(10).fill(1)];
const OBS_LOW = OBS_HIGH.map((h, i) => (i === 8 || i === 13 ? -0 : -h));

/** Lidar ray offsets from the hull: `(sin(1.5 i / 10), -cos(1.5 i / 10)) * LIDAR_RANGE`. */
const LIDAR_DX = Array.from({ length: 10 }, (_, i) => sin((1.5 * i) / 10.0) * LIDAR_RANGE);
const LIDAR_DY = Array.from({ length: 10 }, (_, i) => cos((1.5 * i) / 10.0) * LIDAR_RANGE);

export interface BipedalWalkerOptions {
  /** Gymnasium's `hardcore`: ladders (stairs), stumps and pits. */
  readonly hardcore?: boolean;
}

/** Mass and rotational inertia about the body origin (Box2D's `GetMass()`, `GetInertia()`). */
export interface BodyMass {
  readonly mass: number;
  readonly inertia: number;
}

/** A walker body's pose, for tests and a frame drawer. */
export interface BodyPose {
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  /** The fixture's polygon in the body's frame, [x0, y0, x1, y1, ...]. */
  readonly localPolygon: TerrainPolygon;
}

/** A Box2D-style float32 copy of a polygon. */
function f32Polygon(points: readonly (readonly [number, number])[]): Vec2[] {
  return points.map(([x, y]) => new Vec2(f32(x), f32(y)));
}

export class BipedalWalker implements Env, SnapshotEnv {
  readonly observationSpace = new BoxSpace(OBS_LOW, OBS_HIGH);
  readonly actionSpace = new BoxSpace(-1, 1, [4]);
  readonly info: EnvInfo;
  readonly hardcore: boolean;
  private rng: Rng | null = null;
  private world: World | null = null;
  private hull: Body | null = null;
  /** Upper leg, lower leg, upper leg, lower leg (Gymnasium's `legs`). */
  private legs: Body[] = [];
  /** Hip, knee, hip, knee (Gymnasium's `joints`). */
  private joints: RevoluteJoint[] = [];
  /** Ground contact of the two lower legs (Gymnasium's `legs[1].ground_contact`, `legs[3]...`). */
  private readonly groundContact = [false, false];
  private gameOver = false;
  private prevShaping: number | null = null;
  private terrainData: BipedalTerrain | null = null;
  private cloudData: Cloud[] = [];
  private readonly lidarFraction = new Float64Array(10);
  private lidarHit = 1.0;
  private readonly rayFrom = { x: 0, y: 0 };
  private readonly rayTo = { x: 0, y: 0 };
  private readonly rayCallback = (fixture: Fixture, _point: Vec2, _normal: Vec2, fraction: number): number => {
    if ((fixture.getFilterCategoryBits() & GROUND_CATEGORY) === 0) return -1;
    this.lidarHit = fraction;
    return fraction;
  };

  constructor(options: BipedalWalkerOptions = {}) {
    const hardcore = options.hardcore ?? false;
    if (typeof hardcore !== 'boolean') {
      throw new RangeError(`BipedalWalker-v3: hardcore must be true or false, got ${JSON.stringify(hardcore)}`);
    }
    this.hardcore = hardcore;
    this.info = Object.freeze({ id: 'BipedalWalker-v3', maxEpisodeSteps: null, rewardThreshold: 300 });
  }

  /** Starts an episode: terrain, clouds and the initial push drawn in Gymnasium's order. */
  reset(options?: { seed?: number }): [obs: Float32Array, info: Info] {
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    else if (this.rng === null) this.rng = new Rng(DEFAULT_SEED);
    const terrain = generateTerrain(this.rng, this.hardcore);
    this.cloudData = generateClouds(this.rng);
    const force = this.rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
    return [this.resetWith(terrain, force), EMPTY_INFO];
  }

  /**
   * Starts an episode on a given terrain with a given initial push (Gymnasium's `initial_force`
   * x component); draws nothing. For replaying recorded episodes.
   */
  resetWith(terrain: BipedalTerrain, initialForceX: number): Float32Array {
    this.gameOver = false;
    this.prevShaping = null;
    this.groundContact[0] = false;
    this.groundContact[1] = false;
    this.terrainData = terrain;
    const world = new World({ gravity: new Vec2(0, -10) });
    this.world = world;
    world.on('begin-contact', (c: Contact) => this.onContact(c, true));
    world.on('end-contact', (c: Contact) => this.onContact(c, false));
    this.buildTerrain(world, terrain);
    this.buildWalker(world, initialForceX);
    return this.advance(ZERO_ACTION)[0];
  }

  step(action: Action): StepResult {
    if (this.world === null) throw new Error('BipedalWalker-v3: call reset() before step()');
    if (typeof action === 'number' || action.length !== 4) {
      throw new RangeError(`BipedalWalker-v3: action must be an array of 4 numbers in [-1, 1], got ${String(action)}`);
    }
    const [obs, reward, terminated] = this.advance(action);
    return [obs, reward, terminated, false, EMPTY_INFO];
  }

  close(): void {
    this.world = null;
    this.hull = null;
    this.legs = [];
    this.joints = [];
  }

  /** A restart snapshot (see snapshot.ts): the generator only; planck's world cannot be saved exactly. */
  snapshot(): EnvSnapshot {
    return restartSnapshot(this.rng);
  }

  /** Takes the generator back; the episode in progress is gone (reset() before the next step). */
  restore(s: EnvSnapshot): void {
    this.rng = restartRng(s, 'BipedalWalker-v3 snapshot');
    this.close();
  }

  /** The terrain of the current episode (ground line and hardcore obstacles). */
  get terrain(): BipedalTerrain | null {
    return this.terrainData;
  }

  /** The clouds of the current episode (rendering only). */
  get clouds(): readonly Cloud[] {
    return this.cloudData;
  }

  /** Hull, then the four leg bodies in Gymnasium's order: mass and inertia about the origin. */
  bodyMasses(): BodyMass[] {
    return this.walkerBodies().map((b) => ({ mass: b.getMass(), inertia: b.getInertia() }));
  }

  /** Hull, then the four leg bodies in Gymnasium's order: pose and polygon. */
  bodyPoses(): BodyPose[] {
    return this.walkerBodies().map((b) => {
      const p = b.getPosition();
      const shape = b.getFixtureList()?.getShape() as Polygon;
      return { x: p.x, y: p.y, angle: b.getAngle(), localPolygon: polygonPoints(shape) };
    });
  }

  /** Lidar fractions of the last step (1: nothing within range). */
  get lidar(): Float64Array {
    return this.lidarFraction;
  }

  private walkerBodies(): Body[] {
    if (this.hull === null) throw new Error('BipedalWalker-v3: call reset() first');
    return [this.hull, ...this.legs];
  }

  private onContact(contact: Contact, begin: boolean): void {
    const a = contact.getFixtureA().getBody();
    const b = contact.getFixtureB().getBody();
    if (begin && (a === this.hull || b === this.hull)) this.gameOver = true;
    for (let k = 0; k < 2; k++) {
      const lower = this.legs[2 * k + 1];
      if (lower !== undefined && (a === lower || b === lower)) this.groundContact[k] = begin;
    }
  }

  /**
   * The ground: an edge between neighbouring terrain points, and the hardcore obstacles, each a
   * static body. Created in the reverse of Gymnasium's order (obstacles, then edges left to
   * right): planck then meets the walker's contacts in the order Box2D does, which decides how
   * the solver shares impulses among them (in Gymnasium's order the first step already differs
   * by ~0.02; reversed, the recorded episodes agree to ~1e-5 at first).
   */
  private buildTerrain(world: World, terrain: BipedalTerrain): void {
    const { x, y } = terrain;
    for (let i = TERRAIN_LENGTH - 2; i >= 0; i--) {
      const edge = new Edge(new Vec2(f32(x[i]), f32(y[i])), new Vec2(f32(x[i + 1]), f32(y[i + 1])));
      world.createBody().createFixture({ shape: edge, friction: FRICTION, filterCategoryBits: GROUND_CATEGORY });
    }
    for (let k = terrain.obstacles.length - 1; k >= 0; k--) {
      const poly = terrain.obstacles[k];
      const pts: [number, number][] = [];
      for (let j = 0; j < poly.length; j += 2) pts.push([poly[j], poly[j + 1]]);
      world.createBody().createFixture({ shape: new Polygon(f32Polygon(pts)), friction: FRICTION });
    }
  }

  private buildWalker(world: World, initialForceX: number): void {
    const initX = (TERRAIN_STEP * TERRAIN_STARTPAD) / 2;
    const initY = TERRAIN_HEIGHT + 2 * LEG_H;
    const walker = { filterCategoryBits: WALKER_CATEGORY, filterMaskBits: GROUND_CATEGORY, restitution: 0.0 };
    const hull = world.createDynamicBody({ position: new Vec2(f32(initX), f32(initY)) });
    hull.createFixture({
      shape: new Polygon(f32Polygon(HULL_POLY.map(([px, py]) => [px / SCALE, py / SCALE]))),
      density: 5.0,
      friction: 0.1,
      ...walker,
    });
    hull.applyForceToCenter(new Vec2(f32(initialForceX), 0), true);
    this.hull = hull;
    this.legs = [];
    this.joints = [];
    for (const i of [-1, 1]) {
      const leg = world.createDynamicBody({ position: new Vec2(f32(initX), f32(initY - LEG_H / 2 - LEG_DOWN)), angle: f32(i * 0.05) });
      leg.createFixture({ shape: new Box(f32(LEG_W / 2), f32(LEG_H / 2)), density: 1.0, ...walker });
      this.legs.push(leg);
      this.joints.push(this.motorJoint(world, hull, leg, [0, LEG_DOWN], i, -0.8, 1.1));
      const lower = world.createDynamicBody({
        position: new Vec2(f32(initX), f32(initY - (LEG_H * 3) / 2 - LEG_DOWN)),
        angle: f32(i * 0.05),
      });
      lower.createFixture({ shape: new Box(f32((0.8 * LEG_W) / 2), f32(LEG_H / 2)), density: 1.0, ...walker });
      this.legs.push(lower);
      this.joints.push(this.motorJoint(world, leg, lower, [0, -LEG_H / 2], 1, -1.6, -0.1));
    }
  }

  /**
   * A revolute joint as Gymnasium defines it, motor and limits on. Its reference angle is the
   * bodies' angle difference at creation (pybox2d's def sets it from the bodies; the recorded
   * hip angles are offset by the legs' initial +-0.05), which is planck's default.
   */
  private motorJoint(world: World, a: Body, b: Body, anchorA: [number, number], speed: number, lower: number, upper: number): RevoluteJoint {
    const joint = new AllocationFreeRevoluteJoint({
      bodyA: a,
      bodyB: b,
      localAnchorA: new Vec2(f32(anchorA[0]), f32(anchorA[1])),
        localAnchorB: new Vec2(0, f32(LEG_H / 2)),
          enableMotor: true,
        enableLimit: true,
        maxMotorTorque: MOTORS_TORQUE,
        motorSpeed: speed,
        lowerAngle: f32(lower),
      upperAngle: f32(upper),
    });
    world.createJoint(joint);
    return joint;
  }

  /** Gymnasium's `step` body: motors, one world step, lidar, observation, reward, termination. */
  private advance(action: ArrayLike<number>): [Float32Array, number, boolean] {
    const world = this.world;
    const hull = this.hull;
    if (world === null || hull === null) throw new Error('BipedalWalker-v3: call reset() before step()');
    // Box2D's SetMotorSpeed wakes both bodies on every call; planck's only when the speed changes.
    if (!hull.isAwake()) hull.setAwake(true);
    for (const leg of this.legs) if (!leg.isAwake()) leg.setAwake(true);
    for (let j = 0; j < 4; j++) {
      const a = action[j];
      const joint = this.joints[j];
      joint.setMotorSpeed(f32((j % 2 === 0 ? SPEED_HIP : SPEED_KNEE) * Math.sign(a)));
      joint.setMaxMotorTorque(f32(MOTORS_TORQUE * clip01(Math.abs(a))));
    }
    world.step(DT, VELOCITY_ITERATIONS, POSITION_ITERATIONS);

    const pos = hull.getPosition();
    const vel = hull.getLinearVelocity();
    this.rayFrom.x = pos.x;
    this.rayFrom.y = pos.y;
    for (let i = 0; i < 10; i++) {
      this.lidarHit = 1.0;
      this.rayTo.x = pos.x + LIDAR_DX[i];
      this.rayTo.y = pos.y - LIDAR_DY[i];
      world.rayCast(this.rayFrom, this.rayTo, this.rayCallback);
      this.lidarFraction[i] = this.lidarHit;
    }

    const obs = new Float32Array(24);
    const angle = hull.getAngle();
    obs[0] = angle;
    obs[1] = (2.0 * hull.getAngularVelocity()) / FPS;
    obs[2] = (0.3 * vel.x * (VIEWPORT_W / SCALE)) / FPS;
    obs[3] = (0.3 * vel.y * (VIEWPORT_H / SCALE)) / FPS;
    for (let k = 0; k < 2; k++) {
      const hip = this.joints[2 * k];
      const knee = this.joints[2 * k + 1];
      const o = 4 + 5 * k;
      obs[o] = hip.getJointAngle();
      obs[o + 1] = hip.getJointSpeed() / SPEED_HIP;
      obs[o + 2] = knee.getJointAngle() + 1.0;
      obs[o + 3] = knee.getJointSpeed() / SPEED_KNEE;
      obs[o + 4] = this.groundContact[k] ? 1.0 : 0.0;
    }
    obs.set(this.lidarFraction, 14);

    const shaping = (130 * pos.x) / SCALE - 5.0 * Math.abs(angle);
    let reward = this.prevShaping === null ? 0 : shaping - this.prevShaping;
    this.prevShaping = shaping;
    for (let j = 0; j < 4; j++) reward -= 0.00035 * MOTORS_TORQUE * clip01(Math.abs(action[j]));

    let terminated = false;
    if (this.gameOver || pos.x < 0) {
      reward = -100;
      terminated = true;
    }
    if (pos.x > (TERRAIN_LENGTH - TERRAIN_GRASS) * TERRAIN_STEP) terminated = true;
    return [obs, reward, terminated];
  }
}

/** A polygon shape's vertices as [x0, y0, x1, y1, ...]. */
function polygonPoints(shape: Polygon): number[] {
  const out: number[] = [];
  for (const v of shape.m_vertices) out.push(v.x, v.y);
  return out;
}

const ZERO_ACTION: readonly number[] = [0, 0, 0, 0];

/** `np.clip(v, 0, 1)` for a non-negative v (NaN passes through). */
function clip01(v: number): number {
  return v > 1 ? 1 : v;
}
