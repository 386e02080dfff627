/**
 * Gymnasium 1.4.0's `BipedalWalkerHeuristics`: a hand-written gait (stand on one leg, put the
 * other down, push off) with PD targets on the joints. Not a good walker (it has no notion of
 * balance), but a fixed reference policy whose return and length statistics Gymnasium recorded.
 * One instance per episode; `act(obs)` returns the next action (a new array).
 */
import type { Env } from '../core.js';

const STAY_ON_ONE_LEG = 1;
const PUT_OTHER_DOWN = 2;
const PUSH_OFF = 3;
/** Faster falls forward. */
const SPEED = 0.29;
const SUPPORT_KNEE_ANGLE = 0.1;

export class BipedalWalkerHeuristic {
  private state = STAY_ON_ONE_LEG;
  private movingLeg = 0;
  private supportingLeg = 1;
  private supportingKneeAngle = SUPPORT_KNEE_ANGLE;

  act(s: ArrayLike<number>): Float32Array {
    const movingBase = 4 + 5 * this.movingLeg;
    const supportingBase = 4 + 5 * this.supportingLeg;
    // null: no target (Python's None); a target of 0 counts as none too (Python's truthiness).
    const hipTarg: (number | null)[] = [null, null];
    const kneeTarg: (number | null)[] = [null, null];
    const hipTodo = [0.0, 0.0];
    const kneeTodo = [0.0, 0.0];

    if (this.state === STAY_ON_ONE_LEG) {
      hipTarg[this.movingLeg] = 1.1;
      kneeTarg[this.movingLeg] = -0.6;
      this.supportingKneeAngle += 0.03;
      if (s[2] > SPEED) this.supportingKneeAngle += 0.03;
      this.supportingKneeAngle = Math.min(this.supportingKneeAngle, SUPPORT_KNEE_ANGLE);
      kneeTarg[this.supportingLeg] = this.supportingKneeAngle;
      if (s[supportingBase] < 0.1) this.state = PUT_OTHER_DOWN;
    }
    if (this.state === PUT_OTHER_DOWN) {
      hipTarg[this.movingLeg] = 0.1;
      kneeTarg[this.movingLeg] = SUPPORT_KNEE_ANGLE;
      kneeTarg[this.supportingLeg] = this.supportingKneeAngle;
      if (s[movingBase + 4]) {
        this.state = PUSH_OFF;
        this.supportingKneeAngle = Math.min(s[movingBase + 2], SUPPORT_KNEE_ANGLE);
      }
    }
    if (this.state === PUSH_OFF) {
      kneeTarg[this.movingLeg] = this.supportingKneeAngle;
      kneeTarg[this.supportingLeg] = 1.0;
      if (s[supportingBase + 2] > 0.88 || s[2] > 1.2 * SPEED) {
        this.state = STAY_ON_ONE_LEG;
        this.movingLeg = 1 - this.movingLeg;
        this.supportingLeg = 1 - this.movingLeg;
      }
    }

    const [h0, h1] = hipTarg;
    const [k0, k1] = kneeTarg;
    if (h0) hipTodo[0] = 0.9 * (h0 - s[4]) - 0.25 * s[5];
    if (h1) hipTodo[1] = 0.9 * (h1 - s[9]) - 0.25 * s[10];
    if (k0) kneeTodo[0] = 4.0 * (k0 - s[6]) - 0.25 * s[7];
    if (k1) kneeTodo[1] = 4.0 * (k1 - s[11]) - 0.25 * s[12];
    // PD to keep the head straight, and damping of vertical oscillations.
    hipTodo[0] -= 0.9 * (0 - s[0]) - 1.5 * s[1];
    hipTodo[1] -= 0.9 * (0 - s[0]) - 1.5 * s[1];
    kneeTodo[0] -= 15.0 * s[3];
    kneeTodo[1] -= 15.0 * s[3];

    const a = new Float32Array(4);
    const raw = [hipTodo[0], kneeTodo[0], hipTodo[1], kneeTodo[1]];
    for (let j = 0; j < 4; j++) a[j] = Math.min(1.0, Math.max(-1.0, 0.5 * raw[j]));
    return a;
  }
}

/** One heuristic episode: its return, length and how it ended. */
export interface BipedalHeuristicEpisode {
  readonly return: number;
  readonly length: number;
  /** `fell`: terminated with -100; `end`: terminated otherwise (past the end); `truncated`: time limit. */
  readonly outcome: 'fell' | 'end' | 'truncated';
}

/**
 * Plays one episode of `env` (BipedalWalker, time limit included) from `reset({ seed })` with a
 * fresh heuristic, first action zeros: the protocol of Gymnasium's recorded statistics.
 */
export function bipedalHeuristicEpisode(env: Env, seed: number): BipedalHeuristicEpisode {
  let [obs] = env.reset({ seed });
  const policy = new BipedalWalkerHeuristic();
  let action: Float32Array = new Float32Array(4);
  let total = 0;
  for (let length = 1; ; length++) {
    const [next, reward, terminated, truncated] = env.step(action);
    total += reward;
    obs = next;
    if (terminated) return { return: total, length, outcome: reward === -100 ? 'fell' : 'end' };
    if (truncated) return { return: total, length, outcome: 'truncated' };
    action = policy.act(obs);
  }
}
