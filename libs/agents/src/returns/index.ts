export type { StepBatch } from './common.js';
export { gae, type GaeInput } from './gae.js';
export { discountedReturns, type DiscountedInput } from './discounted.js';
export { nStepReturns, type NStepInput } from './nstep.js';
