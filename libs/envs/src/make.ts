/** The package's default registry (built-ins pre-registered) and the functions that use it. */
import { registerBipedalWalker } from './box2d/bipedal-walker-register.js';
import { registerLunarLander } from './box2d/lunar-lander-registration.js';
import { registerClassicControl } from './classic-control/index.js';
import { registerMujoco } from './mujoco/index.js';
import type { Env, EnvInfo, VectorEnv } from './core.js';
import { GymnasiumBridgeError, GymnasiumEnv, GymnasiumVectorEnv, type GymnasiumOptions } from './gymnasium/bridge-env.js';
import { EnvNotBuiltError, EnvRegistry, type EnvTolerance, UnknownEnvError, unbuiltGymnasiumFamily, type EnvFactory, type MakeEnvOptions, type RegisterOptions } from './registry.js';
import { SyncVectorEnv, type AutoresetMode } from './vector/sync-vector-env.js';

const defaultRegistry = new EnvRegistry();
registerClassicControl(defaultRegistry);
registerBipedalWalker(defaultRegistry);
registerLunarLander(defaultRegistry);
registerMujoco(defaultRegistry);

/** Registers an env in the default registry; throws if the id is taken. */
export function registerEnv(id: string, factory: EnvFactory, options?: RegisterOptions): void {
  defaultRegistry.register(id, factory, options);
}

/** Ids of the registered envs. */
export function registeredEnvIds(): string[] {
  return defaultRegistry.ids();
}

/** The declared tolerance of the port of `id` against Gymnasium's recorded trajectories. */
export function envTolerance(id: string): EnvTolerance {
  return defaultRegistry.tolerance(id);
}

/** Registration facts of `id` (registered time limit, reward threshold). */
export function envInfo(id: string): EnvInfo {
  return defaultRegistry.envInfo(id);
}

/** Who runs an env: gymlab's own port, or Python Gymnasium through the bridge (spec key `env.backend`). */
export type EnvBackend = 'native' | 'gymnasium';

export const ENV_BACKENDS: readonly EnvBackend[] = ['native', 'gymnasium'];

/** `makeEnv` options: the registry's, plus the backend and the bridge's Python. */
export interface EnvMakeOptions extends MakeEnvOptions {
  /** Absent: the port where one is registered, else the Gymnasium bridge. */
  readonly backend?: EnvBackend;
  /** The bridge's Python interpreter, its extra `PYTHONPATH` folders and timeouts. */
  readonly gymnasium?: Omit<GymnasiumOptions, 'kwargs' | 'maxEpisodeSteps'>;
  /** Vector envs only: when an ended sub-env starts its next episode (`SyncVectorEnv`); default same-step. */
  readonly autoreset?: AutoresetMode;
}

/**
 * Loads what `id` needs before `makeEnv(id)` can build it in this process (today: MuJoCo's
 * WebAssembly module for the MuJoCo envs, ~0.4 s once per process); resolves at once for the
 * others, for bridged and for unknown ids (`makeEnv` reports those).
 */
export async function prepareEnv(id: string, options: EnvMakeOptions = {}): Promise<void> {
  if (!usesBridge(id, options)) await defaultRegistry.prepare(id);
}

/** `prepareEnv` for every registered env (the listings and checks that build them all). */
export async function prepareAllEnvs(): Promise<void> {
  for (const id of registeredEnvIds()) await defaultRegistry.prepare(id);
}

/**
 * A new env `id`, wrapped in `TimeLimit` with `maxEpisodeSteps` when given (not null), else with
 * the registered limit. An id with no port (or `backend: 'gymnasium'`) runs in Python Gymnasium.
 * Throws `UnknownEnvError` (`EnvNotBuiltError` for an id of a Gymnasium family with no port when
 * the bridge cannot run it either) or `GymnasiumBridgeError`.
 */
export function makeEnv(id: string, options: EnvMakeOptions = {}): Env {
  if (!usesBridge(id, options)) return defaultRegistry.make(id, options);
  return bridged(id, options, () => new GymnasiumEnv(id, bridgeOptions(options)));
}

/** `numEnvs` copies of `makeEnv(id, options)` stepped in lockstep (bridged: `numEnvs` envs in one Python child). */
export function makeVectorEnv(id: string, numEnvs: number, options: EnvMakeOptions = {}): VectorEnv {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new RangeError(`makeVectorEnv: numEnvs must be a positive integer, got ${numEnvs}`);
  }
  if (usesBridge(id, options)) return bridged(id, options, () => new GymnasiumVectorEnv(id, numEnvs, bridgeOptions(options)));
  envInfo(id); // unknown ids fail before any env is built
  return new SyncVectorEnv(Array.from({ length: numEnvs }, () => makeEnv(id, options)), { autoreset: options.autoreset ?? 'same-step' });
}

function usesBridge(id: string, options: EnvMakeOptions): boolean {
  return options.backend === 'gymnasium' || (options.backend === undefined && !registeredEnvIds().includes(id));
}

function bridgeOptions(options: EnvMakeOptions): GymnasiumOptions {
  return { ...options.gymnasium, kwargs: options.kwargs, maxEpisodeSteps: options.maxEpisodeSteps };
}

/**
 * Builds a bridged env. Without an explicit backend, an id the bridge cannot run here (no Python,
 * no Gymnasium, a missing dependency) stays what it was before the bridge: not built yet (for a
 * Gymnasium family) or unknown.
 */
function bridged<E>(id: string, options: EnvMakeOptions, build: () => E): E {
  try {
    return build();
  } catch (err) {
    if (options.backend !== undefined || !(err instanceof GymnasiumBridgeError)) throw err;
    const family = unbuiltGymnasiumFamily(id);
    if (err.kind === 'unknown-id' || (family === null && ['no-python', 'no-gymnasium'].includes(err.kind))) throw new UnknownEnvError(id, registeredEnvIds());
    if (family !== null && ['no-python', 'no-gymnasium', 'no-ale', 'dependency'].includes(err.kind)) {
      throw new EnvNotBuiltError(id, family, registeredEnvIds(), `the Gymnasium bridge cannot run it here: ${err.message}`);
    }
    throw err;
  }
}
