/**
 * The compute path of a run: the backend request made from a spec and the fast path's answer for
 * it (`fastPathFit`), and the line run headers and provenance show, e.g. `native (PPO)`, `fast (PPO)` or
 * `tfjs-wasm (the fast path does not run agent.net.type 'ConvNet')`. Preflight, every session and
 * enjoy make the same request from the same spec and spaces, so they agree on the path.
 */
import { fastPathFit, type FastFit } from '@gymlab/agents';
import { computePath, isFastPath, type BackendName, type BackendRequest } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';

/** What a spec asks of the backends on these spaces, and the fast path's answer. */
export interface ComputeRequest {
  readonly request: BackendRequest;
  readonly fit: FastFit;
}

export function computeRequest(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): ComputeRequest {
  const fit = fastPathFit(spec, observationSpace, actionSpace);
  return { request: { gpu: spec.agent.net.gpu, backend: spec.agent.net.backend, fastFits: fit.fits }, fit };
}

/** The path a started backend computes on and why it was chosen, in one line. */
export function describeCompute(spec: Spec, fit: FastFit, used: BackendName): string {
  const path = computePath(used);
  const named = spec.agent.net.backend;
  const algorithm = isFastPath(used) ? `${spec.agent.algorithm.name}; ` : '';
  if (named !== null) return `${path} (${algorithm}agent.net.backend: ${named})`;
  if (isFastPath(used)) return `${path} (${spec.agent.algorithm.name})`;
  if (!fit.fits) return `${path} (${fit.reason})`;
  if (used === 'tensorflow-gpu' || used === 'webgpu') return `${path} (agent.net.gpu: ${String(spec.agent.net.gpu)} found a GPU)`;
  return `${path} (the fast kernels did not load: run \`npm run build\`)`;
}
