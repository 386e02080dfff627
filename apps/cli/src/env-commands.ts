/** `gymlab env list` and `gymlab env check FIXTURE...`: print what `@gymlab/envs` finds. */
import { EXIT, UsageError, firstLine } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';

export type EnvArgs = { readonly kind: 'list'; readonly python?: string } | { readonly kind: 'check'; readonly fixtures: readonly string[] };

/** list: every id with its spaces (exit 0). check: one line per fixture; exit 1 when one is outside its env's tolerance. */
export async function envCommand(a: EnvArgs, io: Io): Promise<number> {
  const envs = await import('@gymlab/envs');
  if (a.kind === 'list') {
    io.stdout.write(envs.formatEnvList(await envs.listEnvs({ python: a.python })));
    return EXIT.ok;
  }
  if (a.fixtures.length === 0) throw new UsageError('env check needs one or more fixture files');
  let outside = 0;
  for (const file of a.fixtures) {
    let check;
    try {
      check = await envs.checkFixture(file);
    } catch (err) {
      if (err instanceof envs.FixtureError || err instanceof envs.UnknownEnvError) throw new UsageError(err instanceof envs.FixtureError ? err.message : `${file}: ${firstLine(err)}`);
      throw err;
    }
    io.stdout.write(`${envs.formatFixtureCheck(check)}\n`);
    if (check.failure !== null) outside++;
  }
  return outside > 0 ? 1 : EXIT.ok;
}
