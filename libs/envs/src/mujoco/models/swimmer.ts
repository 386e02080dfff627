/**
 * MJCF of Swimmer-v5: three capsule links joined by two hinge motors (gear 150) in a viscous
 * medium (density 4000, viscosity 0.1), free to slide and turn in the plane. Physical parameters
 * are those of Gymnasium 1.4.0's `swimmer.xml`; visual-only elements are left out.
 */
export const SWIMMER_MJCF = `
<mujoco model="gymlab swimmer">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" density="4000" viscosity="0.1"/>
  <default>
    <geom contype="0" conaffinity="0" condim="1"/>
    <joint armature="0.1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 0.1" pos="0 0 -0.1" condim="3"/>
    <body name="torso" pos="0 0 0">
      <geom type="capsule" size="0.1" fromto="1.5 0 0 0.5 0 0" density="1000"/>
      <joint name="slider1" type="slide" axis="1 0 0" pos="0 0 0"/>
      <joint name="slider2" type="slide" axis="0 1 0" pos="0 0 0"/>
      <joint name="free_body_rot" type="hinge" axis="0 0 1" pos="0 0 0"/>
      <body name="mid" pos="0.5 0 0">
        <geom type="capsule" size="0.1" fromto="0 0 0 -1 0 0" density="1000"/>
        <joint name="motor1_rot" type="hinge" axis="0 0 1" pos="0 0 0" limited="true" range="-100 100"/>
        <body name="back" pos="-1 0 0">
          <geom type="capsule" size="0.1" fromto="0 0 0 -1 0 0" density="1000"/>
          <joint name="motor2_rot" type="hinge" axis="0 0 1" pos="0 0 0" limited="true" range="-100 100"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor joint="motor1_rot" gear="150.0" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="motor2_rot" gear="150.0" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
