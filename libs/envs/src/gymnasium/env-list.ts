/**
 * `gymlab env list`: every env id gymlab can run, native ports first (with their spaces), then
 * every id the Python Gymnasium bridge could run here (spaces, or why it cannot be made).
 */
import { makeEnv, prepareAllEnvs, registeredEnvIds } from '../make.js';
import { GymnasiumBridgeError, listGymnasiumEnvs, type GymnasiumOptions } from './bridge-env.js';

export interface EnvListing {
  readonly id: string;
  readonly backend: 'native' | 'gymnasium';
  readonly observationSpace: string | null;
  readonly actionSpace: string | null;
  /** Why the bridge cannot make it here (a missing dependency), else null. */
  readonly unavailable: string | null;
}

export interface EnvList {
  readonly envs: readonly EnvListing[];
  /** Why the bridge could not list Gymnasium's ids (no Python or Gymnasium), else null. */
  readonly bridgeUnavailable: string | null;
}

export async function listEnvs(opts: Pick<GymnasiumOptions, 'python' | 'pythonPath' | 'startTimeoutMs'> = {}): Promise<EnvList> {
  await prepareAllEnvs();
  const envs: EnvListing[] = registeredEnvIds().map((id) => {
    const env = makeEnv(id, { backend: 'native' });
    try {
      return { id, backend: 'native', observationSpace: String(env.observationSpace), actionSpace: String(env.actionSpace), unavailable: null };
    } finally {
      env.close();
    }
  });
  const native = new Set(envs.map((e) => e.id));
  let bridgeUnavailable: string | null = null;
  try {
    for (const g of listGymnasiumEnvs(opts)) {
      if (native.has(g.id)) continue;
      envs.push({ id: g.id, backend: 'gymnasium', observationSpace: g.observationSpace, actionSpace: g.actionSpace, unavailable: g.unavailable });
    }
  } catch (err) {
    if (!(err instanceof GymnasiumBridgeError)) throw err;
    bridgeUnavailable = err.message;
  }
  return { envs, bridgeUnavailable };
}

export function formatEnvList(list: EnvList): string {
  const lines = list.envs.map((e) =>
    e.unavailable !== null ? `${e.id}  ${e.backend}  unavailable here: ${e.unavailable}` : `${e.id}  ${e.backend}  observation ${e.observationSpace}  action ${e.actionSpace}`,
  );
  if (list.bridgeUnavailable !== null) lines.push(`(Gymnasium ids not listed: ${list.bridgeUnavailable})`);
  return `${lines.join('\n')}\n`;
}
