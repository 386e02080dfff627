/**
 * `renderSvg(env)`: one frame of an env as an SVG document, drawn in TypeScript from the env's
 * state (classic control and Box2D); other envs are refused with `EnvNotRenderableError`.
 */
import type { Env } from '../core.js';
import { BipedalWalker } from '../box2d/bipedal-walker.js';
import { LunarLander } from '../box2d/lunar-lander.js';
import { Acrobot } from '../classic-control/acrobot.js';
import { CartPole } from '../classic-control/cartpole.js';
import { MountainCarContinuous } from '../classic-control/continuous-mountain-car.js';
import { MountainCar } from '../classic-control/mountain-car.js';
import { Pendulum } from '../classic-control/pendulum.js';
import { unwrap } from '../wrappers/wrapper.js';
import { renderBipedalWalker, renderLunarLander } from './box2d.js';
import { renderAcrobot, renderCartPole, renderMountainCar, renderPendulum } from './classic-control.js';

export { renderAcrobot, renderCartPole, renderMountainCar, renderPendulum } from './classic-control.js';
export { renderBipedalWalker, renderLunarLander } from './box2d.js';

/** An env gymlab cannot draw (MuJoCo, bridged Gymnasium envs). */
export class EnvNotRenderableError extends Error {
  override readonly name = 'EnvNotRenderableError';
}

/** Env ids `renderSvg` draws. */
export const RENDERABLE_ENVS: readonly string[] = [
  'CartPole-v1',
  'Acrobot-v1',
  'MountainCar-v0',
  'MountainCarContinuous-v0',
  'Pendulum-v1',
  'LunarLander-v3',
  'LunarLanderContinuous-v3',
  'BipedalWalker-v3',
  'BipedalWalkerHardcore-v3',
];

type Renderer = () => string;

/** The renderer of `env`'s core (wrappers looked through), or null when gymlab cannot draw it. */
function rendererOf(env: Env): Renderer | null {
  const core = unwrap(env);
  if (core instanceof CartPole) return () => renderCartPole(core.getState());
  if (core instanceof Acrobot) return () => renderAcrobot(core.getState());
  if (core instanceof Pendulum) return () => renderPendulum(core.getState());
  if (core instanceof MountainCar) return () => renderMountainCar(core.getState(), 0.5);
  if (core instanceof MountainCarContinuous) return () => renderMountainCar(core.getState(), 0.45);
  if (core instanceof LunarLander) return () => renderLunarLander(core);
  if (core instanceof BipedalWalker) return () => renderBipedalWalker(core);
  return null;
}

/** `env`'s renderer; `EnvNotRenderableError` (one line naming what is drawn) when gymlab cannot draw it. */
export function checkRenderable(env: Env): Renderer {
  const renderer = rendererOf(env);
  if (renderer === null) {
    throw new EnvNotRenderableError(`${env.info.id} cannot be drawn: recording draws ${RENDERABLE_ENVS.join(', ')} (MuJoCo and Python-bridged envs are not drawn yet)`);
  }
  return renderer;
}

/** The current frame of `env` (wrappers looked through) as SVG; call after `reset`. */
export function renderSvg(env: Env): string {
  return checkRenderable(env)();
}

/** Gymnasium's `metadata["render_fps"]` of each drawn env. */
const RENDER_FPS = new Map<string, number>([
  ['CartPole-v1', 50],
  ['Acrobot-v1', 15],
  ['MountainCar-v0', 30],
  ['MountainCarContinuous-v0', 30],
  ['Pendulum-v1', 30],
  ['LunarLander-v3', 50],
  ['LunarLanderContinuous-v3', 50],
  ['BipedalWalker-v3', 50],
  ['BipedalWalkerHardcore-v3', 50],
]);

/** Frames per second to play `env`'s frames at (Gymnasium's render_fps; 30 when unknown). */
export function renderFps(env: Env): number {
  return RENDER_FPS.get(env.info.id) ?? 30;
}
