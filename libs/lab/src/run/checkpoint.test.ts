import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentState } from '@gymlab/agents';
import { NormalizedVectorEnv, makeEnv, makeVectorEnv } from '@gymlab/envs';
import { CheckpointError, MANIFEST_FILE, checkEnvStatsFit, checkStateFits, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { nodeWriteIo, WriteError } from './fs-utils.js';
import { enospc, fullDiskIo, readManifest, rewriteManifest, weightsPath } from '../test-utils/checkpoint-files.js';

const state: AgentState = {
  algorithm: 'PPO',
  tensors: {
    'actor/w0': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) },
    'actor/b0': { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
  },
  meta: { frame: 128, clip: [0.2, 0.1], note: 'x', flag: true, none: null },
};

describe('checkpoints', () => {
  it('round-trips tensors, meta and info bit for bit', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'best');
    saveCheckpoint(dir, state, { frame: 128, metric: 'return_ma', value: 21.5 });
    const { state: back, info } = loadCheckpoint(dir);
    expect(info).toEqual({ frame: 128, metric: 'return_ma', value: 21.5 });
    expect(back.algorithm).toBe('PPO');
    expect(back.meta).toEqual(state.meta);
    expect(Array.from(back.tensors['actor/w0'].data)).toEqual([1, 2, 3, 4, 5, -6.5]);
    expect(back.tensors['actor/b0'].shape).toEqual([3]);
    expect(Array.from(back.tensors['actor/b0'].data)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    // the manifest is plain data
    const manifest = readManifest(dir);
    expect(manifest.format).toBe('gymlab-checkpoint');
    expect(manifest.weights).toMatch(/^weights-[0-9a-f]{16}\.bin$/);
    expect(manifest.manifest_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(weightsPath(dir)).byteLength).toBe(9 * 4);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, manifest.weights].sort());
  });

  it('a new checkpoint replaces the previous one, whose weights file goes only after the new manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    const first = readManifest(dir).weights;
    const next: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [3], data: new Float32Array([7, 8, 9]) } } };
    saveCheckpoint(dir, next, { frame: 2, metric: 'return_ma', value: null });
    const second = readManifest(dir).weights;
    expect(second).not.toBe(first);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, second].sort());
    expect(Array.from(loadCheckpoint(dir).state.tensors['actor/b0'].data)).toEqual([7, 8, 9]);
    // the same weights again: the same file, still one
    saveCheckpoint(dir, next, { frame: 3, metric: 'return_ma', value: null });
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, second].sort());
    expect(loadCheckpoint(dir).info.frame).toBe(3);
  });

  it('rejects a tensor whose data does not fit its shape', () => {
    const bad: AgentState = { ...state, tensors: { w: { shape: [2, 2], data: new Float32Array(3) } } };
    expect(() => saveCheckpoint(mkdtempSync(join(tmpdir(), 'ckpt-')), bad, { frame: 0, metric: 'return_ma', value: null })).toThrow(CheckpointError);
  });

  it('rejects corrupted weights, and tampered shapes even when the manifest is signed again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    const bytes = readFileSync(weightsPath(dir));
    bytes[0] ^= 0xff;
    writeFileSync(weightsPath(dir), bytes);
    expect(() => loadCheckpoint(dir)).toThrow(/weights-[0-9a-f]{16}\.bin: checksum mismatch/);

    const dir2 = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir2, state, { frame: 1, metric: 'return_ma', value: null });
    rewriteManifest(dir2, (t) => t.replace('"shape":[2,3]', '"shape":[4]'));
    expect(() => loadCheckpoint(dir2)).toThrow(/offset\/length do not match/);
  });

  it('reports a missing checkpoint in one line', () => {
    expect(() => loadCheckpoint('/nonexistent/ckpt')).toThrow(/no checkpoint in \/nonexistent\/ckpt/);
  });

  it('checkStateFits names the first mismatch', () => {
    const other: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [4], data: new Float32Array(4) } } };
    expect(() => checkStateFits(state, state, 'x')).not.toThrow();
    expect(() => checkStateFits(state, other, 'x')).toThrow(/'actor\/b0' has shape \[4\], the agent needs \[3\]/);
    expect(() => checkStateFits(state, { ...state, algorithm: 'DQN' }, 'x')).toThrow(/for DQN, the agent is PPO/);
    expect(() => checkStateFits(state, { ...state, tensors: { 'actor/w0': state.tensors['actor/w0'] } }, 'x')).toThrow(/lacks tensor 'actor\/b0'/);
  });
});

