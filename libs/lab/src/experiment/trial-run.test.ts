import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRIAL_COLUMNS } from '../trial-table.js';
import { parseCsv } from '@gymlab/analysis';
import { CheckpointMeans, runExperimentTrial, trialSessionSeeds, writeRemoteTrial } from './trial-run.js';
import type { TrialCheckpoint } from './trial-run.js';
import { sessionSeeds } from '../trial/trial.js';
import { fakeDeps, fakeSpec } from '../test-utils/fakes.js';
import { testContext } from '../test-utils/context.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'lab-exptrial-'));

describe('CheckpointMeans', () => {
  it("emits the mean of the sessions' return_ma once every session has logged the frame", () => {
    const out: TrialCheckpoint[] = [];
    const m = new CheckpointMeans(4, 3, (c) => out.push(c));
    m.add({ session: 0, frame: 100, returnMa: 10 });
    m.add({ session: 1, frame: 100, returnMa: null });
    m.add({ session: 0, frame: 200, returnMa: 30 }); // session 0 ahead of the others
    expect(out).toEqual([]);
    m.add({ session: 2, frame: 100, returnMa: 20 });
    expect(out).toEqual([{ trial: 4, frame: 100, value: 15 }]); // null is left out of the mean
    m.add({ session: 1, frame: 200, returnMa: null });
    m.add({ session: 2, frame: 200, returnMa: null });
    expect(out[1]).toEqual({ trial: 4, frame: 200, value: 30 });
    m.add({ session: 0, frame: 250, returnMa: 1 }); // a stopped session's partial row: never complete
    expect(out.length).toBe(2);
  });
});

describe('runExperimentTrial (in process, fake agent)', () => {
  const spec = fakeSpec({ env: { max_frame: 1000 }, meta: { log_frequency: 200, max_session: 2, random_seed: 9 } });

  it("seeds its sessions from the trial spec's seed and reports the trial mean at each checkpoint", async () => {
    expect(trialSessionSeeds(spec)).toEqual(sessionSeeds(9, 2));
    const runDir = tempDir();
    const checkpoints: TrialCheckpoint[] = [];
    const o = await runExperimentTrial({ spec, trial: 3, onCheckpoint: (c) => checkpoints.push(c) }, testContext({ runDir, inProcess: true, deps: fakeDeps().deps }));
    expect(o.result.status).toBe('completed');
    expect(o.result.sessions.map((s) => s.seed)).toEqual(sessionSeeds(9, 2));
    expect(o.framesUsed).toBe(2000);
    expect(o.frame).toBe(1000);
    // the checkpoints are the trial table's return_ma means, frame by frame
    const table = parseCsv(readFileSync(join(runDir, 'trial_3', 'trial_metrics.csv'), 'utf8'), TRIAL_COLUMNS).rows;
    expect(checkpoints.map((c) => [c.frame, c.value])).toEqual(table.map((r) => [r.frame, r.return_ma_mean]));
    expect(o.lastValue).toBe(table[table.length - 1].return_ma_mean);
  });

  it('stops at the next yield when its signal aborts', async () => {
    const controller = new AbortController();
    const o = await runExperimentTrial(
      {
        spec: fakeSpec({ env: { max_frame: 100_000 }, meta: { log_frequency: 200, max_session: 1, random_seed: 9 } }),
        trial: 0,
        onCheckpoint: (c) => {
          if (c.frame >= 400) controller.abort();
        },
      },
      testContext({ runDir: null, inProcess: true, deps: fakeDeps().deps, signal: controller.signal }),
    );
    expect(o.result.status).toBe('interrupted');
    expect(o.frame).toBe(400);
    expect(o.framesUsed).toBeLessThan(1000);
  });
});

describe('writeRemoteTrial', () => {
  it('writes the same trial folder files from rows as a local run does', async () => {
    const spec = fakeSpec({ env: { max_frame: 800 }, meta: { log_frequency: 200, max_session: 2, random_seed: 5 } });
    const local = tempDir();
    const o = await runExperimentTrial({ spec, trial: 1 }, testContext({ runDir: local, inProcess: true, deps: fakeDeps().deps }));
    const remote = tempDir();
    const inMemory = await runExperimentTrial({ spec, trial: 1 }, testContext({ runDir: null, inProcess: true, deps: fakeDeps().deps }));
    const a = writeRemoteTrial(remote, 1, spec, inMemory.result.sessions.map((s) => ({ session: s.session, rows: s.rows, evalRows: s.evalRows })));
    for (const f of ['trial_1/session_0/metrics.csv', 'trial_1/session_1/metrics.csv', 'trial_1/trial_metrics.csv']) {
      expect(readFileSync(join(remote, f), 'utf8').replace(/\n[^]*$/, '')).toBe(readFileSync(join(local, f), 'utf8').replace(/\n[^]*$/, '')); // same header
    }
    // rows equal apart from the time columns
    const strip = (csv: string): string[] => csv.trim().split('\n').map((l) => l.split(',').filter((_, i) => i !== 1 && i !== 10).join(','));
    expect(strip(readFileSync(join(remote, 'trial_1/session_1/metrics.csv'), 'utf8'))).toEqual(strip(readFileSync(join(local, 'trial_1/session_1/metrics.csv'), 'utf8')));
    const { frames_to_target: _f, seconds_to_target: _s, sessions_to_target: _t, ...m } = a.metrics!;
    const { frames_to_target: _f2, seconds_to_target: _s2, sessions_to_target: _t2, ...lm } = o.result.metrics!;
    expect(m).toEqual(lm);
  });
});
