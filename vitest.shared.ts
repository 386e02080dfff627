import { fileURLToPath } from 'node:url';

const libs = ['spec', 'random', 'envs', 'backends', 'agents', 'analysis', 'tensorboard', 'lab'] as const;

/** Tests run against each lib's TypeScript sources, not its build output. */
export const sourceAliases: Record<string, string> = Object.fromEntries(
  libs.map((lib) => [`@gymlab/${lib}`, fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url))]),
);
