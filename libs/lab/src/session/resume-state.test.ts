import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentState } from '@gymlab/agents';
import { CheckpointError, saveCheckpoint } from '../run/checkpoint.js';
import { RESUME_VERSION, parseResumeState, readResumeCheckpoint, writeResumeCheckpoint, type SessionResumeState } from './resume-state.js';

const state = (w: number): AgentState => ({ algorithm: 'PPO', tensors: { w: { shape: [2], data: Float32Array.of(w, w) } }, meta: { k: w } });

const record = (frame: number): SessionResumeState => ({
  version: RESUME_VERSION,
  clock: { frame, episodes: 3, optSteps: 4, wallTime: 1.5 },
  returns: { ring: [1, 2], count: 2, next: 0, sinceSum: 3, sinceCount: 2, last: 2 },
  rows: [],
  evalRows: [],
  evalHistory: [],
  lastLoss: null,
  lastRowFrame: 0,
  lastRowTime: 0,
  nextLog: 100,
  nextEval: 100,
  nextCheckpoint: frame + 100,
  best: null,
  obs: [0.5, 0.25],
  env: { envs: [] },
  evalEnv: null,
  tensorboard: { file: 'events.out.tfevents.1.host.2', bytes: 40, lastStats: null, actions: [0, 0, 0] },
  done: false,
});

describe('resume checkpoints', () => {
  it('latest is replaced whole; a kill in the middle of the swap leaves latest.previous, which is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resume-state-'));
    writeResumeCheckpoint(dir, state(1), { frame: 100, metric: 'return_ma', value: null }, null, record(100));
    writeResumeCheckpoint(dir, state(2), { frame: 200, metric: 'return_ma', value: null }, null, record(200));
    const latest = join(dir, 'checkpoints', 'latest');
    expect(existsSync(`${latest}.previous`)).toBe(false);
    expect(existsSync(`${latest}.partial`)).toBe(false);
    const read = readResumeCheckpoint(dir);
    expect(read?.session).toEqual(record(200));
    expect(Array.from(read?.state.tensors.w.data ?? [])).toEqual([2, 2]);
    // killed after latest -> latest.previous, before latest.partial -> latest
    renameSync(latest, `${latest}.previous`);
    expect(readResumeCheckpoint(dir)?.info.frame).toBe(200);
    expect(readResumeCheckpoint(mkdtempSync(join(tmpdir(), 'resume-none-')))).toBeNull();
  });

  it('a checkpoint that does not load, or holds no resume record, is refused with one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resume-bad-'));
    const latest = join(dir, 'checkpoints', 'latest');
    saveCheckpoint(latest, state(1), { frame: 100, metric: 'return_ma', value: null });
    expect(() => readResumeCheckpoint(dir)).toThrow(new CheckpointError(`${latest}: holds no resume record (saved by a run that cannot be resumed)`));
    saveCheckpoint(latest, state(1), { frame: 100, metric: 'return_ma', value: null }, null, { resume: { unsupported: 'the state of InvertedPendulum-v5 cannot be saved exactly yet' } });
    expect(() => readResumeCheckpoint(dir)).toThrow(new CheckpointError(`${latest}: this run cannot be resumed: the state of InvertedPendulum-v5 cannot be saved exactly yet`));
    writeFileSync(join(latest, 'weights.bin'), 'xx');
    expect(() => readResumeCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => parseResumeState({ ...record(1), version: 9 }, 'ck')).toThrow('ck: resume.version 9 (this build reads 1)');
    expect(() => parseResumeState({ ...record(1), obs: 'x' }, 'ck')).toThrow('ck: resume.obs is missing or malformed');
    expect(() => parseResumeState({ ...record(1), tensorboard: { ...record(1).tensorboard, file: '../../x' } }, 'ck')).toThrow(/must be an event file name/);
  });
});
