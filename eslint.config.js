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

// apps/tune may import only lab, analysis and spec; apps never import apps.
const appBoundaries = [
  {
    files: ['apps/tune/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: libs.filter((l) => !['lab', 'analysis', 'spec'].includes(l)).map((l) => `@gymlab/${l}`).concat(['gymlab', 'gymlab/*']),
              message: 'apps/tune may import only: @gymlab/lab, @gymlab/analysis, @gymlab/spec (ARCHITECTURE.md); apps never import apps.',
            },
            { group: ['../../*/src/*', '../../../libs/*', '../../../apps/*'], message: 'Import libs by package name.' },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '**/*.js', '!eslint.config.js', 'tools/**/*.py'] },
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
