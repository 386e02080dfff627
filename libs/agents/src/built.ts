/**
 * What the schema knows from SLM Lab v5.3 but gymlab has not built yet, across algorithms: parallel
 * training beyond the algorithms and backends it is built for, options of keys the algorithms read
 * (net types are the net factory's to refuse), `OnPolicyCrossEntropy` beyond REINFORCE and a classification
 * `loss_spec` where a value loss is read.
 * Each refuses with a `NotBuiltError` naming it, so a right spec never runs without what it asks
 * for. A branch that builds one of them removes it here.
 */
import { isFastPath } from '@gymlab/backends';
import type { Spec } from '@gymlab/spec';
import { NotBuiltError } from './types.js';

/** Throws `NotBuiltError` for the first feature `spec` asks for that is not built. */
export function checkBuilt(spec: Spec): void {
  const { algorithm: a, net } = spec.agent;
  if (spec.meta.distributed) {
    const mode = String(spec.meta.distributed);
    if (isFastPath(net.backend)) throw new NotBuiltError(`meta.distributed '${mode}' on agent.net.backend ${net.backend} not built yet`, 'it runs on the tfjs backends (wasm, cpu)');
    if (!DISTRIBUTED_ALGORITHMS.includes(a.name)) {
      throw new NotBuiltError(`meta.distributed '${mode}' with ${a.name} not built yet`, `it runs ${DISTRIBUTED_ALGORITHMS.join(', ')}`);
    }
  }
  if (a.symlog) throw new NotBuiltError('symlog not built yet', 'allowed: false or absent');
  if (spec.agent.memory.name === 'OnPolicyCrossEntropy' && a.name !== 'Reinforce') {
    throw new NotBuiltError(`${a.name}: agent.memory.name 'OnPolicyCrossEntropy' not built yet`, 'Reinforce trains on it; use OnPolicyReplay or OnPolicyBatchReplay');
  }
  if (net.loss_spec.name === 'CrossEntropyLoss' && !LOSS_FREE_ALGORITHMS.includes(a.name)) {
    throw new NotBuiltError(`${a.name} with agent.net.loss_spec CrossEntropyLoss not built yet`, `its value loss is one of ${REGRESSION_LOSSES.join(', ')}`);
  }
}

/** The algorithms that never read `agent.net.loss_spec` (no value or Q regression). */
const LOSS_FREE_ALGORITHMS: readonly string[] = ['Reinforce', 'Random'];
/** The `loss_spec` names the value and Q losses are built for. */
export const REGRESSION_LOSSES = ['MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss'] as const;

/** For the loss switches: `loss_spec` names that are no regression loss (`checkBuilt` refuses them before any agent is built). */
export function notRegressionLoss(name: string): never {
  throw new NotBuiltError(`agent.net.loss_spec ${name} as a value loss not built yet`, `allowed: ${REGRESSION_LOSSES.join(', ')}`);
}

/** The algorithms `meta.distributed` (shared, synced) runs: SLM Lab's A3C, DPPO and async SAC. */
export const DISTRIBUTED_ALGORITHMS: readonly string[] = ['ActorCritic', 'PPO', 'SoftActorCritic'];
