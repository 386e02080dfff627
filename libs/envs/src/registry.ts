/**
 * Env registry (Gymnasium's `register` / `make`): an id maps to a factory of the raw env and its
 * registration facts; `makeEnv` applies the registered time limit unless told otherwise.
 */
import type { Env, EnvInfo } from './core.js';
import { TimeLimit } from './wrappers/time-limit.js';

/** Keyword arguments of an env (Gymnasium's `gym.make(id, **kwargs)`), only those it registered. */
export type EnvKwargs = Readonly<Record<string, unknown>>;

export type EnvFactory = (kwargs: EnvKwargs) => Env;

/**
 * How closely an env reproduces trajectories recorded from Gymnasium (`gymlab env check`): a value
 * matches when within `obs` / `reward` (absolute) or, for rewards, within `rewardUlps` float64 ulps.
 * `steps`: only the first `steps` steps of each recorded episode are compared (envs whose float
 * differences grow until the trajectories part, e.g. Box2D in float32 against planck in float64);
 * absent: every recorded step.
 */
export interface EnvTolerance {
  readonly obs: number;
  readonly reward: number;
  readonly rewardUlps: number;
  readonly steps?: number;
}

/** Bit for bit. */
export const EXACT: EnvTolerance = Object.freeze({ obs: 0, reward: 0, rewardUlps: 0 });

export interface RegisterOptions {
  /** Declared agreement with Gymnasium's recorded trajectories; absent: exact. */
  readonly tolerance?: EnvTolerance;
  /** Registered time limit; null or absent: none. */
  readonly maxEpisodeSteps?: number | null;
  readonly rewardThreshold?: number | null;
  /** Names of the keyword arguments the factory takes (absent: none). */
  readonly kwargs?: readonly string[];
  /**
   * An asynchronous load the env needs before its first `make` in a process (MuJoCo's wasm
   * module), run by `prepare(id)`; absent: none.
   */
  readonly prepare?: () => Promise<unknown>;
}

export interface MakeEnvOptions {
  /** Time limit overriding the registered one; null or absent: the registered limit. */
  readonly maxEpisodeSteps?: number | null;
  /** Keyword arguments for the env; each must be one it registered. */
  readonly kwargs?: EnvKwargs;
}

/** A keyword argument the env does not take (one line naming it and those it takes). */
export class EnvKwargError extends Error {
  override readonly name = 'EnvKwargError';

  constructor(
    readonly id: string,
    readonly kwarg: string,
    readonly accepted: readonly string[],
  ) {
    super(`env ${id} takes no keyword argument '${kwarg}' (takes: ${accepted.length ? accepted.join(', ') : 'none'})`);
  }
}

/** A keyword argument the env takes, given a value it does not (one line: the value and what is allowed). */
export class EnvKwargValueError extends EnvKwargError {
  override readonly message: string;

  constructor(id: string, kwarg: string, allowed: string, value: unknown, accepted: readonly string[]) {
    super(id, kwarg, accepted);
    this.message = `env ${id}: keyword argument '${kwarg}' must be ${allowed}, got ${JSON.stringify(value) ?? String(value)}`;
  }
}

/**
 * Gymnasium env families gymlab has no port of yet, by id pattern: such an id is right but
 * not built (`EnvNotBuiltError`), unlike a typo.
 */
const GYMNASIUM_FAMILIES: readonly (readonly [string, RegExp])[] = [
  ['Box2D', /^(LunarLander|LunarLanderContinuous|BipedalWalker|BipedalWalkerHardcore|CarRacing)-v\d+$/],
  ['MuJoCo', /^(Ant|HalfCheetah|Hopper|Humanoid|HumanoidStandup|InvertedDoublePendulum|InvertedPendulum|Pusher|Reacher|Swimmer|Walker2d)-v\d+$/],
  ['Atari (ALE)', /^ALE\/[A-Za-z0-9]+-v\d+$/],
  ['toy text', /^(Blackjack|CliffWalking|FrozenLake|FrozenLake8x8|Taxi)-v\d+$/],
];

