export * from './core.js';
export { Rng } from './rng.js';
