/** Base of env wrappers: forwards everything to the wrapped env. */
import type { Action, BoxSpace, Env, EnvInfo, Info, Observation, Space, StepResult } from '../core.js';

export abstract class Wrapper implements Env {
  constructor(readonly env: Env) {}

  get observationSpace(): BoxSpace {
    return this.env.observationSpace;
  }

  get actionSpace(): Space {
    return this.env.actionSpace;
  }

  get info(): EnvInfo {
    return this.env.info;
  }

  /** The innermost env (Gymnasium's `env.unwrapped`). */
  get unwrapped(): Env {
    return unwrap(this.env);
  }

  reset(options?: { seed?: number }): [obs: Observation, info: Info] {
    return this.env.reset(options);
  }

  step(action: Action): StepResult {
    return this.env.step(action);
  }

  close(): void {
    this.env.close();
  }
}

/** Follows the chain of wrappers down to the innermost env. */
export function unwrap(env: Env): Env {
  let e = env;
  while (e instanceof Wrapper) e = e.env;
  return e;
}
