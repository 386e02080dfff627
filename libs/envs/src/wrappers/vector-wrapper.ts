/** Base of vector-env wrappers: forwards everything to the wrapped vector env. */
import type { ActionBatch, BoxSpace, EnvInfo, Space, VectorEnv, VectorStep } from '../core.js';

export abstract class VectorWrapper implements VectorEnv {
  constructor(readonly env: VectorEnv) {}

  get numEnvs(): number {
    return this.env.numEnvs;
  }

  get singleObservationSpace(): BoxSpace {
    return this.env.singleObservationSpace;
  }

  get singleActionSpace(): Space {
    return this.env.singleActionSpace;
  }

  get info(): EnvInfo {
    return this.env.info;
  }

  reset(options?: { seed?: number }): Float32Array {
    return this.env.reset(options);
  }

  step(actions: ActionBatch): VectorStep {
    return this.env.step(actions);
  }

  close(): void {
    this.env.close();
  }
}

/** Sub-envs whose episode ended at this step (their `obs` row is a new episode's first). */
export function endedEnvs(step: VectorStep): number[] {
  const out: number[] = [];
  for (let i = 0; i < step.terminated.length; i++) if (step.terminated[i] || step.truncated[i]) out.push(i);
  return out;
}
