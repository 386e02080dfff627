/**
 * MJCF of Humanoid-v5 (standing, torso at 1.4 m) and HumanoidStandup-v5 (the same body lying on
 * its back, torso at 0.105 m): torso, abdomen, pelvis, two legs and two arms, 17 hinge motors, two
 * fixed hip-knee tendons, PGS solver with 50 iterations. Physical parameters are those of
 * Gymnasium 1.4.0's `humanoid.xml` and `humanoidstandup.xml`; visual-only elements are left out.
 */
type Pose = 'standing' | 'lying';

/** The places where the lying model differs from the standing one. */
const POSE: Record<Pose, Record<string, string>> = {
  standing: {
    torso: '0 0 1.4',
    head: '0 0 .19',
    uwaist: '-.01 -.06 -.12 -.01 .06 -.12',
    lwaist: '-.01 0 -0.260',
    pelvis: '0 0 -0.165',
    rThigh: '0 -0.1 -0.04',
    rThigh1: '0 0 0 0 0.01 -.34',
    rShin: '0 0.01 -0.403',
    rShin1: '0 0 0 0 0 -.3',
    rFoot: '0 0 -0.45',
    lThigh: '0 0.1 -0.04',
    lHipY: '-110 20',
    lThigh1: '0 0 0 0 -0.01 -.34',
    lShin: '0 -0.01 -0.403',
    lShin1: '0 0 0 0 0 -.3',
    lFoot: '0 0 -0.45',
  },
  lying: {
    torso: '0 0 .105',
    head: '-.15 0 0',
    uwaist: '.11 -.06 0 .11 .06 0',
    lwaist: '.21 0 0',
    pelvis: '0.165 0 0',
    rThigh: '0 -0.1 0',
    rThigh1: '0 0 0 0.34 0.01 0',
    rShin: '0.403 0.01 0',
    rShin1: '0 0 0 0.3 0 0',
    rFoot: '0.35 0 -.10',
    lThigh: '0 0.1 0',
    lHipY: '-120 20',
    lThigh1: '0 0 0 0.34 -0.01 0',
    lShin: '0.403 -0.01 0',
    lShin1: '0 0 0 0.3 0 0',
    lFoot: '0.35 0 -.1',
  },
};

const MOTORS: readonly (readonly [string, number])[] = [
  ['abdomen_y', 100], ['abdomen_z', 100], ['abdomen_x', 100],
  ['right_hip_x', 100], ['right_hip_z', 100], ['right_hip_y', 300], ['right_knee', 200],
  ['left_hip_x', 100], ['left_hip_z', 100], ['left_hip_y', 300], ['left_knee', 200],
  ['right_shoulder1', 25], ['right_shoulder2', 25], ['right_elbow', 25],
  ['left_shoulder1', 25], ['left_shoulder2', 25], ['left_elbow', 25],
];

