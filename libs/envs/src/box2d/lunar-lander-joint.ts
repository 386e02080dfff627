/**
 * planck's `RevoluteJoint` with an allocation-free velocity solver. LunarLander steps its world with
 * 180 velocity iterations, and planck's solver allocates a few vectors per joint per iteration:
 * garbage collection was a third of a step's time. This subclass does the same arithmetic, in the
 * same order, on plain numbers, so its results are bit-identical to planck 1.4.3's (tested), and
 * reads planck's internal joint fields, which is why planck is pinned to that exact version.
 */
import { RevoluteJoint, type Vec2Value } from 'planck';

interface Vec3Like {
  x: number;
  y: number;
  z: number;
}

interface SolverBody {
  c_velocity: { v: Vec2Value; w: number };
}

/** The fields of planck 1.4.3's `RevoluteJoint` its velocity solver uses (marked internal there). */
interface RevoluteInternals {
  m_bodyA: SolverBody;
  m_bodyB: SolverBody;
  m_invMassA: number;
  m_invMassB: number;
  m_invIA: number;
  m_invIB: number;
  m_rA: Vec2Value;
  m_rB: Vec2Value;
  m_mass: { ex: Vec3Like; ey: Vec3Like; ez: Vec3Like };
  m_impulse: Vec3Like;
  m_motorImpulse: number;
  m_motorMass: number;
  m_motorSpeed: number;
  m_maxMotorTorque: number;
  m_enableMotor: boolean;
  m_enableLimit: boolean;
  m_limitState: number;
}

// planck's LimitState values
const INACTIVE_LIMIT = 0;
const AT_LOWER_LIMIT = 1;
const AT_UPPER_LIMIT = 2;
const EQUAL_LIMITS = 3;


export class AllocationFreeRevoluteJoint extends RevoluteJoint {
  override solveVelocityConstraints(step: { dt: number }): void {
    const j = this as unknown as RevoluteInternals;
    const vA = j.m_bodyA.c_velocity.v;
    let wA = j.m_bodyA.c_velocity.w;
    const vB = j.m_bodyB.c_velocity.v;
    let wB = j.m_bodyB.c_velocity.w;
    const { m_invMassA: mA, m_invMassB: mB, m_invIA: iA, m_invIB: iB, m_rA: rA, m_rB: rB } = j;
    const fixedRotation = iA + iB === 0.0;

    if (j.m_enableMotor && j.m_limitState !== EQUAL_LIMITS && !fixedRotation) {
      const cdot = wB - wA - j.m_motorSpeed;
      let impulse = -j.m_motorMass * cdot;
      const oldImpulse = j.m_motorImpulse;
      const maxImpulse = step.dt * j.m_maxMotorTorque;
      const sum = j.m_motorImpulse + impulse;
      j.m_motorImpulse = sum < -maxImpulse ? -maxImpulse : sum > maxImpulse ? maxImpulse : sum;
      impulse = j.m_motorImpulse - oldImpulse;
      wA -= iA * impulse;
      wB += iB * impulse;
    }

    // relative velocity of the anchors, as planck's Vec2 combinators compute it
    let cx = 0;
    let cy = 0;
    cx += vB.x + -wB * rB.y;
    cy += vB.y + wB * rB.x;
    cx -= vA.x + -wA * rA.y;
    cy -= vA.y + wA * rA.x;
    const acc = j.m_impulse;
    const { ex, ey, ez } = j.m_mass;
    // Mat33.solve22's determinant of the upper 2x2 block
    let det2 = ex.x * ey.y - ey.x * ex.y;
    if (det2 !== 0.0) det2 = 1.0 / det2;

    if (j.m_enableLimit && j.m_limitState !== INACTIVE_LIMIT && !fixedRotation) {
      const c2 = wB - wA;
      // Mat33.solve33 of (cx, cy, c2), negated
      let det = ex.x * (ey.y * ez.z - ey.z * ez.y) + ex.y * (ey.z * ez.x - ey.x * ez.z) + ex.z * (ey.x * ez.y - ey.y * ez.x);
      if (det !== 0.0) det = 1.0 / det;
      let px = -(det * (cx * (ey.y * ez.z - ey.z * ez.y) + cy * (ey.z * ez.x - ey.x * ez.z) + c2 * (ey.x * ez.y - ey.y * ez.x)));
      let py = -(det * (ex.x * (cy * ez.z - c2 * ez.y) + ex.y * (c2 * ez.x - cx * ez.z) + ex.z * (cx * ez.y - cy * ez.x)));
      let pz = -(det * (ex.x * (ey.y * c2 - ey.z * cy) + ex.y * (ey.z * cx - ey.x * c2) + ex.z * (ey.x * cy - ey.y * cx)));
      const newImpulse = acc.z + pz;
      const state = j.m_limitState;
      if ((state === AT_LOWER_LIMIT && newImpulse < 0.0) || (state === AT_UPPER_LIMIT && newImpulse > 0.0)) {
        // the limit lets go: the point constraint alone, with the limit's impulse taken back
        const bx = -1 * cx + acc.z * ez.x;
        const by = -1 * cy + acc.z * ez.y;
        px = det2 * (ey.y * bx - ey.x * by);
        py = det2 * (ex.x * by - ex.y * bx);
        pz = -acc.z;
        acc.x += px;
        acc.y += py;
        acc.z = 0.0;
      } else {
        acc.x += px;
        acc.y += py;
        acc.z += pz;
      }
      vA.x -= mA * px;
      vA.y -= mA * py;
      wA -= iA * (rA.x * py - rA.y * px + pz);
      vB.x += mB * px;
      vB.y += mB * py;
      wB += iB * (rB.x * py - rB.y * px + pz);
    } else {
      const bx = -cx;
      const by = -cy;
      const px = det2 * (ey.y * bx - ey.x * by);
      const py = det2 * (ex.x * by - ex.y * bx);
      acc.x += px;
      acc.y += py;
      vA.x -= mA * px;
      vA.y -= mA * py;
      wA -= iA * (rA.x * py - rA.y * px);
      vB.x += mB * px;
      vB.y += mB * py;
      wB += iB * (rB.x * py - rB.y * px);
    }
    j.m_bodyA.c_velocity.w = wA;
    j.m_bodyB.c_velocity.w = wB;
  }
}