describe('hostile checkpoints are refused before any of their data is used', () => {
  const saved = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    return dir;
  };
  const editManifest = rewriteManifest;

  it('NaN weights with a valid checksum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const nan: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [3], data: new Float32Array([0.1, Number.NaN, Infinity]) } } };
    saveCheckpoint(dir, nan, { frame: 1, metric: 'return_ma', value: null });
    expect(() => loadCheckpoint(dir)).toThrow(/tensor 'actor\/b0' holds 2 non-finite value\(s\)/);
  });
  it('a __proto__ key anywhere in the manifest', () => {
    const dir = saved();
    editManifest(dir, (t) => t.replace('"meta":{', '"meta":{"__proto__":{"polluted":true},'));
    expect(() => loadCheckpoint(dir)).toThrow(/key '__proto__' is not allowed/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
  it('a tensor named __proto__, or named twice', () => {
    const dir = saved();
    editManifest(dir, (t) => t.replace('"actor/w0"', '"__proto__"'));
    expect(() => loadCheckpoint(dir)).toThrow(/tensor name '__proto__' is not allowed/);
    const dir2 = saved();
    editManifest(dir2, (t) => t.replace('"actor/b0"', '"actor/w0"'));
    expect(() => loadCheckpoint(dir2)).toThrow(/tensor 'actor\/w0' appears twice/);
  });
  it('a truncated manifest, or one of random bytes', () => {
    const dir = saved();
    writeFileSync(join(dir, MANIFEST_FILE), readFileSync(join(dir, MANIFEST_FILE), 'utf8').slice(0, 100));
    expect(() => loadCheckpoint(dir)).toThrow(/is not valid JSON/);
    const dir2 = saved();
    writeFileSync(join(dir2, MANIFEST_FILE), Buffer.from([0, 255, 13, 7, 42]));
    expect(() => loadCheckpoint(dir2)).toThrow(CheckpointError);
  });
});

describe('checkpoints with env normalisation statistics', () => {
  const options = { normalizeObs: true, clipObs: 10, normalizeReward: true, clipReward: [-10, 10] as const, gamma: 0.99 };
  const warmed = (): NormalizedVectorEnv => {
    const norm = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), options);
    norm.env.reset({ seed: 3 });
    for (let t = 0; t < 40; t++) norm.env.step(Int32Array.of(t % 2, (t >> 2) % 2));
    return norm;
  };

  it('round-trips the statistics exactly: restored, they normalise the same steps identically', () => {
    const norm = warmed();
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'latest');
    saveCheckpoint(dir, state, { frame: 80, metric: 'return_ma', value: 1 }, norm.getState());
    const { envStats } = loadCheckpoint(dir);
    expect(envStats).toEqual(norm.getState());
    const restored = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), options);
    if (envStats === null) throw new Error('statistics expected');
    restored.setState(envStats);
    // same statistics and same env state from here: a fresh pair stepped alike agrees bit for bit
    norm.updating = false;
    restored.updating = false;
    const a = norm.wrapEval(makeEnv('CartPole-v1'));
    const b = restored.wrapEval(makeEnv('CartPole-v1'));
    expect(Array.from(b.reset({ seed: 1 })[0])).toEqual(Array.from(a.reset({ seed: 1 })[0]));
    for (let t = 0; t < 5; t++) expect(Array.from(b.step(t % 2)[0])).toEqual(Array.from(a.step(t % 2)[0]));
  });

  it('refuses malformed statistics in the manifest, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null }, warmed().getState());
    const edit = (obs: unknown) => (t: string): string => {
      const { manifest_sha256: _, ...m } = JSON.parse(t) as { manifest_sha256: string; env_stats: { obs: unknown } };
      m.env_stats.obs = obs;
      return JSON.stringify(m);
    };
    const obs = readManifest(dir).env_stats as { obs: { mean: number[]; var: number[]; count: number } };
    rewriteManifest(dir, edit({ ...obs.obs, var: [1, 2] }));
    expect(() => loadCheckpoint(dir)).toThrow(/env_stats\.obs mean and var must have the same non-zero length/);
    rewriteManifest(dir, edit({ mean: [0], var: [-1], count: 3 }));
    expect(() => loadCheckpoint(dir)).toThrow(/env_stats\.obs needs var >= 0/);
  });

  it('checkEnvStatsFit names the spec key a checkpoint lacks statistics for', () => {
    const stats = warmed().getState();
    expect(() => checkEnvStatsFit(stats, { obsSize: 4, return: true }, 'c')).not.toThrow();
    expect(() => checkEnvStatsFit(null, { obsSize: null, return: false }, 'c')).not.toThrow();
    expect(() => checkEnvStatsFit(null, { obsSize: 4, return: false }, 'c')).toThrow(/^c: the spec sets env\.normalize_obs: true but the checkpoint holds no observation statistics/);
    expect(() => checkEnvStatsFit({ ...stats, return: null }, { obsSize: 4, return: true }, 'c')).toThrow(/env\.normalize_reward: true .* no return statistics/);
    expect(() => checkEnvStatsFit(stats, { obsSize: 3, return: false }, 'c')).toThrow(/env_stats\.obs has 4 values, the env's observations 3/);
  });
});

