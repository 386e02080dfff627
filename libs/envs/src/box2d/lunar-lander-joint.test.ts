/** The allocation-free revolute joint moves bodies exactly as planck's own `RevoluteJoint` does. */
import { describe, expect, it } from 'vitest';
import { Box, Edge, RevoluteJoint, World, type Body, type RevoluteJointDef } from 'planck';
import { Rng } from '@gymlab/random';
import { AllocationFreeRevoluteJoint } from './lunar-lander-joint.js';

/** A box with two limited, motorised legs dropped onto uneven ground with random kicks; every body's state per step. */
function simulate(Joint: new (def: RevoluteJointDef) => RevoluteJoint): number[] {
  const world = new World({ gravity: { x: 0, y: -10 } });
  const ground = world.createBody({ type: 'static' });
  for (let i = 0; i < 10; i++) ground.createFixture(new Edge({ x: 2 * i, y: (i % 3) * 0.3 }, { x: 2 * i + 2, y: ((i + 1) % 3) * 0.3 }), { friction: 0.1 });
  const hull = world.createBody({ type: 'dynamic', position: { x: 10, y: 5 } });
  hull.createFixture(new Box(0.5, 0.3), { density: 5, filterCategoryBits: 0x10, filterMaskBits: 0x1 });
  const bodies: Body[] = [hull];
  for (const i of [-1, 1]) {
    const leg = world.createBody({ type: 'dynamic', position: { x: 10 - i * 0.7, y: 5 }, angle: i * 0.05 });
    leg.createFixture(new Box(0.07, 0.27), { density: 1, filterCategoryBits: 0x20, filterMaskBits: 0x1 });
    // the left joint swings freely for ~150 steps before its motor reaches a limit; the right one starts beyond its limit
    const [lower, upper] = i === -1 ? [-0.9, 0.9] : [-0.9, -0.4];
    world.createJoint(
      new Joint({ bodyA: hull, bodyB: leg, localAnchorA: { x: 0, y: -0.1 }, localAnchorB: { x: i * 0.67, y: 0.6 }, enableMotor: true, enableLimit: true, maxMotorTorque: 40, motorSpeed: 0.3 * i, lowerAngle: lower, upperAngle: upper }),
    );
    bodies.push(leg);
  }
  const rng = new Rng(3);
  const out: number[] = [];
  for (let t = 0; t < 300; t++) {
    if (t % 7 === 0) hull.applyLinearImpulse({ x: rng.uniform(-3, 3), y: rng.uniform(0, 6) }, hull.getWorldPoint({ x: rng.uniform(-0.5, 0.5), y: 0 }), true);
    world.step(1 / 50, 180, 60);
    for (const b of bodies) out.push(b.getPosition().x, b.getPosition().y, b.getAngle(), b.getLinearVelocity().x, b.getLinearVelocity().y, b.getAngularVelocity());
  }
  return out;
}

describe('AllocationFreeRevoluteJoint', () => {
  it("gives bit-identical trajectories to planck's RevoluteJoint (limits hit and released, motors, ground contact)", () => {
    const ours = simulate(AllocationFreeRevoluteJoint);
    const planck = simulate(RevoluteJoint);
    expect(ours.length).toBe(planck.length);
    for (let i = 0; i < ours.length; i++) if (!Object.is(ours[i], planck[i])) expect(ours[i], `value ${i}`).toBe(planck[i]);
    // the scene does exercise the joints: the hull moved and the legs swung
    expect(new Set(ours.filter((_, i) => i % 18 === 8)).size).toBeGreaterThan(100);
  });
});
