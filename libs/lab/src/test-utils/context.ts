/** A run context for tests: `createRunContext` with the given options and, optionally, a run folder. */
import { createRunContext, withRun } from '../run/context.js';
import type { RunContext, RunContextOptions } from '../run/context.js';

export function testContext(o: RunContextOptions & { readonly runDir?: string | null } = {}): RunContext {
  const { runDir = null, ...rest } = o;
  return withRun(createRunContext(rest), { runDir });
}
