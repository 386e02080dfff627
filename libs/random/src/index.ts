export { SeedSequence, entropyWords, type Entropy, type SeedSequenceOptions } from './seed-sequence.js';
export { PCG64, type PCG64Numbers, type PCG64State } from './pcg64.js';
export { RNG_STATE_SIZE, Rng, defaultRng, type RngState, type Seed } from './rng.js';