describe('a checkpoint is never half-written, and names nothing outside its folder', () => {
  const next: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [3], data: new Float32Array([7, 8, 9]) } } };
  const previous = (): string => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'latest');
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    return dir;
  };
  const expectPreviousWhole = (dir: string): void => {
    expect(loadCheckpoint(dir).info.frame).toBe(1);
    expect(Array.from(loadCheckpoint(dir).state.tensors['actor/b0'].data)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  };

  it('a full disk while writing the weights: one line naming the file, the previous checkpoint loads, no partial file', () => {
    const dir = previous();
    const io = fullDiskIo(20); // the new weights (36 bytes) do not fit
    expect(() => saveCheckpoint(dir, next, { frame: 2, metric: 'return_ma', value: null }, null, { io })).toThrow(
      new RegExp(`^cannot write ${dir}/weights-[0-9a-f]{16}\\.bin: no space left on device \\(ENOSPC\\)$`),
    );
    expect(io.used()).toBe(20);
    expectPreviousWhole(dir);
  });

  it('a full disk while writing the manifest: the previous checkpoint loads, the new weights are removed', () => {
    const dir = previous();
    const io = fullDiskIo(36 + 50); // the weights fit, the manifest does not
    expect(() => saveCheckpoint(dir, next, { frame: 2, metric: 'return_ma', value: null }, null, { io })).toThrow(/latest\/manifest\.json: no space left on device \(ENOSPC\)$/);
    expectPreviousWhole(dir);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('the manifest cannot replace the previous one: the previous checkpoint loads, the new weights are removed', () => {
    const dir = previous();
    const io = { ...nodeWriteIo, renameSync: (from: string, to: string) => (to.endsWith(MANIFEST_FILE) ? (() => { throw enospc(); })() : nodeWriteIo.renameSync(from, to)) };
    expect(() => saveCheckpoint(dir, next, { frame: 2, metric: 'return_ma', value: null }, null, { io })).toThrow(WriteError);
    expectPreviousWhole(dir);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a weights name with a path, absolute or relative, is refused even with a valid checksum', () => {
    for (const name of ['../../../etc/passwd', '/etc/passwd', 'weights.bin', 'sub/weights-0123456789abcdef.bin']) {
      const dir = previous();
      rewriteManifest(dir, (t) => t.replace(/"weights":"[^"]+"/, `"weights":${JSON.stringify(name)}`));
      expect(() => loadCheckpoint(dir), name).toThrow(/manifest\.json: weights: '.*' is not the name of a weights file in the checkpoint folder/);
    }
  });

  it('a weights file that is a symbolic link (to a file outside) is refused', () => {
    const dir = previous();
    const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'w.bin');
    writeFileSync(outside, readFileSync(weightsPath(dir)));
    const w = weightsPath(dir);
    rmSyncForce(w);
    symlinkSync(outside, w);
    expect(() => loadCheckpoint(dir)).toThrow(/is a symbolic link; a checkpoint's weights must be a plain file in its folder/);
  });

  it('a checkpoint folder resolving outside the run folder is refused', () => {
    const run = mkdtempSync(join(tmpdir(), 'run-'));
    const elsewhere = previous();
    mkdirSync(join(run, 'checkpoints'));
    symlinkSync(elsewhere, join(run, 'checkpoints', 'best'));
    expect(() => loadCheckpoint(join(run, 'checkpoints', 'best'), { root: run })).toThrow(/resolves to .*, outside the run folder/);
    expect(loadCheckpoint(elsewhere, { root: join(elsewhere, '..') }).info.frame).toBe(1);
  });

  it('a manifest changed after it was written (checksum mismatch), or of version 1 without a checksum', () => {
    const dir = previous();
    rewriteManifest(dir, (t) => t.replace('"frame":1', '"frame":2'), false);
    expect(() => loadCheckpoint(dir)).toThrow(/manifest\.json: checksum mismatch \(manifest_sha256\)/);
    const dir2 = previous();
    rewriteManifest(dir2, (t) => t.replace('"version":2', '"version":1'));
    expect(() => loadCheckpoint(dir2)).toThrow(/unsupported version 1 .*no manifest checksum/);
    expect(existsSync(join(dir2, MANIFEST_FILE))).toBe(true);
  });
});

function rmSyncForce(path: string): void {
  nodeWriteIo.rmSync(path, { force: true });
}

describe('durable writes', () => {
  it('fsyncs each file before its rename and the folder after it; the manifest goes last, the old weights after it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'latest');
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    const calls: string[] = [];
    const paths = new Map<number, string>();
    const short = (p: string): string => p.slice(dir.length + 1).replace(/weights-[0-9a-f]{16}/, 'W').replace(/\.tmp-\d+-\d+$/, '.tmp') || '.';
    const io = {
      ...nodeWriteIo,
      openSync: (p: string, flags: string) => {
        const fd = nodeWriteIo.openSync(p, flags);
        paths.set(fd, short(p));
        return fd;
      },
      fsyncSync: (fd: number) => {
        calls.push(`fsync ${paths.get(fd)}`);
        nodeWriteIo.fsyncSync(fd);
      },
      renameSync: (from: string, to: string) => {
        calls.push(`rename ${short(from)} -> ${short(to)}`);
        nodeWriteIo.renameSync(from, to);
      },
      rmSync: (p: string, o: { force: boolean }) => {
        calls.push(`rm ${short(p)}`);
        nodeWriteIo.rmSync(p, o);
      },
    };
    const next: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [3], data: new Float32Array([4, 5, 6]) } } };
    saveCheckpoint(dir, next, { frame: 2, metric: 'return_ma', value: null }, null, { io });
    expect(calls).toEqual([
      'fsync W.bin.tmp',
      'rename W.bin.tmp -> W.bin',
      'fsync .',
      'fsync manifest.json.tmp',
      'rename manifest.json.tmp -> manifest.json',
      'fsync .',
      'rm W.bin', // the previous weights
    ]);
  });
});
