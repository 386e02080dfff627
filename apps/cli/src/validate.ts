/**
 * `gymlab validate PATH... [-s key=value]`: one line per spec (runnable, not built yet, needs `-s`
 * variables, or wrong), then the count of runnable specs. Folders are searched recursively for
 * .json/.yaml/.yml files; `validate FILE SPEC_NAME` checks one spec. Exit 2 only when a spec is
 * wrong or a file unreadable. The verdicts are the lab's (`checkRunnable`, preflight less the
 * backend), from a module that loads no TensorFlow.js.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, type Io } from '@gymlab/cli-kit';
import { SpecError, specNamesIn } from '@gymlab/spec';

type CheckSpecModule = typeof import('@gymlab/lab/check-spec');

export interface ValidateArgs {
  readonly paths: readonly string[];
  readonly set: readonly string[];
}

/**
 * Spec files under `path` (itself when a file), sorted. In a folder, files whose name starts with
 * `_` are skipped: SLM Lab keeps data there that is not a spec (`_random_baseline.json`), as it
 * keeps anchor blocks under `_` keys inside a file. Named explicitly, such a file is read.
 */
export function specFilesAt(path: string): string[] {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? specFilesAt(join(path, e.name)) : /\.(json|ya?ml)$/i.test(e.name) && !e.name.startsWith('_') ? [join(path, e.name)] : []));
}

/** `validate FILE SPEC_NAME` (SPEC_NAME is not a path) or `validate PATH...`. */
function targets(paths: readonly string[]): { file: string; names: readonly string[] | null }[] {
  const [first, second] = paths;
  if (paths.length === 2 && first !== undefined && second !== undefined && !existsSync(second) && statSync(first, { throwIfNoEntry: false })?.isFile()) {
    return [{ file: first, names: [second] }];
  }
  return paths.flatMap((p) => specFilesAt(p).map((file) => ({ file, names: null })));
}

export async function validateCommand(args: ValidateArgs, io: Io, load: () => Promise<CheckSpecModule>): Promise<number> {
  const { checkRunnable } = await load();
  const counts = { runnable: 0, notBuilt: 0, needs: 0, wrong: 0 };
  const warnings = new Set<string>();
  const list = targets(args.paths);
  for (const { file, names: given } of list) {
    let names: readonly string[];
    try {
      names = given ?? specNamesIn(file);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      counts.wrong++;
      io.stdout.write(`wrong      ${file}\n`);
      io.stderr.write(`gymlab: ${err.message}\n`);
      continue;
    }
    for (const name of names) {
      const r = await checkRunnable(file, name, args.set);
      if (r.kind === 'runnable') {
        counts.runnable++;
        r.warnings.forEach((w) => warnings.add(w));
        io.stdout.write(`runnable   ${file} ${name}\n`);
      } else if (r.kind === 'not-built') {
        counts.notBuilt++;
        io.stdout.write(`not built  ${file} ${name}: ${r.what}\n`);
      } else if (r.kind === 'needs-variables') {
        counts.needs++;
        io.stdout.write(`needs -s   ${file} ${name}: ${r.variables.map((v) => `-s ${v}=VALUE`).join(' ')}\n`);
      } else {
        counts.wrong++;
        io.stdout.write(`wrong      ${file} ${name}\n`);
        io.stderr.write(`gymlab: ${r.message}\n`);
      }
    }
  }
  for (const w of warnings) io.stderr.write(`gymlab: ${w}\n`);
  const total = counts.runnable + counts.notBuilt + counts.needs + counts.wrong;
  if (list.length > 1 || list[0]?.names === null) {
    io.stdout.write(`${counts.runnable} of ${total} specs runnable (${counts.notBuilt} need what is not built yet, ${counts.needs} need -s variables, ${counts.wrong} wrong)\n`);
  }
  return counts.wrong > 0 ? EXIT.usage : EXIT.ok;
}
