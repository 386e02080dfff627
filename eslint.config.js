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
// Libs a lib's tests and test-utils may import besides its own (devDependencies: never at run time).
const testAllowed = {
  analysis: ['cli-kit'],
  lab: ['cli-kit'],
};
// Each app may import only the libs listed for it (ARCHITECTURE.md, plus the CLI kit both share); apps never import apps.
const appAllowed = {
  cli: ['lab', 'analysis', 'spec', 'cli-kit'],
  tune: ['lab', 'spec', 'cli-kit'],
};
const apps = ['gymlab', 'gymlab/*', 'gymlab-tune', 'gymlab-tune/*'];

/** `files` (`who`, part of lib `own` or of no lib) may import no other lib outside `deps`, no app, and nothing by a relative path into another package. */
const boundary = ({ who, files, own, deps, why }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: libs.filter((l) => l !== own && !deps.includes(l)).map((l) => `@gymlab/${l}`).concat(apps),
            message: `${who} may import only: ${deps.map((d) => '@gymlab/' + d).join(', ') || 'no other lib'} (${why}).`,
          },
          { group: ['../../*/src/*', '../../../libs/*', '../../../apps/*'], message: 'Import libs by package name.' },
        ],
      },
    ],
  },
});

const boundaries = [
  ...Object.entries(allowed).map(([lib, deps]) => boundary({ who: `libs/${lib}`, files: [`libs/${lib}/**/*.ts`], own: lib, deps, why: 'ARCHITECTURE.md' })),
  ...Object.entries(testAllowed).map(([lib, extra]) =>
    boundary({ who: `libs/${lib}'s tests`, files: [`libs/${lib}/**/*.test.ts`, `libs/${lib}/**/test-utils/**/*.ts`], own: lib, deps: [...allowed[lib], ...extra], why: 'ARCHITECTURE.md; as devDependencies' }),
  ),
  ...Object.entries(appAllowed).map(([app, deps]) => boundary({ who: `apps/${app}`, files: [`apps/${app}/**/*.ts`], own: null, deps, why: 'ARCHITECTURE.md; apps never import apps' })),
];

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
);
