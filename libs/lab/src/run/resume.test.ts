import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentOwner, currentStatus, runStatusLine, statusLine } from './provenance.js';
import { resumeRun } from './resume.js';
import { PreflightError } from './run.js';
import { testContext } from '../test-utils/context.js';

/** A folder with spec.json and a provenance.json holding `p`. */
function folder(p: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'resume-run-'));
  writeFileSync(join(dir, 'spec.json'), '{}');
  writeFileSync(join(dir, 'provenance.json'), JSON.stringify({ spec_name: 'x', mode: 'train', status: 'interrupted', command_line: [], seeds: { base: 1, drawn: false, sessions: [2] }, ...p }));
  return dir;
}

/** A pid that is not running: a child that has exited is reaped, so take one far above pid_max's default. */
const DEAD = { pid: 4_000_000, hostname: hostname(), started: 1 };

describe('the status of a run folder after a kill', () => {
  it('running whose owner is gone is interrupted; a live owner or another host stays running', () => {
    expect(currentStatus({ status: 'running', owner: DEAD })).toBe('interrupted');
    expect(currentStatus({ status: 'running', owner: currentOwner() })).toBe('running');
    expect(currentStatus({ status: 'running', owner: { ...currentOwner(), started: -5 } })).toBe('interrupted'); // the pid was reused
    expect(currentStatus({ status: 'running', owner: { ...DEAD, hostname: 'elsewhere' } })).toBe('running');
    expect(currentStatus({ status: 'completed', owner: DEAD })).toBe('completed');
    expect(statusLine('data/r', { status: 'running', owner: DEAD, mode: 'train' })).toBe('interrupted (resume with: gymlab run resume data/r)');
    expect(statusLine('data/r', { status: 'running', owner: DEAD, mode: 'search' })).toBe('interrupted (resume with: gymlab run resume data/r)');
    expect(statusLine('data/r', { status: 'running', owner: DEAD, mode: 'enjoy' })).toBe('interrupted');
    const dir = folder({ status: 'running', owner: DEAD });
    expect(runStatusLine(dir)).toBe(`interrupted (resume with: gymlab run resume ${dir})`);
    expect(runStatusLine(tmpdir())).toBeNull();
  });
});

describe('resumeRun refuses what it cannot continue, one line naming the folder', () => {
  const refusal = async (dir: string): Promise<string> => {
    const err = await resumeRun({ runDir: dir }, testContext({ dataDir: tmpdir() })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    return (err as Error).message;
  };

  it('a missing folder, a folder without run files, malformed provenance, a search, a run still going', async () => {
    const missing = join(tmpdir(), 'no-such-run-folder');
    expect(await refusal(missing)).toBe(`${missing}: is not a folder`);
    const empty = mkdtempSync(join(tmpdir(), 'resume-empty-'));
    expect(await refusal(empty)).toBe(`${empty}: is not a run folder (needs spec.json and provenance.json)`);
    const bad = folder({});
    writeFileSync(join(bad, 'provenance.json'), '{"status": ');
    expect(await refusal(bad)).toBe(`${bad}: provenance.json is not valid JSON`);
    const noSeeds = folder({ seeds: null });
    expect(await refusal(noSeeds)).toBe(`${noSeeds}: provenance.json: seeds.base and seeds.sessions must be integers`);
    const search = folder({ mode: 'search' });
    expect(await refusal(search)).toMatch(/a search folder; resume continues train and dev runs/);
    const live = folder({ status: 'running', owner: currentOwner() });
    expect(await refusal(live)).toBe(`${live}: still running (pid ${process.pid} on ${hostname()}); stop it first`);
  });
});
