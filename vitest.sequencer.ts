/**
 * The order test files start in. Vitest runs `maxWorkers` files at a time; when a long file starts
 * last the run ends with one worker busy and the others idle. On a clean clone vitest has no
 * durations cache, and its own order runs the projects by name (so apps/tune's minutes-long files
 * came last). The files listed here start first, longest first; the rest follow in vitest's order.
 *
 * The list holds the files that take ~15 s or more of a CI run (tmp/vitest-report.json:
 * endTime - startTime, plus a beforeAll the report does not count, as shared-specs' dev runs). A
 * file missing from the list still runs, only later; keep the list short and roughly in order.
 */
import { relative } from 'node:path';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

export const LONG_FIRST: readonly string[] = [
  'apps/cli/src/shared-specs.test.ts',
  'apps/tune/src/redis.test.ts',
  'apps/tune/src/search-command.test.ts',
  'apps/cli/src/cli.test.ts',
  'apps/cli/src/reproduce.test.ts',
  'apps/cli/src/hostile-input.test.ts',
  'apps/cli/src/env-bridge.test.ts',
  'libs/agents/src/algorithms/dqn-learn.test.ts',
  'libs/envs/src/gymnasium/bridge.test.ts',
  'apps/cli/src/analyze.test.ts',
  'apps/cli/src/resume-envs.test.ts',
  'libs/lab/src/run/run.test.ts',
  'apps/cli/src/record.browser.test.ts',
  'apps/cli/src/search-mode.test.ts',
  'libs/agents/src/algorithms/dqn.test.ts',
  'libs/agents/src/algorithms/sil.test.ts',
  'libs/agents/src/algorithms/sac.learning.test.ts',
  'libs/agents/src/algorithms/sil.learning.test.ts',
];

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.indexOf(relative(root, f.moduleId));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return base.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}
