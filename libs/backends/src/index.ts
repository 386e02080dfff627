export {
  BACKEND_NAMES,
  BackendUnavailableError,
  candidateBackends,
  computePath,
  initBackend,
  isFastPath,
  type BackendName,
  type BackendRequest,
  type ComputeBackend,
  type Tf,
} from './backends.js';
export {
  FAST_ACTIVATIONS,
  FAST_KERNEL_KINDS,
  FastArena,
  FastKernelsUnavailableError,
  loadFastKernels,
  loadNativeKernels,
  nativeKernelsAvailable,
  type FastActivation,
  type FastKernelExports,
  type FastKernelKind,
  type FastKernels,
} from './fast/kernels.js';
export { FastConfigError, FastMlp, type FastLayerInit, type FastLayerSpec, type FastLayerViews, type FastMlpConfig } from './fast/mlp.js';
export { FastAdam, type FastAdamConfig } from './fast/adam.js';
