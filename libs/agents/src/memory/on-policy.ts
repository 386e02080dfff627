/**
 * On-policy memories (SLM Lab `OnPolicyBatchReplay` and `OnPolicyReplay`): every vector-env step is
 * appended as one row of `numEnvs` transitions in flat, time-major typed arrays; the algorithm
 * trains on the whole store when `ready()` and then `reset()`s it.
 * - batch: ready every `horizon` vector steps (a batch of horizon x numEnvs transitions).
 * - episodic: ready once `episodes` episodes (summed over sub-envs) have ended since the last reset;
 *   the batch then also holds the unfinished tails of the other sub-envs (cut and bootstrapped).
 */
export interface OnPolicyMemoryConfig {
  readonly kind: 'batch' | 'episodic';
  readonly numEnvs: number;
  readonly obsSize: number;
  /** Floats per action: 1 for discrete, the box size for continuous. */
  readonly actionSize: number;
  /** batch: vector steps per batch. */
  readonly horizon?: number;
  /** episodic: finished episodes per batch. */
  readonly episodes?: number;
}

/** One step of every sub-env (flat rows). */
export interface OnPolicyStep {
  readonly obs: Float32Array;
  readonly action: ArrayLike<number>;
  readonly reward: Float64Array;
  readonly nextObs: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
}

/** The stored steps, time-major: row t, sub-env e at index t * numEnvs + e. Views into the memory until `reset`. */
export interface OnPolicyBatch {
  readonly steps: number;
  readonly numEnvs: number;
  /** steps * numEnvs. */
  readonly size: number;
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
}

/** The arrays of an on-policy memory, by name. */
export const ON_POLICY_ARRAYS = ['obs', 'nextObs', 'actions', 'rewards', 'terminated', 'truncated'] as const;
export type OnPolicyArray = (typeof ON_POLICY_ARRAYS)[number];

/** The stored steps as plain numbers (rewards float64, exact through JSON): checkpoint meta of a resumable agent. */
export type OnPolicyMemoryState = { readonly steps: number; readonly episodesDone: number } & { readonly [K in OnPolicyArray]: readonly number[] };

export class OnPolicyMemory {
  private capacity: number;
  private steps = 0;
  private episodesDone = 0;
  private obs: Float32Array;
  private nextObs: Float32Array;
  private actions: Float32Array;
  private rewards: Float64Array;
  private terminated: Uint8Array;
  private truncated: Uint8Array;

  constructor(private readonly cfg: OnPolicyMemoryConfig) {
    if (cfg.kind === 'batch' && !(Number.isInteger(cfg.horizon) && (cfg.horizon as number) >= 1)) {
      throw new Error(`OnPolicyBatchReplay needs a positive integer horizon, got ${cfg.horizon}`);
    }
    if (cfg.kind === 'episodic' && !(Number.isInteger(cfg.episodes) && (cfg.episodes as number) >= 1)) {
      throw new Error(`OnPolicyReplay needs a positive integer episode count, got ${cfg.episodes}`);
    }
    this.capacity = cfg.kind === 'batch' ? (cfg.horizon as number) : 256;
    const rows = this.capacity * cfg.numEnvs;
    this.obs = new Float32Array(rows * cfg.obsSize);
    this.nextObs = new Float32Array(rows * cfg.obsSize);
    this.actions = new Float32Array(rows * cfg.actionSize);
    this.rewards = new Float64Array(rows);
    this.terminated = new Uint8Array(rows);
    this.truncated = new Uint8Array(rows);
  }

  /** Vector steps stored. */
  get size(): number {
    return this.steps;
  }

