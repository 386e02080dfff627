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

/**
 * Base of wrappers that change only observations (Gymnasium's `ObservationWrapper`): `observation`
 * maps every observation that reset and step return; `observationSpace`, when given, is the space
 * after the change (default the wrapped env's).
 */
export abstract class ObservationWrapper extends Wrapper {
  private readonly space: BoxSpace | undefined;

  constructor(env: Env, observationSpace?: BoxSpace) {
    super(env);
    this.space = observationSpace;
  }

  override get observationSpace(): BoxSpace {
    return this.space ?? this.env.observationSpace;
  }

  /** The observation the agent sees, for one the wrapped env returned (which it must not change). */
  protected abstract observation(obs: Observation): Observation;

  override reset(options?: { seed?: number }): [obs: Observation, info: Info] {
    const [o, info] = this.env.reset(options);
    return [this.observation(o), info];
  }

  override step(action: Action): StepResult {
    const [o, r, te, tr, info] = this.env.step(action);
    return [this.observation(o), r, te, tr, info];
  }
}

/** Follows the chain of wrappers down to the innermost env. */
export function unwrap(env: Env): Env {
  let e = env;
  while (e instanceof Wrapper) e = e.env;
  return e;
}
