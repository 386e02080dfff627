/**
 * Frames of the classic-control envs as SVG, drawn from the env's internal state with the shapes,
 * sizes and colours of Gymnasium 1.4.0's pygame renderers (Pendulum without its torque-arrow image).
 */
import { box, circle, line, polygon, polyline, rotate, svgFrame } from './svg.js';
import type { Point, Rgb } from './svg.js';

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** CartPole-v1, 600 x 400; state [x, x_dot, theta, theta_dot]. */
export function renderCartPole(state: readonly number[]): string {
  const W = 600;
  const scale = W / (2.4 * 2);
  const poleWidth = 10;
  const poleLen = scale * (2 * 0.5);
  const cartX = state[0] * scale + W / 2;
  const cartY = 100;
  const axle: Point = [cartX, cartY + 30 / 4];
  const cart = box(-25, 25, 15, -15).map(([x, y]): Point => [x + cartX, y + cartY]);
  const pole = box(-poleWidth / 2, poleWidth / 2, poleLen - poleWidth / 2, -poleWidth / 2).map((p) => rotate(p, -state[2], axle));
  return svgFrame(W, 400, WHITE, [polygon(cart, BLACK), polygon(pole, [202, 152, 101]), circle(axle, poleWidth / 2, [129, 132, 203]), line([0, cartY], [W, cartY], BLACK)]);
}

/** Acrobot-v1, 500 x 500; state [theta1, theta2, dtheta1, dtheta2]. */
export function renderAcrobot(state: readonly number[]): string {
  const D = 500;
  const scale = D / (2 * 2.2);
  const off = D / 2;
  const [s0, s1] = state;
  const p1: Point = [-Math.cos(s0) * scale, Math.sin(s0) * scale];
  const p2: Point = [p1[0] - Math.cos(s0 + s1) * scale, p1[1] + Math.sin(s0 + s1) * scale];
  // Gymnasium swaps the coordinates of the joint positions ([:, ::-1])
  const joints: Point[] = [[0, 0], p1, p2].map(([x, y]): Point => [y + off, x + off]);
  const thetas = [s0 - Math.PI / 2, s0 + s1 - Math.PI / 2];
  const body = [line([-2.2 * scale + off, scale + off], [2.2 * scale + off, scale + off], BLACK)];
  for (let i = 0; i < 2; i++) {
    const link = box(0, scale, 0.1 * scale, -0.1 * scale).map((p) => rotate(p, thetas[i], joints[i]));
    body.push(polygon(link, [0, 204, 204]), circle(joints[i], 0.1 * scale, [204, 204, 0]));
  }
  return svgFrame(D, D, WHITE, body);
}

/** Pendulum-v1, 500 x 500; state [theta, theta_dot]. */
export function renderPendulum(state: readonly number[]): string {
  const D = 500;
  const scale = D / (2 * 2.2);
  const off: Point = [D / 2, D / 2];
  const rodLength = scale;
  const rodWidth = 0.2 * scale;
  const angle = state[0] + Math.PI / 2;
  const red: Rgb = [204, 77, 77];
  const rod = box(0, rodLength, rodWidth / 2, -rodWidth / 2).map((p) => rotate(p, angle, off));
  const end = rotate([rodLength, 0], angle, off);
  return svgFrame(D, D, WHITE, [polygon(rod, red), circle(off, rodWidth / 2, red), circle(end, rodWidth / 2, red), circle(off, 0.05 * scale, BLACK)]);
}

/** MountainCar-v0 (goal 0.5) and MountainCarContinuous-v0 (goal 0.45), 600 x 400; state [position, velocity]. */
export function renderMountainCar(state: readonly number[], goalPosition: number): string {
  const W = 600;
  const minX = -1.2;
  const scale = W / (0.6 - minX);
  const height = (x: number): number => Math.sin(3 * x) * 0.45 + 0.55;
  const track: Point[] = Array.from({ length: 100 }, (_, i) => {
    const x = minX + (i * 1.8) / 99;
    return [(x - minX) * scale, height(x) * scale];
  });
  const pos = state[0];
  const clearance = 10;
  const angle = Math.cos(3 * pos);
  const at: Point = [(pos - minX) * scale, clearance + height(pos) * scale];
  const car = box(-20, 20, 20, 0).map((p) => rotate(p, angle, at));
  const wheels = [rotate([10, 0], angle, at), rotate([-10, 0], angle, at)].map((c) => circle(c, 20 / 2.5, [128, 128, 128]));
  const flagX = (goalPosition - minX) * scale;
  const flagY1 = height(goalPosition) * scale;
  const flagY2 = flagY1 + 50;
  return svgFrame(W, 400, WHITE, [
    polyline(track, BLACK),
    polygon(car, BLACK),
    ...wheels,
    line([flagX, flagY1], [flagX, flagY2], BLACK),
    polygon([[flagX, flagY2], [flagX, flagY2 - 10], [flagX + 25, flagY2 - 5]], [204, 204, 0]),
  ]);
}
