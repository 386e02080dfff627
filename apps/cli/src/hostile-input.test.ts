/**
 * Hostile input (issue 13's list): a spec name that would write outside the data folder, data
 * shaped to crash the loader, and data folders that cannot hold a run. Each is refused with one
 * `gymlab:` line and exit 2, and nothing is created anywhere.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ensureBuilt, loadCliHere, runCli, runCliHere, tempDir } from './test-utils/cli.js';
import type { CliResult } from './test-utils/cli.js';

beforeAll(async () => {
  ensureBuilt();
  await loadCliHere();
}, 300_000);

const demoSpec = (): unknown => (JSON.parse(readFileSync(DEMO, 'utf8')) as Record<string, unknown>)['ppo_cartpole'];

/** A spec file holding `top` (raw JSON text when a string) in a fresh folder. */
function specFile(top: Record<string, unknown> | string): string {
  const file = join(tempDir('hostile'), 'spec.json');
  writeFileSync(file, typeof top === 'string' ? top : JSON.stringify(top));
  return file;
}

/**
 * Runs `gymlab run ...args dev` and checks the refusal. In this process (the command's main) unless
 * `bin`: the bin for the data folders, where a regression would hang (a recursive mkdir under /proc
 * never returns) and only a child process can be timed out, and for one spec-name case.
 */
async function expectRefused(args: readonly string[], message: RegExp, dataDir: string, watch: readonly string[] = [], bin = false): Promise<void> {
  const before = watch.map((d) => readdirSync(d).sort());
  const argv = ['run', ...args, 'dev', '-s', 'env.max_frame=500', '--data-dir', dataDir];
  const r: CliResult = bin ? runCli(argv) : await runCliHere(argv);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines.length, r.stderr).toBe(1);
  expect(lines[0]).toMatch(/^gymlab: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  watch.forEach((d, i) => expect(readdirSync(d).sort(), `${d} changed`).toEqual(before[i]));
}

describe('a spec name is a plain name before it becomes a folder name', () => {
  it('refuses ../ in a spec name and creates nothing outside (or inside) the data folder', async () => {
    const root = tempDir('escape');
    const data = join(root, 'a', 'b', 'data');
    mkdirSync(data, { recursive: true });
    const file = join(root, 'a', 'b', 'spec.json');
    writeFileSync(file, JSON.stringify({ '../../escape': demoSpec() }));
    await expectRefused([file, '../../escape'], /spec name "\.\.\/\.\.\/escape" is not a plain name/, data, [root, join(root, 'a'), join(root, 'a', 'b'), data], true);
  });

  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`a name inherited from Object (${name}) is not in the file`, async () => {
      const data = tempDir('data');
      await expectRefused([specFile({ x: demoSpec() }), name], new RegExp(`no spec named '${name}' in this file; names: x`), data, [data]);
    });
  }
});

describe('data shaped to crash or stall the loader', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['JSON nested 10,000 deep', () => [specFile(`{"x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`), 'x'], /x\[0\]\[0\]: nested more than 64 levels deep/],
    ['YAML nested 10,000 deep', () => {
      const file = join(tempDir('hostile'), 'deep.yaml');
      writeFileSync(file, `x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
      return [file, 'x'];
    }, /deep\.yaml: .*(nested more than 64 levels deep|malformed YAML)/],
    ['a constructor key in a spec section', () => {
      const spec = demoSpec() as { env: Record<string, unknown> };
      spec.env['constructor'] = 1;
      return [specFile({ c: spec }), 'c'];
    }, /c\.env\.constructor: key 'constructor' is not allowed/],
    ['a __proto__ key in a spec section', () => [specFile(`{"c": {"env": {"__proto__": {"max_frame": 7}}}}`), 'c'], /c\.env\.__proto__: key '__proto__' is not allowed/],
    ['a __proto__ spec name in the file', () => [specFile(`{"__proto__": ${JSON.stringify(demoSpec())}}`), '__proto__'], /__proto__: key '__proto__' is not allowed/],
    ['-s __proto__.x=1', () => [DEMO, 'ppo_cartpole', '-s', '__proto__.x=1'], /: -s __proto__\.x: key '__proto__' is not allowed/],
    ['-s constructor.prototype.x=1', () => [DEMO, 'ppo_cartpole', '-s', 'constructor.prototype.x=1'], /: -s constructor\.prototype\.x: key 'constructor' is not allowed/],
    ['-s with a __proto__ key in its JSON value', () => [DEMO, 'ppo_cartpole', '-s', 'env={"__proto__":{"a":1}}'], /-s env\.__proto__: key '__proto__' is not allowed/],
    ['-s env.num_envs=100000000 (used to make a run folder and hang)', () => [DEMO, 'ppo_cartpole', '-s', 'env.num_envs=100000000'], /env\.num_envs: 100,000,000 is more than 1,024 .*GiB/],
    ['a layer a million wide', () => [DEMO, 'ppo_cartpole', '-s', 'agent.net.hid_layers=[1000000]'], /hid_layers\[0\]: layer width 1,000,000 is more than 16,384/],
    ['an unknown env id names the file and key path', () => [DEMO, 'ppo_cartpole', '-s', 'env.name=CartPole-v9'], /demo\.json: ppo_cartpole\.env\.name: Unknown env id 'CartPole-v9'; did you mean 'CartPole-v1'/],
    ['-s with an empty path segment', () => [DEMO, 'ppo_cartpole', '-s', 'env..max_frame=1'], /empty segment/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const data = tempDir('data');
      await expectRefused(args(), message, data, [data]);
    });
  }
});

describe('a data folder that cannot hold a run', () => {
  it('a file', async () => {
    const root = tempDir('dd');
    const file = join(root, 'afile');
    writeFileSync(file, 'x');
    await expectRefused([DEMO, 'ppo_cartpole'], /--data-dir .*afile is not a directory/, file, [root], true);
    await expectRefused([DEMO, 'ppo_cartpole'], /--data-dir .*afile\/sub is not a directory/, join(file, 'sub'), [root], true);
  });
  it('under /proc (Node\'s recursive mkdir never returns there)', async () => {
    await expectRefused([DEMO, 'ppo_cartpole'], /--data-dir \/proc\/gymlab-test cannot be created there/, '/proc/gymlab-test', [], true);
  });
  it('not permitted', async () => {
    await expectRefused([DEMO, 'ppo_cartpole'], /--data-dir \/sys\/gymlab-test is not writable/, '/sys/gymlab-test', [], true);
  });
});

describe('enjoy on a run folder whose spec.json is corrupted', () => {
  for (const [what, text] of [['truncated', '{"ppo_cartpole": {"agent": '], ['random bytes', '\u0000\u00ff\u0013garbage'], ['not a map', '[1, 2]']] as const) {
    it(what, async () => {
      const run = tempDir('run');
      writeFileSync(join(run, 'spec.json'), text);
      const r = await runCliHere(['run', 'enjoy', run]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^gymlab: .*spec\.json: /);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(readFileSync(join(run, 'spec.json'), 'utf8')).toBe(text);
    });
  }
});
