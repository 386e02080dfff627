import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './vitest.sequencer.js';

export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    // builds the workspace once first: the session worker and the bins the tests start are then current
    globalSetup: ['./vitest.build.ts'],
    reporters: ['default', ['json', { outputFile: 'tmp/vitest-report.json' }]],
    // one test file per core (vitest's default leaves one core free: on 2 cores the files ran one at a
    // time while most of them wait on a child process)
    maxWorkers: availableParallelism(),
    // the long files first, so the run does not end on one of them alone (see vitest.sequencer.ts)
    sequence: { sequencer: LongFirstSequencer },
  },
});
