import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { analysisSeed } from './analyze-trial.js';
import { sessionSeeds } from './trial/trial.js';

describe('analysisSeed', () => {
  it('is the first derived seed of Rng(base XOR 0x5eeda11a), stable and distinct per base seed', () => {
    expect(analysisSeed(42)).toBe(new Rng((42 ^ 0x5eeda11a) >>> 0).deriveSeed());
    expect(analysisSeed(42)).toBe(analysisSeed(42));
    expect(analysisSeed(43)).not.toBe(analysisSeed(42));
    expect(sessionSeeds(42, 8)).not.toContain(analysisSeed(42));
    expect(Number.isSafeInteger(analysisSeed(2 ** 31 - 1))).toBe(true);
  });
});
