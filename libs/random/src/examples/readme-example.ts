import { Rng, SeedSequence } from '@gymlab/random';

/** A few draws from numpy's default_rng(seed), a child generator, and a checkpoint round trip. */
export function randomTour(seed = 0): { first: number; reset: number; die: number; resumed: boolean; words: bigint[] } {
  const rng = new Rng(seed); // numpy.random.default_rng(seed)
  const first = rng.random(); // default_rng(0).random() is 0.6369616873214543
  const reset = rng.uniform(-0.05, 0.05); // a CartPole reset draw
  const die = 1 + rng.integers(6); // numpy's integers(6)
  const child = new Rng(rng.deriveSeed()); // an independent stream for a part of the program
  child.random();
  const saved = JSON.stringify(rng.getState()); // 9 plain numbers
  const copy = new Rng(1);
  copy.setState(JSON.parse(saved) as number[]);
  const resumed = copy.random() === rng.random();
  const words = Array.from(new SeedSequence(2n ** 63n).generateState(4, 'uint64')); // numpy's words
  return { first, reset, die, resumed, words };
}
