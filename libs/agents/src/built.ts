/**
 * What the schema knows from SLM Lab v5.3 but gymlab has not built yet, across algorithms: net
 * types, parallel training, and options of keys the algorithms read. Each refuses with a
 * `NotBuiltError` naming it, so a right spec never runs without what it asks for. A branch that
 * builds one of them removes it here.
 */
import type { Spec } from '@gymlab/spec';
import { NotBuiltError } from './types.js';

/** Net types the algorithms build today. */
export const BUILT_NET_TYPES: readonly string[] = ['MLPNet'];

/** Throws `NotBuiltError` for the first feature `spec` asks for that is not built. */
export function checkBuilt(spec: Spec): void {
  const { algorithm: a, net, critic_net: criticNet } = spec.agent;
  for (const n of criticNet ? [net, criticNet] : [net]) {
    if (!BUILT_NET_TYPES.includes(n.type)) throw new NotBuiltError(`net ${n.type} not built yet`, `built: ${BUILT_NET_TYPES.join(', ')}`);
    if (n.layer_norm) throw new NotBuiltError('net layer_norm not built yet', 'allowed: false or absent');
  }
  if (spec.meta.distributed) throw new NotBuiltError(`meta.distributed '${spec.meta.distributed}' not built yet`, 'allowed: false');
  if (a.normalize_advantages === 'percentile') throw new NotBuiltError("normalize_advantages 'percentile' not built yet", "allowed: true, false, 'standardize'");
  if (a.symlog) throw new NotBuiltError('symlog not built yet', 'allowed: false or absent');
  for (const o of [net.optim_spec, net.actor_optim_spec, net.critic_optim_spec]) {
    if (o !== null && o.name.startsWith('Global')) throw new NotBuiltError(`optimizer ${o.name} not built yet`, 'it serves meta.distributed shared');
  }
}
