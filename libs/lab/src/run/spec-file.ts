import type { Spec } from '@gymlab/spec';

/**
 * The spec as a spec file: `{ <name>: <spec without its name> }`, so that
 * `gymlab run <run>/spec.json <name> train` runs it again.
 */
export function specFileContent(spec: Spec): Record<string, unknown> {
  const { name, ...body } = spec;
  return { [name]: body };
}
