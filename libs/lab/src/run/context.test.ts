import { describe, expect, it } from 'vitest';
import type { SessionProgress } from '../session/session.js';
import { createRunContext, withRun } from './context.js';

const progress = (frame: number): SessionProgress => ({ trial: 0, session: 0, frame, maxFrame: 10, wallTime: 0, fps: null, returnMa: null, evalReturn: null });

describe('createRunContext', () => {
  it('fills the defaults of a plain run: data folder, no run folder yet, TensorBoard on, worker processes', () => {
    const ctx = createRunContext({ commandLine: ['gymlab', 'run'] });
    expect(ctx.dataDir).toBe('data');
    expect(ctx.runDir).toBeNull();
    expect(ctx.tensorboard).toBe(true);
    expect(ctx.sessions.inProcess).toBe(false);
    expect(ctx.sessions.workerPath).toMatch(/dist\/session\/session-worker\.js$/);
    expect(ctx.commandLine).toEqual(['gymlab', 'run']);
    expect(ctx.signal.aborted).toBe(false);
  });
});

describe('withRun', () => {
  it("a child stops with its own signal or its parent's, never the other way round", () => {
    const parent = new AbortController();
    const ctx = createRunContext({ signal: parent.signal });
    const own = new AbortController();
    const child = withRun(ctx, { signal: own.signal });
    own.abort();
    expect(child.signal.aborted).toBe(true);
    expect(ctx.signal.aborted).toBe(false);
    const other = withRun(ctx, { signal: new AbortController().signal });
    parent.abort();
    expect(other.signal.aborted).toBe(true);
  });

  it("sets the run folder, and a progress sink of its own runs before the parent's", () => {
    const seen: string[] = [];
    const ctx = createRunContext({ onProgress: (p) => seen.push(`parent ${p.frame}`) });
    const child = withRun(ctx, { runDir: '/tmp/run', onProgress: (p) => seen.push(`child ${p.frame}`) });
    child.onProgress(progress(5));
    expect(seen).toEqual(['child 5', 'parent 5']);
    expect(child.runDir).toBe('/tmp/run');
    expect(withRun(child, {}).runDir).toBe('/tmp/run');
    expect(withRun(child, { runDir: null }).runDir).toBeNull();
  });
});
