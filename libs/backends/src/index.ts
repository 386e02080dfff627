export {
  BACKEND_NAMES,
  BackendUnavailableError,
  candidateBackends,
  computePath,
  initBackend,
  type BackendName,
  type BackendRequest,
  type ComputeBackend,
  type Tf,
} from './backends.js';
export {
  FAST_ACTIVATIONS,
  FastArena,
  FastKernelsUnavailableError,
  loadFastKernels,
  type FastActivation,
  type FastKernelExports,
  type FastKernels,
} from './fast/kernels.js';
export { FastConfigError, FastMlp, type FastLayerInit, type FastLayerSpec, type FastLayerViews, type FastMlpConfig } from './fast/mlp.js';
export { FastAdam, type FastAdamConfig } from './fast/adam.js';
