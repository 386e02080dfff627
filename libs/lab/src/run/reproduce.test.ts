import { describe, expect, it } from 'vitest';
import { rerunArgs, type ReproduceRecord } from './reproduce.js';

const rec = (backend: string | null, mode: 'dev' | 'train' = 'dev'): ReproduceRecord => ({
  runDir: '/runs/r',
  sha: 'a'.repeat(40),
  diffFile: null,
  lockfileSha256: null,
  specName: 'ppo_cartpole',
  mode,
  sessions: 4,
  backend,
});

describe('the rerun of reproduce', () => {
  it('computes on the recorded backend (a run made on fast reruns on fast where native kernels exist), with the recorded spec and mode', () => {
    expect(rerunArgs(rec('fast'), '/tmp/d')).toEqual(['run', '/runs/r/spec.json', 'ppo_cartpole', 'dev', '--data-dir', '/tmp/d', '-s', 'agent.net.backend=fast']);
    expect(rerunArgs(rec('native'), '/tmp/d')).toContain('agent.net.backend=native');
    expect(rerunArgs(rec('wasm', 'train'), '/tmp/d', 2)).toEqual(['run', '/runs/r/spec.json', 'ppo_cartpole', 'train', '--data-dir', '/tmp/d', '-s', 'agent.net.backend=wasm', '-s', 'meta.max_session=3']);
  });
  it('leaves the backend to the spec when provenance records none or one gymlab does not know', () => {
    for (const backend of [null, 'quantum']) expect(rerunArgs(rec(backend), '/tmp/d').join(' ')).not.toContain('agent.net.backend');
  });
});
