// Lint rules, and the dependency direction of ../shared/design/ARCHITECTURE.md as module boundaries:
// each lib may import only the libs listed for it; no lib imports an app.
import tseslint from 'typescript-eslint';

const allowed = {
  spec: [],
  random: [],
  tensorboard: [],
  backends: [],
  envs: ['spec', 'random'],
  agents: ['spec', 'random', 'envs', 'backends'],
  analysis: ['spec', 'random'],
  lab: ['spec', 'random', 'envs', 'agents', 'backends', 'analysis', 'tensorboard'],
  // what both command-line apps share (yargs setup, exit codes, Ctrl-C, bin test helpers); apps cannot import each other
  'cli-kit': [],
};
const libs = Object.keys(allowed);

const boundaries = Object.entries(allowed).map(([lib, deps]) => ({
  files: [`libs/${lib}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: libs.filter((l) => l !== lib && !deps.includes(l)).map((l) => `@gymlab/${l}`).concat(['gymlab', 'gymlab/*']),
            message: `libs/${lib} may import only: ${deps.map((d) => '@gymlab/' + d).join(', ') || 'no other lib'} (ARCHITECTURE.md).`,
          },
          { group: ['../../*/src/*', '../../../libs/*', '../../../apps/*'], message: 'Import other libs by package name.' },
        ],
      },
    ],
  },
}));

// Each app may import only the libs listed for it (ARCHITECTURE.md, plus the CLI kit both share); apps never import apps.
const appAllowed = {
  cli: ['lab', 'analysis', 'spec', 'cli-kit'],
  tune: ['lab', 'spec', 'cli-kit'],
};
const appBoundaries = Object.entries(appAllowed).map(([app, deps]) => ({
  files: [`apps/${app}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: libs.filter((l) => !deps.includes(l)).map((l) => `@gymlab/${l}`).concat(['gymlab', 'gymlab/*', 'gymlab-tune', 'gymlab-tune/*']),
            message: `apps/${app} may import only: ${deps.map((d) => '@gymlab/' + d).join(', ')} (ARCHITECTURE.md); apps never import apps.`,
          },
          { group: ['../../*/src/*', '../../../libs/*', '../../../apps/*'], message: 'Import libs by package name.' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  // libs/backends/assembly is AssemblyScript (compiled to wasm by asc, not by tsc)
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'libs/backends/assembly/**', '**/*.js', '!eslint.config.js', 'tools/**/*.py'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  ...appBoundaries,
);
