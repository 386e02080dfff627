/**
 * Random search: each drawn param of trial k from its distribution (`drawRandom`), in search-block
 * order, from the stream `searchStream(baseSeed, STREAM.random, k)`. No history.
 */
import { STREAM, searchStream } from '../rng.js';
import { drawRandom } from '../space.js';
import type { Param } from '../space.js';
import type { Proposal, Sampler } from './sampler.js';

/** The random values of trial `trial` (also TPE's startup trials). */
export function randomValues(params: readonly Param[], baseSeed: number, trial: number): Record<string, unknown> {
  const rng = searchStream(baseSeed, STREAM.random, trial);
  const out: Record<string, unknown> = {};
  for (const p of params) out[p.key] = drawRandom(p, rng);
  return out;
}

export class RandomSampler implements Sampler {
  readonly name = 'random' as const;

  constructor(
    readonly params: readonly Param[],
    private readonly baseSeed: number,
  ) {}

  historyNeeded(): boolean {
    return false;
  }

  propose(p: Proposal): Record<string, unknown> {
    return randomValues(this.params, this.baseSeed, p.trial);
  }
}

/** Grid search: every value comes from the grid (choice lists are gridded too); nothing is drawn. */
export class GridSampler implements Sampler {
  readonly name = 'grid' as const;
  readonly params: readonly Param[] = [];

  historyNeeded(): boolean {
    return false;
  }

  propose(): Record<string, unknown> {
    return {};
  }
}
