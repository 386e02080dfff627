/**
 * MJCF of InvertedPendulum-v5: a cart on a 2 m rail (slide joint, +/-1 m) carrying a pole on a
 * hinge; one motor (gear 100) pushes the cart. Physical parameters are those of Gymnasium 1.4.0's
 * `inverted_pendulum.xml`; visual-only elements (colours, lights, cameras) are left out.
 */
export const INVERTED_PENDULUM_MJCF = `
<mujoco model="gymlab inverted pendulum">
  <compiler inertiafromgeom="true"/>
  <option timestep="0.02" integrator="RK4" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" damping="1" armature="0"/>
    <geom contype="0" friction="1 0.1 0.1"/>
  </default>
  <worldbody>
    <geom name="rail" type="capsule" size="0.02 1" pos="0 0 0" quat="0.707 0 0.707 0"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" range="-1 1"/>
      <geom name="cart" type="capsule" size="0.1 0.1" pos="0 0 0" quat="0.707 0 0.707 0"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0" range="-90 90"/>
        <geom name="cpole" type="capsule" size="0.049 0.3" fromto="0 0 0 0.001 0 0.6"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>
`;
