/**
 * Opening a run folder, the same for a train/dev run and for a search: the folder itself (never
 * reused), spec.json, git.diff when the code has uncommitted changes, and provenance.json with
 * status `running` — written before any session starts, so a folder always says what made it.
 */
import { join } from 'node:path';
import type { Spec } from '@gymlab/spec';
import { writeFileAtomic, writeJsonAtomic } from './fs-utils.js';
import { codeDir, currentOwner, gitInfo, lockfileHash, machineInfo, npmVersion } from './provenance.js';
import type { Provenance } from './provenance.js';
import { GIT_DIFF_FILE, PROVENANCE_FILE, SPEC_FILE, createRunFolder } from './run-folder.js';
import { specFileContent } from './spec-file.js';

export interface OpenRunOptions {
  readonly dataDir: string;
  readonly spec: Spec;
  readonly specFile: string;
  readonly mode: string;
  readonly backend: string | null;
  /** The compute path and why (`fast (PPO)`); null when unknown. */
  readonly compute: string | null;
  readonly backendVersions: Readonly<Record<string, string>>;
  readonly commandLine: readonly string[];
  readonly seeds: Provenance['seeds'];
  readonly startedAt: Date;
}

/** Creates the run folder and its spec.json, git.diff and provenance.json (plus `extra` fields). */
export function openRunFolder<E extends object>(o: OpenRunOptions, extra: E): { runDir: string; provenance: Provenance & E } {
  const runDir = createRunFolder(o.dataDir, o.spec.name, o.startedAt);
  writeJsonAtomic(join(runDir, SPEC_FILE), specFileContent(o.spec));
  const git = gitInfo(codeDir(), { dataDir: o.dataDir });
  if (git.diff) writeFileAtomic(join(runDir, GIT_DIFF_FILE), git.diff);
  const provenance: Provenance & E = {
    status: 'running',
    spec_file: o.specFile,
    spec_name: o.spec.name,
    mode: o.mode,
    git: { sha: git.sha, dirty: git.dirty },
    versions: { node: process.versions.node, npm: npmVersion(), tfjs: o.backendVersions },
    lockfile_sha256: lockfileHash(codeDir()),
    backend: o.backend,
    compute: o.compute,
    command_line: [...o.commandLine],
    seeds: o.seeds,
    started_at: o.startedAt.toISOString(),
    ended_at: null,
    ...machineInfo(),
    owner: currentOwner(),
    ...extra,
  };
  writeJsonAtomic(join(runDir, PROVENANCE_FILE), provenance);
  return { runDir, provenance };
}
