/**
 * What the schema knows from SLM Lab v5.3 but gymlab has not built yet, across algorithms: parallel
 * training and options of keys the algorithms read (net types are the net factory's to refuse).
 * Each refuses with a `NotBuiltError` naming it, so a right spec never runs without what it asks
 * for. A branch that builds one of them removes it here.
 */
import type { Spec } from '@gymlab/spec';
import { NotBuiltError } from './types.js';

/** Throws `NotBuiltError` for the first feature `spec` asks for that is not built. */
export function checkBuilt(spec: Spec): void {
  const { algorithm: a, net } = spec.agent;
  if (spec.meta.distributed) throw new NotBuiltError(`meta.distributed '${spec.meta.distributed}' not built yet`, 'allowed: false');
  if (a.symlog) throw new NotBuiltError('symlog not built yet', 'allowed: false or absent');
  for (const o of [net.optim_spec, net.actor_optim_spec, net.critic_optim_spec]) {
    if (o !== null && o.name.startsWith('Global')) throw new NotBuiltError(`optimizer ${o.name} not built yet`, 'it serves meta.distributed shared');
  }
}
