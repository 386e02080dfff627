/**
 * MJCF of HalfCheetah-v5: a planar quadruped-like body (torso with head; back and front thigh,
 * shin, foot) of total mass 14, root slide x, slide z and hinge y joints, six sprung hinge motors.
 * Physical parameters are those of Gymnasium 1.4.0's `half_cheetah.xml`; visual-only elements
 * are left out.
 */
interface Segment {
  readonly name: string;
  readonly pos: string;
  readonly damping: string;
  readonly stiffness: string;
  readonly range: string;
  readonly geomAxisAngle: string;
  readonly geomPos: string;
  readonly halfLength: string;
}

function chain(segments: readonly Segment[], indent: string): string {
  const [s, ...rest] = segments;
  if (s === undefined) return '';
  return `
${indent}<body name="${s.name}" pos="${s.pos}">
${indent}  <joint name="${s.name}" type="hinge" axis="0 1 0" pos="0 0 0" range="${s.range}" damping="${s.damping}" stiffness="${s.stiffness}"/>
${indent}  <geom name="${s.name}" type="capsule" size="0.046 ${s.halfLength}" pos="${s.geomPos}" axisangle="0 1 0 ${s.geomAxisAngle}"/>${chain(rest, indent + '  ')}
${indent}</body>`;
}

const BACK: readonly Segment[] = [
  { name: 'bthigh', pos: '-.5 0 0', damping: '6', stiffness: '240', range: '-.52 1.05', geomAxisAngle: '-3.8', geomPos: '.1 0 -.13', halfLength: '.145' },
  { name: 'bshin', pos: '.16 0 -.25', damping: '4.5', stiffness: '180', range: '-.785 .785', geomAxisAngle: '-2.03', geomPos: '-.14 0 -.07', halfLength: '.15' },
  { name: 'bfoot', pos: '-.28 0 -.14', damping: '3', stiffness: '120', range: '-.4 .785', geomAxisAngle: '-.27', geomPos: '.03 0 -.097', halfLength: '.094' },
];
const FRONT: readonly Segment[] = [
  { name: 'fthigh', pos: '.5 0 0', damping: '4.5', stiffness: '180', range: '-1 .7', geomAxisAngle: '.52', geomPos: '-.07 0 -.12', halfLength: '.133' },
  { name: 'fshin', pos: '-.14 0 -.24', damping: '3', stiffness: '120', range: '-1.2 .87', geomAxisAngle: '-.6', geomPos: '.065 0 -.09', halfLength: '.106' },
  { name: 'ffoot', pos: '.13 0 -.18', damping: '1.5', stiffness: '60', range: '-.5 .5', geomAxisAngle: '-.6', geomPos: '.045 0 -.07', halfLength: '.07' },
];
const GEARS: readonly (readonly [string, number])[] = [
  ['bthigh', 120], ['bshin', 90], ['bfoot', 60], ['fthigh', 120], ['fshin', 60], ['ffoot', 30],
];

export const HALF_CHEETAH_MJCF = `
<mujoco model="gymlab half cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <option timestep="0.01" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature=".1" damping=".01" stiffness="8" solreflimit=".02 1" solimplimit="0 .8 .03"/>
    <geom contype="1" conaffinity="0" condim="3" friction=".4 .1 .1" solref="0.02 1" solimp="0.0 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 0" conaffinity="1" condim="3"/>
    <body name="torso" pos="0 0 .7">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 0" limited="false" damping="0" armature="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 0" limited="false" damping="0" armature="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" limited="false" damping="0" armature="0" stiffness="0"/>
      <geom name="torso" type="capsule" size="0.046" fromto="-.5 0 0 .5 0 0"/>
      <geom name="head" type="capsule" size="0.046 .15" pos=".6 0 .1" axisangle="0 1 0 .87"/>${chain(BACK, '      ')}${chain(FRONT, '      ')}
    </body>
  </worldbody>
  <actuator>
${GEARS.map(([j, g]) => `    <motor name="${j}" joint="${j}" gear="${g}"/>`).join('\n')}
  </actuator>
</mujoco>
`;
