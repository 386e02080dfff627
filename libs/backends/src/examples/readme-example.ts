import { candidateBackends, initBackend, type BackendName, type BackendRequest } from '@gymlab/backends';

/** Sums `values` on the backend a spec's `agent.net.gpu` / `agent.net.backend` ask for. */
export async function sumOnBackend(values: number[], request: BackendRequest): Promise<{ tried: readonly BackendName[]; used: BackendName; sum: number }> {
  const tried = candidateBackends(request); // e.g. { gpu: false, backend: null } -> ['wasm', 'cpu']
  const backend = await initBackend(request); // the first that loads; BackendUnavailableError (one line) if none does
  const { tf } = backend; // the tfjs module, with backend.name active
  const sum = tf.tidy(() => tf.sum(tf.tensor1d(values)).dataSync()[0]);
  return { tried, used: backend.name, sum };
}
