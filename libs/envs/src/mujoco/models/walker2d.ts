/**
 * MJCF of Walker2d-v5: a planar biped (torso; right and left thigh, leg, foot) on a floor, root
 * slide x, slide z and hinge y joints, six hinge motors (gear 100); feet friction 1.9. Physical
 * parameters are those of Gymnasium 1.4.0's `walker2d_v5.xml`; visual-only elements are left out.
 */
function leg(suffix: string): string {
  const n = (part: string): string => (suffix === '' ? part : `${part}_${suffix}`);
  return `
      <body name="${n('thigh')}" pos="0 0 -0.19999999999999996">
        <joint name="${n('thigh')}_joint" type="hinge" axis="0 -1 0" pos="0 0 0" range="-150 0"/>
        <geom name="${n('thigh')}_geom" type="capsule" size="0.050000000000000003 0.22500000000000003" pos="0 0 -0.22500000000000009" friction="0.9"/>
        <body name="${n('leg')}" pos="0 0 -0.70000000000000007">
          <joint name="${n('leg')}_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="${n('leg')}_geom" type="capsule" size="0.040000000000000001 0.25" friction="0.9"/>
          <body name="${n('foot')}" pos="0.20000000000000001 0 -0.34999999999999998">
            <joint name="${n('foot')}_joint" type="hinge" axis="0 -1 0" pos="-0.20000000000000001 0 0.10000000000000001" range="-45 45"/>
            <geom name="${n('foot')}_geom" type="capsule" size="0.059999999999999998 0.10000000000000001" pos="-0.10000000000000001 0 0.10000000000000001" quat="0.70710678118654757 0 -0.70710678118654746 0" friction="1.9"/>
          </body>
        </body>
      </body>`;
}

const MOTORS = ['thigh_joint', 'leg_joint', 'foot_joint', 'thigh_left_joint', 'leg_left_joint', 'foot_left_joint']
  .map((j) => `    <motor joint="${j}" gear="100" ctrllimited="true" ctrlrange="-1.0 1.0"/>`)
  .join('\n');

export const WALKER2D_MJCF = `
<mujoco model="gymlab walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" damping=".1" armature="0.01"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction=".7 .1 .1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 0" conaffinity="1" condim="3"/>
    <body name="torso" pos="0 0 1.25">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" limited="false" damping="0" armature="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" limited="false" damping="0" armature="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" limited="false" damping="0" armature="0" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.050000000000000003 0.19999999999999996" friction="0.9"/>${leg('')}${leg('left')}
    </body>
  </worldbody>
  <actuator>
${MOTORS}
  </actuator>
</mujoco>
`;
