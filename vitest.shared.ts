import { fileURLToPath } from 'node:url';

const libs = ['spec', 'random', 'envs', 'backends', 'agents', 'analysis', 'tensorboard', 'lab', 'cli-kit'] as const;
const src = (path: string): string => fileURLToPath(new URL(`./libs/${path}`, import.meta.url));

/** Tests run against each lib's TypeScript sources, not its build output (subpath entries first: the first match wins). */
export const sourceAliases: Record<string, string> = Object.fromEntries([
  ['@gymlab/cli-kit/testing', src('cli-kit/src/testing.ts')] as const,
  ['@gymlab/cli-kit/browser-testing', src('cli-kit/src/browser-testing.ts')] as const,
  ['@gymlab/lab/check-spec', src('lab/src/run/check-spec.ts')] as const,
  ['@gymlab/lab/reproduce', src('lab/src/run/reproduce.ts')] as const,
  ...libs.map((lib) => [`@gymlab/${lib}`, src(`${lib}/src/index.ts`)] as const),
]);
