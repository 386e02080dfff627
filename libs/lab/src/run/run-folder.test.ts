import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './fs-utils.js';
import { createRunFolder, sessionDir, timestamp } from './run-folder.js';

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