/** The Gymnasium family of an id gymlab has no port of (`Box2D`, `MuJoCo`, ...), or null. */
export function unbuiltGymnasiumFamily(id: string): string | null {
  return GYMNASIUM_FAMILIES.find(([, re]) => re.test(id))?.[0] ?? null;
}

/** An env id that is not registered. The message is one line naming the known ids. */
export class UnknownEnvError extends Error {
  override readonly name = 'UnknownEnvError';

  constructor(
    readonly id: string,
    readonly knownIds: readonly string[],
  ) {
    const nearest = nearestId(id, knownIds);
    super(
      `Unknown env id '${id}'` +
        (nearest !== null ? `; did you mean '${nearest}'?` : '') +
        ` Registered: ${knownIds.join(', ')}`,
    );
  }
}

/** A Gymnasium env id of a family gymlab has no port of yet (`what`: `env CarRacing-v3 not built yet`). */
export class EnvNotBuiltError extends UnknownEnvError {
  override readonly message: string;
  readonly what: string;

  constructor(
    id: string,
    readonly family: string,
    knownIds: readonly string[],
    /** Why it cannot run here through the Gymnasium bridge either, when that was tried. */
    detail?: string,
  ) {
    super(id, knownIds);
    this.what = `env ${id} not built yet`;
    this.message = `${this.what} (Gymnasium ${family}; built: ${knownIds.join(', ')})${detail === undefined ? '' : `; ${detail}`}`;
  }
}

interface Entry {
  readonly tolerance: EnvTolerance;
  readonly factory: EnvFactory;
  readonly info: EnvInfo;
  readonly kwargs: readonly string[];
  readonly prepare?: () => Promise<unknown>;
}

/** A set of registered envs. The package keeps one default registry holding the built-ins. */
export class EnvRegistry {
  private readonly entries = new Map<string, Entry>();

  register(id: string, factory: EnvFactory, options: RegisterOptions = {}): void {
    if (this.entries.has(id)) throw new Error(`Env id '${id}' is already registered`);
    const maxEpisodeSteps = options.maxEpisodeSteps ?? null;
    if (maxEpisodeSteps !== null && (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)) {
      throw new RangeError(`registerEnv('${id}'): maxEpisodeSteps must be a positive integer or null`);
    }
    const info = Object.freeze({ id, maxEpisodeSteps, rewardThreshold: options.rewardThreshold ?? null });
    this.entries.set(id, { factory, info, kwargs: Object.freeze([...(options.kwargs ?? [])]), tolerance: options.tolerance ?? EXACT, prepare: options.prepare });
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Registration facts of `id`; throws `UnknownEnvError`. */
  envInfo(id: string): EnvInfo {
    return this.entry(id).info;
  }

  /** The declared tolerance of `id` against Gymnasium; throws `UnknownEnvError`. */
  tolerance(id: string): EnvTolerance {
    return this.entry(id).tolerance;
  }

  /** Runs the asynchronous load `id` registered (see `RegisterOptions.prepare`); nothing for others and for unknown ids. */
  async prepare(id: string): Promise<void> {
    await this.entries.get(id)?.prepare?.();
  }

  make(id: string, options: MakeEnvOptions = {}): Env {
    const { factory, info, kwargs } = this.entry(id);
    const given = options.kwargs ?? {};
    for (const k of Object.keys(given)) if (!kwargs.includes(k)) throw new EnvKwargError(id, k, kwargs);
    const env = factory(given);
    const limit = options.maxEpisodeSteps ?? info.maxEpisodeSteps;
    return limit === null ? env : new TimeLimit(env, limit);
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (e === undefined) {
      const family = unbuiltGymnasiumFamily(id);
      throw family === null ? new UnknownEnvError(id, this.ids()) : new EnvNotBuiltError(id, family, this.ids());
    }
    return e;
  }
}

/** The registered id closest to `id` by edit distance (case-insensitive), or null if none is close. */
export function nearestId(id: string, knownIds: readonly string[]): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const k of knownIds) {
    const d = editDistance(id.toLowerCase(), k.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  return best !== null && bestDist <= Math.max(3, Math.floor(best.length / 2)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
