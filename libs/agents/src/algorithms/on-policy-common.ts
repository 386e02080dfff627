/**
 * What the on-policy agents (PPO, ActorCritic, SIL) share: acting from an ActionDist on the
 * actor-critic nets, and the dev-mode check after an update.
 */
import type { Tf } from '@gymlab/backends';
import type { ActionBatch } from '@gymlab/envs';
import { RNG_STATE_SIZE, type Rng } from '@gymlab/random';
import type { ActionDist } from '../policy/action-dist.js';
import type { PercentileNormalizer } from './on-policy-stats.js';
import { AgentCheckError, AgentConfigError, type AgentState } from '../types.js';
import type { ActorCriticNets } from './on-policy-nets.js';
import { ON_POLICY_ARRAYS, type OnPolicyArray, type OnPolicyMemory, type OnPolicyMemoryState } from '../memory/on-policy.js';

/** Applied gradient norms (after clip_grad_val) above this fail the dev check. */
export const MAX_SANE_GRAD_NORM = 1e6;

/** Actions for `obs` [rows * obsSize]: one forward, params read back once, sampled ('train') or the mode ('eval'). */
export function actFromPolicy(tf: Tf, nets: ActorCriticNets, dist: ActionDist, obs: Float32Array, obsSize: number, mode: 'train' | 'eval', rng: Rng): ActionBatch {
  const rows = obs.length / obsSize;
  const out = tf.tidy(() => dist.params(tf, nets.policy(tf.tensor2d(obs, [rows, obsSize]))));
  const params = out.dataSync() as Float32Array;
  out.dispose();
  return mode === 'eval' ? dist.mode(params, rows) : dist.sample(params, rows, rng);
}

/**
 * The dev check after an update: the largest applied gradient norm finite and at most
 * MAX_SANE_GRAD_NORM, every parameter finite, and some parameter changed unless the update ran at
 * learning rate 0 (`lr`; e.g. LinearToZero's last update, at frame = its `frame`, where nothing may
 * change); AgentCheckError otherwise.
 */
export function checkUpdate(who: string, before: Readonly<Record<string, Float32Array>>, after: Readonly<Record<string, Float32Array>>, maxApplied: number, lr?: number): void {
  if (!Number.isFinite(maxApplied) || maxApplied > MAX_SANE_GRAD_NORM) {
    throw new AgentCheckError(`${who} dev check: applied gradient norm ${maxApplied} is not finite or above ${MAX_SANE_GRAD_NORM}`);
  }
  for (const [name, w] of Object.entries(after)) {
    if (!w.every(Number.isFinite)) throw new AgentCheckError(`${who} dev check: parameter ${name} is not finite after the update`);
  }
  if (lr === 0) return;
  const changed = Object.entries(after).some(([name, w]) => w.some((x, i) => x !== before[name][i]));
  if (!changed) throw new AgentCheckError(`${who} dev check: no parameter changed in the update`);
}

/** `meta[key]` of a checkpoint as exactly `n` numbers; AgentConfigError naming the key otherwise. */
export function metaNumbers(who: string, meta: AgentState['meta'], key: string, n: number): number[] {
  const v = meta[key];
  if (!Array.isArray(v) || v.length !== n) throw new AgentConfigError(`${who} state meta '${key}' must be ${n} numbers`);
  return v as number[];
}

/** `meta[key]` of a checkpoint as a number; AgentConfigError naming the key otherwise. */
export function metaNumber(who: string, meta: AgentState['meta'], key: string): number {
  const v = meta[key];
  if (typeof v !== 'number') throw new AgentConfigError(`${who} state meta '${key}' must be a number`);
  return v;
}

/** `meta[key]` of a checkpoint as a list of numbers; AgentConfigError naming the key otherwise. */
export function metaList(who: string, meta: AgentState['meta'], key: string): readonly number[] {
  const v = meta[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new AgentConfigError(`${who} state meta '${key}' must be a list of numbers`);
  return v as readonly number[];
}

/** Restores the generators, lr and entropy every on-policy agent keeps in its checkpoint meta. */
export function restoreCommonMeta(who: string, meta: AgentState['meta'], rngs: { act: Rng; train: Rng }): { lastLr: number | null; lastEntropy: number | null } {
  rngs.act.setState(metaNumbers(who, meta, 'actRng', RNG_STATE_SIZE));
  rngs.train.setState(metaNumbers(who, meta, 'trainRng', RNG_STATE_SIZE));
  return { lastLr: typeof meta.lastLr === 'number' ? meta.lastLr : null, lastEntropy: typeof meta.lastEntropy === 'number' ? meta.lastEntropy : null };
}

/** What every on-policy agent keeps in its checkpoint meta next to its own entries. */
export interface OnPolicyCommonState {
  readonly percentile: PercentileNormalizer;
  readonly actRng: Rng;
  readonly trainRng: Rng;
  readonly lastLr: number;
  readonly lastEntropy: number | null;
}

/** The common checkpoint meta entries (advPercentiles, generators, lr, entropy). */
export function commonMeta(s: OnPolicyCommonState): AgentState['meta'] {
  return {
    advPercentiles: [s.percentile.perc5, s.percentile.perc95],
    actRng: s.actRng.getState(),
    trainRng: s.trainRng.getState(),
    lastLr: s.lastLr,
    lastEntropy: s.lastEntropy,
  };
}

/**
 * Checks a checkpoint is `who`'s and restores the common meta into `s`'s percentiles and
 * generators (checkpoints without advPercentiles, older ones, keep the current percentiles);
 * returns the saved lr and entropy.
 */
export function restoreOnPolicyMeta(who: string, state: AgentState, s: OnPolicyCommonState): { lastLr: number | null; lastEntropy: number | null } {
  if (state.algorithm !== who) throw new AgentConfigError(`cannot load a ${state.algorithm} state into a ${who} agent`);
  const m = state.meta;
  if (m.advPercentiles !== undefined) [s.percentile.perc5, s.percentile.perc95] = metaNumbers(who, m, 'advPercentiles', 2);
  return restoreCommonMeta(who, m, { act: s.actRng, train: s.trainRng });
}

const memoryKey = (k: string): string => `memory${k[0].toUpperCase()}${k.slice(1)}`;

/** The on-policy memory's stored steps as checkpoint meta entries (`memorySteps`, `memoryObs`, ...): what a resume state adds. */
export function memoryMeta(memory: OnPolicyMemory): AgentState['meta'] {
  const s = memory.getState();
  const out: Record<string, number | readonly number[]> = { memorySteps: s.steps, memoryEpisodes: s.episodesDone };
  for (const k of ON_POLICY_ARRAYS) out[memoryKey(k)] = s[k];
  return out;
}

/**
 * Restores the memory from `memoryMeta` entries when the state has them (a resume state); empties
 * it otherwise (a plain checkpoint). AgentConfigError naming the entry when one does not fit.
 */
export function restoreMemoryMeta(who: string, meta: AgentState['meta'], memory: OnPolicyMemory): void {
  if (meta.memorySteps === undefined) {
    memory.reset();
    return;
  }
  const num = (key: string): number => metaNumber(who, meta, key);
  const list = (key: string): readonly number[] => metaList(who, meta, key);
  const arrays = Object.fromEntries(ON_POLICY_ARRAYS.map((k) => [k, list(memoryKey(k))])) as Record<OnPolicyArray, readonly number[]>;
  const state: OnPolicyMemoryState = { steps: num('memorySteps'), episodesDone: num('memoryEpisodes'), ...arrays };
  try {
    memory.setState(state);
  } catch (err) {
    throw new AgentConfigError(`${who} state: ${(err as Error).message}`);
  }
}
