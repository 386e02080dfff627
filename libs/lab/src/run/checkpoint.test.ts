import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentState } from '@gymlab/agents';
import { NormalizedVectorEnv, makeEnv, makeVectorEnv } from '@gymlab/envs';
import { CheckpointError, MANIFEST_FILE, WEIGHTS_FILE, checkEnvStatsFit, checkStateFits, loadCheckpoint, saveCheckpoint } from './checkpoint.js';

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
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.format).toBe('gymlab-checkpoint');
    expect(readFileSync(join(dir, WEIGHTS_FILE)).byteLength).toBe(9 * 4);
  });

  it('rejects a tensor whose data does not fit its shape', () => {
    const bad: AgentState = { ...state, tensors: { w: { shape: [2, 2], data: new Float32Array(3) } } };
    expect(() => saveCheckpoint(mkdtempSync(join(tmpdir(), 'ckpt-')), bad, { frame: 0, metric: 'return_ma', value: null })).toThrow(CheckpointError);
  });

  it('rejects corrupted weights and tampered shapes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir, state, { frame: 1, metric: 'return_ma', value: null });
    const bytes = readFileSync(join(dir, WEIGHTS_FILE));
    bytes[0] ^= 0xff;
    writeFileSync(join(dir, WEIGHTS_FILE), bytes);
    expect(() => loadCheckpoint(dir)).toThrow(/sha256/);

    const dir2 = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveCheckpoint(dir2, state, { frame: 1, metric: 'return_ma', value: null });
    const m = JSON.parse(readFileSync(join(dir2, MANIFEST_FILE), 'utf8'));
    m.tensors[0].shape = [4];
    writeFileSync(join(dir2, MANIFEST_FILE), JSON.stringify(m));
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
  const editManifest = (dir: string, edit: (text: string) => string): void => {
    writeFileSync(join(dir, MANIFEST_FILE), edit(readFileSync(join(dir, MANIFEST_FILE), 'utf8')));
  };

  it('NaN weights with a valid checksum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const nan: AgentState = { ...state, tensors: { ...state.tensors, 'actor/b0': { shape: [3], data: new Float32Array([0.1, Number.NaN, Infinity]) } } };
    saveCheckpoint(dir, nan, { frame: 1, metric: 'return_ma', value: null });
    expect(() => loadCheckpoint(dir)).toThrow(/tensor 'actor\/b0' holds 2 non-finite value\(s\)/);
  });
  it('a __proto__ key anywhere in the manifest', () => {
    const dir = saved();
    editManifest(dir, (t) => t.replace('"meta": {', '"meta": {"__proto__": {"polluted": true},'));
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
    editManifest(dir, (t) => t.slice(0, t.length / 2));
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
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    m.env_stats.obs.var = [1, 2];
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
    expect(() => loadCheckpoint(dir)).toThrow(/env_stats\.obs mean and var must have the same non-zero length/);
    m.env_stats.obs = { mean: [0], var: [-1], count: 3 };
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
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
