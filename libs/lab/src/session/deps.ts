/**
 * What a Session builds its env, agent and backend with. The defaults are the real libs; unit
 * tests pass small fakes.
 */
import { createAgent } from '@gymlab/agents';
import type { Agent, AgentContext } from '@gymlab/agents';
import { initBackend } from '@gymlab/backends';
import type { BackendRequest, ComputeBackend } from '@gymlab/backends';
import { makeEnv, makeVectorEnv, prepareEnv } from '@gymlab/envs';
import type { Env, VectorEnv } from '@gymlab/envs';

import type { EnvOptions } from '../run/check-spec.js';
import { nodeWriteIo } from '../run/fs-utils.js';
import type { WriteIo } from '../run/fs-utils.js';

export type { EnvOptions } from '../run/check-spec.js';
export { envOptionsOf } from '../run/check-spec.js';

export interface SessionDeps {
  /** Loads what the env needs before it can be made in this process (MuJoCo's wasm module). */
  readonly prepareEnv: (id: string, opts?: EnvOptions) => Promise<void>;
  readonly initBackend: (request: BackendRequest) => Promise<ComputeBackend>;
  readonly makeEnv: (id: string, opts?: EnvOptions) => Env;
  readonly makeVectorEnv: (id: string, numEnvs: number, opts?: EnvOptions) => VectorEnv;
  readonly createAgent: (ctx: AgentContext) => Agent;
  /** The file-system calls of the session's writes (CSVs, metrics, checkpoints); tests inject a full disk. */
  readonly writeIo: WriteIo;
}

export const defaultDeps: SessionDeps = { initBackend, prepareEnv, makeEnv, makeVectorEnv, createAgent, writeIo: nodeWriteIo };

export function resolveDeps(deps?: Partial<SessionDeps>): SessionDeps {
  return deps ? { ...defaultDeps, ...deps } : defaultDeps;
}

