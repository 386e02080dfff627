/**
 * The recorded git diff (git.diff, which `gymlab reproduce` applies): changes to tracked files
 * and the whole contents of untracked source files, but not run output (the data folder, any run
 * folder) or installed packages (node_modules), ignored by .gitignore or not.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitInfo, npmVersion } from './provenance.js';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('gitInfo: the diff a rerun applies', () => {
  it('holds tracked changes and new source files; leaves out the data folder, other run folders and node_modules', () => {
    const repo = mkdtempSync(join(tmpdir(), 'provenance-git-'));
    git(repo, 'init', '-q');
    write(join(repo, 'src', 'a.ts'), 'export const a = 1;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'a');
    const sha = git(repo, 'rev-parse', 'HEAD').trim();
    expect(gitInfo(repo, { dataDir: join(repo, 'runs') })).toEqual({ sha, dirty: false, diff: null });

    write(join(repo, 'src', 'a.ts'), 'export const a = 2;\n');
    write(join(repo, 'src', 'b.ts'), 'export const b = "new source";\n');
    write(join(repo, 'runs', 'ppo_2026', 'trial_0', 'session_0', 'metrics.csv'), 'frame\n1\n');
    write(join(repo, 'elsewhere', 'ppo_2025', 'spec.json'), '{}');
    write(join(repo, 'elsewhere', 'ppo_2025', 'provenance.json'), '{}');
    write(join(repo, 'elsewhere', 'ppo_2025', 'trial_0', 'trial_metrics.csv'), 'x\n');
    write(join(repo, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
    write(join(repo, 'tools', 'node_modules', 'dep', 'index.js'), 'module.exports = 2;\n');
    const info = gitInfo(repo, { dataDir: join(repo, 'runs') });
    expect(info.dirty).toBe(true);
    const files = [...(info.diff ?? '').matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]).sort();
    expect(files).toEqual(['src/a.ts', 'src/b.ts']);
    expect(info.diff).toContain('+export const b = "new source";');

    // only run output and packages: nothing to record
    git(repo, 'checkout', '-q', '--', 'src/a.ts');
    execFileSync('rm', [join(repo, 'src', 'b.ts')]);
    expect(gitInfo(repo, { dataDir: join(repo, 'runs') })).toEqual({ sha, dirty: false, diff: null });
  });
});

describe('npmVersion', () => {
  it('is the version `npm --version` prints (read from the npm beside Node, without a spawn)', () => {
    const printed = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], { encoding: 'utf8' }).trim();
    expect(npmVersion()).toBe(printed);
  });
});
