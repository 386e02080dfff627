import { describe, expect, it } from 'vitest';
import { ProgressReporter, formatDuration } from './progress.js';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('-');
  });
  it("sums frames and the sessions' frames/s, averages return_ma, and estimates time left", () => {
    let now = 0;
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const r = new ProgressReporter({ sessions: 2, maxFrame: 1000, stream, plainEveryMs: 0, now: () => now });
    now = 10_000;
    const p = { trial: 0, maxFrame: 1000, wallTime: 10, fps: 100, evalReturn: null };
    r.update({ ...p, session: 0, frame: 300, returnMa: 20 });
    r.update({ ...p, session: 1, frame: 200, returnMa: 40 });
    expect(out[1]).toBe('frames 500/2,000 (25%)  200 f/s  return_ma 30.0  left 8s\n');
    // before every session has a frames/s, the average since the start (500 frames / 10 s)
    const r2 = new ProgressReporter({ sessions: 2, maxFrame: 1000, stream, plainEveryMs: 0, now: () => now });
    now = 20_000;
    r2.update({ ...p, session: 0, frame: 500, returnMa: null, fps: null });
    expect(out[2]).toBe('frames 500/2,000 (25%)  50 f/s  return_ma -  left 30s\n');
  });
});