function humanoidMjcf(pose: Pose): string {
  const p = POSE[pose];
  const hinge = (name: string, axis: string, pos: string, range: string, armature: string, extra = ''): string =>
    `<joint name="${name}" type="hinge" axis="${axis}" pos="${pos}" range="${range}" armature="${armature}"${extra}/>`;
  return `
<mujoco model="gymlab humanoid ${pose}">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.003" integrator="RK4" solver="PGS" iterations="50"/>
  <default>
    <joint limited="true" damping="1" armature="1"/>
    <geom contype="1" conaffinity="1" condim="1" margin="0.001"/>
    <motor ctrllimited="true" ctrlrange="-.4 .4"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="20 20 0.125" pos="0 0 0" condim="3" friction="1 .1 .1"/>
    <body name="torso" pos="${p.torso}">
      <joint name="root" type="free" pos="0 0 0" limited="false" damping="0" armature="0" stiffness="0"/>
      <geom name="torso1" type="capsule" size="0.07" fromto="0 -.07 0 0 .07 0"/>
      <geom name="head" type="sphere" size=".09" pos="${p.head}"/>
      <geom name="uwaist" type="capsule" size="0.06" fromto="${p.uwaist}"/>
      <body name="lwaist" pos="${p.lwaist}" quat="1.000 0 -0.002 0">
        <geom name="lwaist" type="capsule" size="0.06" fromto="0 -.06 0 0 .06 0"/>
        ${hinge('abdomen_z', '0 0 1', '0 0 0.065', '-45 45', '0.02', ' damping="5" stiffness="20"')}
        ${hinge('abdomen_y', '0 1 0', '0 0 0.065', '-75 30', '0.02', ' damping="5" stiffness="10"')}
        <body name="pelvis" pos="${p.pelvis}" quat="1.000 0 -0.002 0">
          ${hinge('abdomen_x', '1 0 0', '0 0 0.1', '-35 35', '0.02', ' damping="5" stiffness="10"')}
          <geom name="butt" type="capsule" size="0.09" fromto="-.02 -.07 0 -.02 .07 0"/>
          <body name="right_thigh" pos="${p.rThigh}">
            ${hinge('right_hip_x', '1 0 0', '0 0 0', '-25 5', '0.01', ' damping="5" stiffness="10"')}
            ${hinge('right_hip_z', '0 0 1', '0 0 0', '-60 35', '0.01', ' damping="5" stiffness="10"')}
            ${hinge('right_hip_y', '0 1 0', '0 0 0', '-110 20', '0.0080', ' damping="5" stiffness="20"')}
            <geom name="right_thigh1" type="capsule" size="0.06" fromto="${p.rThigh1}"/>
            <body name="right_shin" pos="${p.rShin}">
              ${hinge('right_knee', '0 -1 0', '0 0 .02', '-160 -2', '0.0060')}
              <geom name="right_shin1" type="capsule" size="0.049" fromto="${p.rShin1}"/>
              <body name="right_foot" pos="${p.rFoot}">
                <geom name="right_foot" type="sphere" size="0.075" pos="0 0 0.1"/>
              </body>
            </body>
          </body>
          <body name="left_thigh" pos="${p.lThigh}">
            ${hinge('left_hip_x', '-1 0 0', '0 0 0', '-25 5', '0.01', ' damping="5" stiffness="10"')}
            ${hinge('left_hip_z', '0 0 -1', '0 0 0', '-60 35', '0.01', ' damping="5" stiffness="10"')}
            ${hinge('left_hip_y', '0 1 0', '0 0 0', p.lHipY, '0.01', ' damping="5" stiffness="20"')}
            <geom name="left_thigh1" type="capsule" size="0.06" fromto="${p.lThigh1}"/>
            <body name="left_shin" pos="${p.lShin}">
              ${hinge('left_knee', '0 -1 0', '0 0 .02', '-160 -2', '0.0060', ' stiffness="1"')}
              <geom name="left_shin1" type="capsule" size="0.049" fromto="${p.lShin1}"/>
              <body name="left_foot" pos="${p.lFoot}">
                <geom name="left_foot" type="sphere" size="0.075" pos="0 0 0.1"/>
              </body>
            </body>
          </body>
        </body>
      </body>
      <body name="right_upper_arm" pos="0 -0.17 0.06">
        ${hinge('right_shoulder1', '2 1 1', '0 0 0', '-85 60', '0.0068', ' stiffness="1"')}
        ${hinge('right_shoulder2', '0 -1 1', '0 0 0', '-85 60', '0.0051', ' stiffness="1"')}
        <geom name="right_uarm1" type="capsule" size="0.04 0.16" fromto="0 0 0 .16 -.16 -.16"/>
        <body name="right_lower_arm" pos=".18 -.18 -.18">
          ${hinge('right_elbow', '0 -1 1', '0 0 0', '-90 50', '0.0028', ' stiffness="0"')}
          <geom name="right_larm" type="capsule" size="0.031" fromto="0.01 0.01 0.01 .17 .17 .17"/>
          <geom name="right_hand" type="sphere" size="0.04" pos=".18 .18 .18"/>
        </body>
      </body>
      <body name="left_upper_arm" pos="0 0.17 0.06">
        ${hinge('left_shoulder1', '2 -1 1', '0 0 0', '-60 85', '0.0068', ' stiffness="1"')}
        ${hinge('left_shoulder2', '0 1 1', '0 0 0', '-60 85', '0.0051', ' stiffness="1"')}
        <geom name="left_uarm1" type="capsule" size="0.04 0.16" fromto="0 0 0 .16 .16 -.16"/>
        <body name="left_lower_arm" pos=".18 .18 -.18">
          ${hinge('left_elbow', '0 -1 -1', '0 0 0', '-90 50', '0.0028', ' stiffness="0"')}
          <geom name="left_larm" type="capsule" size="0.031" fromto="0.01 -0.01 0.01 .17 -.17 .17"/>
          <geom name="left_hand" type="sphere" size="0.04" pos=".18 -.18 .18"/>
        </body>
      </body>
    </body>
  </worldbody>
  <tendon>
    <fixed name="left_hipknee"><joint joint="left_hip_y" coef="-1"/><joint joint="left_knee" coef="1"/></fixed>
    <fixed name="right_hipknee"><joint joint="right_hip_y" coef="-1"/><joint joint="right_knee" coef="1"/></fixed>
  </tendon>
  <actuator>
${MOTORS.map(([j, g]) => `    <motor name="${j}" joint="${j}" gear="${g}"/>`).join('\n')}
  </actuator>
</mujoco>
`;
}

export const HUMANOID_MJCF = humanoidMjcf('standing');
export const HUMANOID_STANDUP_MJCF = humanoidMjcf('lying');
