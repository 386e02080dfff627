import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './fs-utils.js';
import { DataDirError, createRunFolder, sessionDir, timestamp } from './run-folder.js';

describe('run folder', () => {
  it('names folders <spec>_<YYYY_MM_DD_HHMMSS>', () => {
    expect(timestamp(new Date(2024, 0, 5, 7, 8, 9))).toBe('2024_01_05_070809');
  });
  it('never reuses a folder: a collision gets a suffix', () => {
    const base = mkdtempSync(join(tmpdir(), 'runs-'));
    const date = new Date(2024, 0, 5, 7, 8, 9);
    const a = createRunFolder(base, 'ppo_cartpole', date);
    const b = createRunFolder(base, 'ppo_cartpole', date);
    const c = createRunFolder(base, 'ppo_cartpole', date);
    expect(a).toBe(join(base, 'ppo_cartpole_2024_01_05_070809'));
    expect(b).toBe(`${a}_1`);
    expect(c).toBe(`${a}_2`);
  });
  it('lays out sessions as trial_<t>/session_<s>', () => {
    expect(sessionDir('/r', 0, 3)).toBe(join('/r', 'trial_0', 'session_3'));
  });
  it('writes files whole, leaving no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const p = join(dir, 'sub', 'a.txt');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, 'two');
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
    expect(existsSync(`${p}.tmp`)).toBe(false);
  });
});

describe('createRunFolder refuses names and data folders that could not hold a run', () => {
  it('a spec name with a path in it never becomes a folder', () => {
    const base = mkdtempSync(join(tmpdir(), 'gymlab-rf-'));
    const data = join(base, 'data');
    expect(() => createRunFolder(data, '../escape')).toThrow(/not a plain name/);
    expect(readdirSync(base)).toEqual([]);
  });
  it('a data folder that is a file, or under /proc', () => {
    const base = mkdtempSync(join(tmpdir(), 'gymlab-rf-'));
    const file = join(base, 'f');
    writeFileSync(file, '');
    expect(() => createRunFolder(file, 'x')).toThrow(DataDirError);
    expect(() => createRunFolder(join(file, 'sub'), 'x')).toThrow(/is not a directory/);
    expect(() => createRunFolder('/proc/gymlab-test', 'x')).toThrow(/cannot be created there/);
  });
  it('makes missing levels one at a time', () => {
    const base = mkdtempSync(join(tmpdir(), 'gymlab-rf-'));
    const dir = createRunFolder(join(base, 'a', 'b'), 'x', new Date(2026, 0, 2, 3, 4, 5));
    expect(dir).toBe(join(base, 'a', 'b', 'x_2026_01_02_030405'));
  });
});
