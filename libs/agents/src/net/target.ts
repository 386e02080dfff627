/**
 * Target nets as SLM Lab's `net_util.update_target_net` moves them: `update_type: replace` copies
 * the online net when frame % `update_frequency` < num_envs (the vector step that crosses a
 * multiple), `polyak` blends target <- coef * online + (1 - coef) * target at every call.
 */
import type { NetModule } from './types.js';

export interface TargetUpdateConfig {
  readonly updateType: 'replace' | 'polyak';
  /** replace: frames between copies. */
  readonly updateFrequency: number;
  /** polyak: weight of the online net. */
  readonly polyakCoef: number;
  /** Sub-envs: frames per vector step. */
  readonly numEnvs: number;
}

/** The target net update of SLM Lab's net spec keys `update_type`, `update_frequency`, `polyak_coef`. */
export function targetUpdateOf(net: { readonly update_type: string; readonly update_frequency: number; readonly polyak_coef: number }, numEnvs: number): TargetUpdateConfig {
  if (net.update_type !== 'replace' && net.update_type !== 'polyak') throw new RangeError(`update_type must be replace or polyak, got ${net.update_type}`);
  return { updateType: net.update_type, updateFrequency: net.update_frequency, polyakCoef: net.polyak_coef, numEnvs };
}

/** Moves `target` towards `online` for env frame `frame`. Returns whether it changed. */
export function updateTargetNet(online: NetModule, target: NetModule, cfg: TargetUpdateConfig, frame: number): boolean {
  if (cfg.updateType === 'polyak') {
    target.polyakFrom(online, cfg.polyakCoef);
    return true;
  }
  if (frame % cfg.updateFrequency < cfg.numEnvs) {
    target.copyFrom(online);
    return true;
  }
  return false;
}
