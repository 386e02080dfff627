export {
  BACKEND_NAMES,
  BackendUnavailableError,
  candidateBackends,
  initBackend,
  type BackendName,
  type BackendRequest,
  type ComputeBackend,
  type Tf,
} from './backends.js';