  add(s: OnPolicyStep): void {
    const { numEnvs: N, obsSize, actionSize } = this.cfg;
    if (s.obs.length !== N * obsSize || s.nextObs.length !== N * obsSize || s.action.length !== N * actionSize || s.reward.length !== N) {
      throw new Error(`on-policy memory: step arrays do not match ${N} envs x obs ${obsSize} / action ${actionSize}`);
    }
    if (this.steps === this.capacity) {
      if (this.cfg.kind === 'batch') throw new Error('on-policy memory is full: train and reset it first');
      this.grow();
    }
    const row = this.steps * N;
    this.obs.set(s.obs, row * obsSize);
    this.nextObs.set(s.nextObs, row * obsSize);
    for (let i = 0; i < N * actionSize; i++) this.actions[row * actionSize + i] = s.action[i];
    this.rewards.set(s.reward, row);
    this.terminated.set(s.terminated, row);
    this.truncated.set(s.truncated, row);
    for (let e = 0; e < N; e++) if (s.terminated[e] !== 0 || s.truncated[e] !== 0) this.episodesDone += 1;
    this.steps += 1;
  }

  ready(): boolean {
    return this.cfg.kind === 'batch' ? this.steps >= (this.cfg.horizon as number) : this.episodesDone >= (this.cfg.episodes as number);
  }

  batch(): OnPolicyBatch {
    const { numEnvs: N, obsSize, actionSize } = this.cfg;
    const rows = this.steps * N;
    return {
      steps: this.steps,
      numEnvs: N,
      size: rows,
      obs: this.obs.subarray(0, rows * obsSize),
      nextObs: this.nextObs.subarray(0, rows * obsSize),
      actions: this.actions.subarray(0, rows * actionSize),
      rewards: this.rewards.subarray(0, rows),
      terminated: this.terminated.subarray(0, rows),
      truncated: this.truncated.subarray(0, rows),
    };
  }

  reset(): void {
    this.steps = 0;
    this.episodesDone = 0;
  }

  /** A copy of the stored steps. */
  getState(): OnPolicyMemoryState {
    const b = this.batch();
    const arrays = Object.fromEntries(ON_POLICY_ARRAYS.map((k) => [k, Array.from(b[k])])) as Record<OnPolicyArray, number[]>;
    return { steps: this.steps, episodesDone: this.episodesDone, ...arrays };
  }

  /** Restores `getState()`; throws naming the first part whose length does not fit this memory. */
  setState(s: OnPolicyMemoryState): void {
    const { numEnvs: N, obsSize, actionSize } = this.cfg;
    if (!Number.isInteger(s.steps) || s.steps < 0 || (this.cfg.kind === 'batch' && s.steps > this.capacity)) {
      throw new Error(`on-policy memory state: ${s.steps} steps do not fit a memory of ${this.capacity}`);
    }
    const width: Record<OnPolicyArray, number> = { obs: obsSize, nextObs: obsSize, actions: actionSize, rewards: 1, terminated: 1, truncated: 1 };
    for (const k of ON_POLICY_ARRAYS) {
      const want = s.steps * N * width[k];
      if (s[k].length !== want) throw new Error(`on-policy memory state: '${k}' has ${s[k].length} numbers, ${s.steps} steps need ${want}`);
    }
    while (this.capacity < s.steps) this.grow();
    const into: Record<OnPolicyArray, { set(values: ArrayLike<number>): void }> = { obs: this.obs, nextObs: this.nextObs, actions: this.actions, rewards: this.rewards, terminated: this.terminated, truncated: this.truncated };
    for (const k of ON_POLICY_ARRAYS) into[k].set(s[k]);
    this.steps = s.steps;
    this.episodesDone = s.episodesDone;
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends Float32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.obs = grow(this.obs, (n) => new Float32Array(n));
    this.nextObs = grow(this.nextObs, (n) => new Float32Array(n));
    this.actions = grow(this.actions, (n) => new Float32Array(n));
    this.rewards = grow(this.rewards, (n) => new Float64Array(n));
    this.terminated = grow(this.terminated, (n) => new Uint8Array(n));
    this.truncated = grow(this.truncated, (n) => new Uint8Array(n));
  }
}
