export type * from './types.js';
export { MissingVariablesError, SpecError, editDistance, nearest, type SpecErrorInit } from './errors.js';
export {
  loadSpec,
  loadSpecDetailed,
  loadSpecFile,
  resolveSpec,
  resolveSpecDetailed,
  deepFreeze,
  isAnchorBlock,
  specNamesIn,
  type LoadOptions,
  type LoadedSpec,
  type ResolveOptions,
} from './load.js';
export { parseSearchSpace, SEARCH_DISTRIBUTIONS, type SearchDimension, type SearchDistribution } from './search.js';
export { parseValue } from './overrides.js';
export { LIMITS } from './limits.js';
export { MAX_DEPTH, MAX_NAME_LENGTH, RESERVED_KEYS, checkSpecName, specNameProblem } from './data-guard.js';
export { specJsonSchema } from './json-schema.js';
export { ALGORITHM_NAMES, MEMORY_NAMES, NET_BACKENDS, NET_TYPES } from './schema/agent.js';
export { ENV_KWARGS } from './schema/spec.js';
