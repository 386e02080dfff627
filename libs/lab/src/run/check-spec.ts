/**
 * What the lab checks of a spec before it runs, minus the backend and the run folder: the spec
 * loads, the env exists and takes the spec's kwargs, and the agent fits the env's spaces
 * (`checkSpec`, shared by `preflight`); and the verdict `gymlab validate` prints (`checkRunnable`):
 * runnable, not built yet, needs `-s` variables, or wrong.
 *
 * This module loads no TensorFlow.js (it imports spec, envs and the agents' checks only), so
 * `validate` stays fast; import it as `@gymlab/lab/check-spec`.
 */
import { AgentConfigError, NotBuiltError, checkAgentSpec, fastPathFit, type FastFit } from '@gymlab/agents';
import { EnvKwargError, EnvNotBuiltError, GymnasiumBridgeError, UnknownEnvError, makeEnv as registryMakeEnv, prepareEnv } from '@gymlab/envs';
import type { AutoresetMode, Env, EnvBackend, EnvKwargs } from '@gymlab/envs';
import { ENV_KWARGS, MissingVariablesError, SpecError, loadSpecDetailed } from '@gymlab/spec';
import type { EnvSpec, Spec } from '@gymlab/spec';

/** Bad input found before anything was written: one line, for the CLI's exit code 2. */
export class PreflightError extends Error {
  override readonly name: string = 'PreflightError';
}

/** A right spec asking for what gymlab has not built yet; `what` names it (`env CarRacing-v3 not built yet`). */
export class NotBuiltYetError extends PreflightError {
  override readonly name = 'NotBuiltYetError';
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(message);
  }
}

/** How to make an env: the registered time limit unless `maxEpisodeSteps`, the env's own kwargs, and who runs it. */
export interface EnvOptions {
  readonly maxEpisodeSteps?: number | null;
  readonly kwargs?: EnvKwargs;
  /** `env.backend`: the native port or Python Gymnasium (absent: the port where one exists). */
  readonly backend?: EnvBackend;
  /** `env.python`: the Gymnasium bridge's interpreter. */
  readonly gymnasium?: { readonly python?: string };
  /** Vector envs: when an ended sub-env starts its next episode (absent: same-step). */
  readonly autoreset?: AutoresetMode;
}

/** The env options a spec asks for: `max_t` overrides the registered time limit when set; the kwargs it gives. */
export function envOptionsOf(env: EnvSpec): EnvOptions {
  const kwargs: Record<string, unknown> = {};
  for (const k of ENV_KWARGS) if (env[k] !== undefined) kwargs[k] = env[k];
  return {
    ...(env.max_t === null ? {} : { maxEpisodeSteps: env.max_t }),
    ...(Object.keys(kwargs).length ? { kwargs } : {}),
    ...(env.backend === undefined ? {} : { backend: env.backend }),
    ...(env.python === undefined ? {} : { gymnasium: { python: env.python } }),
  };
}

export interface CheckSpecOptions {
  readonly specFile: string;
  readonly specName: string;
  /** `-s key=value` overrides and `${var}` values. */
  readonly sets?: readonly string[];
  /** The env factory (default: the `@gymlab/envs` registry). */
  readonly makeEnv?: (id: string, opts?: EnvOptions) => Env;
}

export interface CheckedSpec {
  readonly spec: Spec;
  /** Whether the fast CPU path runs it (chosen on CPU when the spec names no backend), or why not. */
  readonly fastFit: FastFit;
  /** Lines for stderr: `-s` values the spec does not use, settings that do nothing. */
  readonly warnings: readonly string[];
}

/**
 * Loads the spec and checks it can run here (env, kwargs, agent), building the env once to read its
 * spaces. Throws `SpecError` (`MissingVariablesError` for unfilled `${var}`s), `NotBuiltYetError`,
 * or `PreflightError` / `AgentConfigError` for a spec that is wrong.
 */
export async function checkSpec(opts: CheckSpecOptions): Promise<CheckedSpec> {
  const { specFile } = opts;
  const { spec, warnings } = loadSpecDetailed(specFile, opts.specName, { sets: opts.sets ?? [] });
  let env: Env;
  try {
    await prepareEnv(spec.env.name, envOptionsOf(spec.env));
    env = (opts.makeEnv ?? registryMakeEnv)(spec.env.name, envOptionsOf(spec.env));
  } catch (err) {
    if (err instanceof EnvNotBuiltError) throw new NotBuiltYetError(err.what, `${specFile}: ${spec.name}.env.name: ${err.message}`);
    if (err instanceof UnknownEnvError) throw new PreflightError(`${specFile}: ${spec.name}.env.name: ${err.message}`);
    if (err instanceof EnvKwargError) throw new PreflightError(`${specFile}: ${spec.name}.env.${err.kwarg}: ${err.message}`);
    if (err instanceof GymnasiumBridgeError) throw new PreflightError(`${specFile}: ${spec.name}.env.name: ${err.message}`);
    throw err;
  }
  let fastFit: FastFit;
  try {
    checkAgentSpec(spec, env.observationSpace, env.actionSpace);
    fastFit = fastPathFit(spec, env.observationSpace, env.actionSpace);
  } catch (err) {
    if (err instanceof NotBuiltError) throw new NotBuiltYetError(err.what, `${specFile}: ${spec.name}: ${err.message}`);
    throw err;
  } finally {
    env.close();
  }
  return { spec, fastFit, warnings };
}

/** `gymlab validate`'s verdict on one spec. */
export type Runnability =
  | { readonly kind: 'runnable'; readonly spec: Spec; readonly warnings: readonly string[] }
  | { readonly kind: 'not-built'; readonly what: string; readonly message: string }
  | { readonly kind: 'needs-variables'; readonly variables: readonly string[]; readonly message: string }
  | { readonly kind: 'wrong'; readonly message: string };

/** The verdict of `checkSpec` on one spec; errors that are not about the input propagate. */
export async function checkRunnable(specFile: string, specName: string, sets: readonly string[] = [], makeEnv?: CheckSpecOptions['makeEnv']): Promise<Runnability> {
  try {
    const { spec, warnings } = await checkSpec({ specFile, specName, sets, makeEnv });
    return { kind: 'runnable', spec, warnings };
  } catch (err) {
    if (err instanceof MissingVariablesError) return { kind: 'needs-variables', variables: err.variables, message: err.message };
    if (err instanceof NotBuiltYetError) return { kind: 'not-built', what: err.what, message: err.message };
    if (err instanceof SpecError || err instanceof PreflightError || err instanceof AgentConfigError) return { kind: 'wrong', message: firstLine(err) };
    throw err;
  }
}

function firstLine(err: Error): string {
  return err.message.split('\n')[0]!;
}
