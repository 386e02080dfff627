/**
 * MJCF of Ant-v5: a spherical torso on a free joint with four two-segment legs (hip hinge about z,
 * ankle hinge), eight motors of gear 150. Physical parameters are those of Gymnasium 1.4.0's
 * `ant.xml`; visual-only elements are left out.
 */
interface LegSpec {
  readonly body: string;
  readonly aux: string;
  readonly n: number;
  /** Unit direction signs of the leg in the xy-plane. */
  readonly sx: number;
  readonly sy: number;
  readonly auxGeom: string;
  readonly legGeom: string;
  readonly ankleGeom: string;
  readonly ankleAxis: string;
  readonly ankleRange: string;
}

const LEGS: readonly LegSpec[] = [
  { body: 'front_left_leg', aux: 'aux_1', n: 1, sx: 1, sy: 1, auxGeom: 'aux_1_geom', legGeom: 'left_leg_geom', ankleGeom: 'left_ankle_geom', ankleAxis: '-1 1 0', ankleRange: '30 70' },
  { body: 'front_right_leg', aux: 'aux_2', n: 2, sx: -1, sy: 1, auxGeom: 'aux_2_geom', legGeom: 'right_leg_geom', ankleGeom: 'right_ankle_geom', ankleAxis: '1 1 0', ankleRange: '-70 -30' },
  { body: 'back_leg', aux: 'aux_3', n: 3, sx: -1, sy: -1, auxGeom: 'aux_3_geom', legGeom: 'back_leg_geom', ankleGeom: 'third_ankle_geom', ankleAxis: '-1 1 0', ankleRange: '-70 -30' },
  { body: 'right_back_leg', aux: 'aux_4', n: 4, sx: 1, sy: -1, auxGeom: 'aux_4_geom', legGeom: 'rightback_leg_geom', ankleGeom: 'fourth_ankle_geom', ankleAxis: '1 1 0', ankleRange: '30 70' },
];

const xy = (s: number, len: string): string => (s < 0 ? `-${len}` : len);

function leg(l: LegSpec): string {
  const [a, b] = [xy(l.sx, '0.2'), xy(l.sy, '0.2')];
  const [c, d] = [xy(l.sx, '0.4'), xy(l.sy, '0.4')];
  return `
      <body name="${l.body}" pos="0 0 0">
        <geom name="${l.auxGeom}" type="capsule" size="0.08" fromto="0.0 0.0 0.0 ${a} ${b} 0.0"/>
        <body name="${l.aux}" pos="${a} ${b} 0">
          <joint name="hip_${l.n}" type="hinge" axis="0 0 1" pos="0.0 0.0 0.0" range="-30 30"/>
          <geom name="${l.legGeom}" type="capsule" size="0.08" fromto="0.0 0.0 0.0 ${a} ${b} 0.0"/>
          <body pos="${a} ${b} 0">
            <joint name="ankle_${l.n}" type="hinge" axis="${l.ankleAxis}" pos="0.0 0.0 0.0" range="${l.ankleRange}"/>
            <geom name="${l.ankleGeom}" type="capsule" size="0.08" fromto="0.0 0.0 0.0 ${c} ${d} 0.0"/>
          </body>
        </body>
      </body>`;
}

/** Actuated joints in actuator order. */
const MOTOR_JOINTS = ['hip_4', 'ankle_4', 'hip_1', 'ankle_1', 'hip_2', 'ankle_2', 'hip_3', 'ankle_3'];

export const ANT_MJCF = `
<mujoco model="gymlab ant">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4"/>
  <default>
    <joint limited="true" damping="1" armature="1"/>
    <geom conaffinity="0" condim="3" density="5.0" friction="1 0.5 0.5" margin="0.01"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 0" conaffinity="1" condim="3"/>
    <body name="torso" pos="0 0 0.75">
      <geom name="torso_geom" type="sphere" size="0.25" pos="0 0 0"/>
      <joint name="root" type="free" pos="0 0 0" limited="false" damping="0" armature="0" margin="0.01"/>${LEGS.map(leg).join('')}
    </body>
  </worldbody>
  <actuator>
${MOTOR_JOINTS.map((j) => `    <motor joint="${j}" gear="150" ctrllimited="true" ctrlrange="-1.0 1.0"/>`).join('\n')}
  </actuator>
</mujoco>
`;
