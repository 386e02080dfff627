/**
 * Gymnasium's hand-written LunarLander controller (`heuristic` in lunar_lander.py): a PD rule that
 * tilts the lander towards the pad and holds a hover height proportional to the horizontal offset.
 * It lands most episodes, which makes its return statistics a check of the physics port.
 */
import type { Env } from '../core.js';

/** The heuristic's action for observation `s`: 0-3 when discrete, [main, lateral] in [-1, 1] when continuous. */
export function lunarLanderHeuristic(s: ArrayLike<number>, continuous: boolean): number | Float32Array {
  let angleTarg = s[0] * 0.5 + s[2] * 1.0; // point towards the centre
  if (angleTarg > 0.4) angleTarg = 0.4; // more than 0.4 rad (22 degrees) is bad
  if (angleTarg < -0.4) angleTarg = -0.4;
  const hoverTarg = 0.55 * Math.abs(s[0]); // target height grows with the horizontal offset

  let angleTodo = (angleTarg - s[4]) * 0.5 - s[5] * 1.0;
  let hoverTodo = (hoverTarg - s[1]) * 0.5 - s[3] * 0.5;
  if (s[6] || s[7]) {
    // legs touch: only slow the descent
    angleTodo = 0;
    hoverTodo = -s[3] * 0.5;
  }

  if (continuous) {
    return Float32Array.of(clip1(hoverTodo * 20 - 1), clip1(-angleTodo * 20));
  }
  if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) return 2;
  if (angleTodo < -0.05) return 3;
  if (angleTodo > 0.05) return 1;
  return 0;
}

/** One heuristic episode's outcome. */
export interface HeuristicEpisode {
  readonly return: number;
  readonly length: number;
  /** Ended with +100: the lander came to rest. */
  readonly landed: boolean;
  /** Landed with |x| <= 0.2 (on the pad). */
  readonly onPad: boolean;
  readonly truncated: boolean;
}

/** Plays one episode of `env` (a LunarLander, time limit applied by the caller) from `reset({ seed })`. */
export function playHeuristicEpisode(env: Env, seed: number, continuous: boolean): HeuristicEpisode {
  let [obs] = env.reset({ seed });
  let total = 0;
  for (let t = 1; ; t++) {
    const [next, reward, terminated, truncated] = env.step(lunarLanderHeuristic(obs, continuous));
    total += reward;
    obs = next;
    if (terminated || truncated) {
      const landed = terminated && reward === 100;
      return { return: total, length: t, landed, onPad: landed && Math.abs(obs[0]) <= 0.2, truncated: truncated && !terminated };
    }
  }
}

function clip1(x: number): number {
  return x < -1 ? -1 : x > 1 ? 1 : x;
}
