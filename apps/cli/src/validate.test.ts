import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, ensureBuilt, runCli, tempDir } from './test-utils/cli.js';

/** A folder of spec files: runnable, not built, a template, anchors, and (when `bad`) a wrong one. */
function folder(bad: boolean): string {
  const dir = tempDir('validate');
  const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as { ppo_cartpole: { env: Record<string, unknown>; agent: { net: Record<string, unknown> } } };
  const ppo = demo.ppo_cartpole;
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ ok: ppo, lunar: { ...ppo, env: { ...ppo.env, name: 'CarRacing-v3' } } }));
  writeFileSync(join(dir, 'sub', 'b.json'), JSON.stringify({ tmpl: { ...ppo, env: { ...ppo.env, name: '${env}' } }, arc: { ...ppo, agent: { ...ppo.agent, net: { ...ppo.agent.net, type: 'HydraMLPNet' } } } }));
  writeFileSync(join(dir, 'sub', 'c.yaml'), `_env: &env\n  name: CartPole-v1\n  max_frame: 1000\nd:\n  agent: ${JSON.stringify(ppo.agent)}\n  env: *env\n`);
  writeFileSync(join(dir, 'README.md'), 'not a spec\n');
  writeFileSync(join(dir, '_random_baseline.json'), JSON.stringify({ 'CartPole-v1': { mean: 22.1, std: 11.7 } })); // SLM Lab's data, not a spec
  if (bad) writeFileSync(join(dir, 'sub', 'bad.json'), JSON.stringify({ typo: { ...ppo, env: { ...ppo.env, name: 'CartPol-v1' } } }));
  return dir;
}

describe('gymlab validate PATH...', () => {
  ensureBuilt();

  it('one line per spec through folders, then the count; exit 0 when nothing is wrong', () => {
    const dir = folder(false);
    const r = runCli(['validate', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `runnable   ${join(dir, 'a.json')} ok`,
      `not built  ${join(dir, 'a.json')} lunar: env CarRacing-v3 not built yet`,
      `needs -s   ${join(dir, 'sub', 'b.json')} tmpl: -s env=VALUE`,
      `not built  ${join(dir, 'sub', 'b.json')} arc: net HydraMLPNet: not built yet`,
      `runnable   ${join(dir, 'sub', 'c.yaml')} d`,
      '2 of 5 specs runnable (2 need what is not built yet, 1 need -s variables, 0 wrong)',
      '',
    ]);
  });

  it('a _file in a folder is not read as specs (SLM Lab keeps data there); named explicitly it is', () => {
    const dir = folder(false);
    expect(runCli(['validate', dir]).stdout).not.toContain('_random_baseline');
    const r = runCli(['validate', join(dir, '_random_baseline.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('_random_baseline.json');
  });

  it('a wrong spec is a line, its error on stderr, and exit 2; the others are still checked', () => {
    const dir = folder(true);
    const r = runCli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`wrong      ${join(dir, 'sub', 'bad.json')} typo\n`);
    expect(r.stderr).toMatch(/bad\.json: typo\.env\.name: Unknown env id 'CartPol-v1'; did you mean 'CartPole-v1'/);
    expect(r.stdout).toContain('2 of 6 specs runnable (2 need what is not built yet, 1 need -s variables, 1 wrong)');
  });

  it('-s fills a ${var}; a -s the spec does not use is ignored with a line on stderr', () => {
    const dir = folder(false);
    const file = join(dir, 'sub', 'b.json');
    const r = runCli(['validate', file, 'tmpl', '-s', 'env=CartPole-v1']);
    expect(r.stdout).toBe(`runnable   ${file} tmpl\n`);
    const unused = runCli(['validate', DEMO, 'ppo_cartpole', '-s', 'env=Acrobot-v1']);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toContain('-s env=Acrobot-v1 ignored: the spec has no ${env} placeholder');
  });
});

describe('gymlab run with a -s the spec does not use', () => {
  it('runs, with the notice on stderr (SLM Lab ignores it too)', () => {
    const data = tempDir('unused-set');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'max_frame=5', '-s', 'env.max_frame=300', '-s', 'meta.log_frequency=150', '--no-tensorboard', '--data-dir', data], { timeout: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('-s max_frame=5 ignored: the spec has no ${max_frame} placeholder');
    expect(readdirSync(data)).toHaveLength(1);
  }, 180_000);
});
