import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, CLI_ROOT, DEMO, REPO_ROOT, SHARED_SPECS, childPids, ensureBuilt, isAlive, loadCliHere, runCli, runCliHere, snapshot, tempDir } from './test-utils/cli.js';

beforeAll(async () => {
  ensureBuilt();
  await loadCliHere();
}, 300_000);

/**
 * The CPU default where the fast path fits: `native` where the build made its addon (on an x86-64
 * CPU with AVX2 and FMA, as CI's; backends' kernels.test.ts fails where it should exist and does
 * not), else `fast`.
 */
const FAST_DEFAULT = existsSync(join(REPO_ROOT, 'libs/backends/build/fast-kernels.node')) ? 'native' : 'fast';

type Json = { [k: string]: Json } | Json[] | string | number | boolean | null;
const demo = (): { ppo_cartpole: { [k: string]: Json } } => JSON.parse(readFileSync(DEMO, 'utf8'));

/** The demo spec with `edit` applied, written to a temp file. */
function specFile(edit: (spec: { [k: string]: { [k: string]: Json } }) => void, ext = 'json'): string {
  const d = demo();
  edit(d.ppo_cartpole as { [k: string]: { [k: string]: Json } });
  const file = join(tempDir('spec'), `spec.${ext}`);
  writeFileSync(file, JSON.stringify(d, null, 2));
  return file;
}
const agentPart = (s: { [k: string]: { [k: string]: Json } }, key: string): { [k: string]: Json } => s.agent[key] as { [k: string]: Json };

function rawFile(text: string, name: string): string {
  const file = join(tempDir('raw'), name);
  writeFileSync(file, text);
  return file;
}

describe('bad input: exit 2, a short message, no run folder', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['malformed JSON', () => [rawFile('{ "ppo_cartpole": { "agent": ', 'bad.json'), 'ppo_cartpole'], /bad\.json/],
    ['malformed YAML', () => [rawFile('ppo_cartpole:\n  agent: [1, 2\n', 'bad.yaml'), 'ppo_cartpole'], /bad\.yaml/],
    ['misspelt key', () => [specFile((s) => void (agentPart(s, 'algorithm').gama = 0.9)), 'ppo_cartpole'], /gama.*gamma/],
    ['wrong type', () => [specFile((s) => void (agentPart(s, 'algorithm').gamma = 'high')), 'ppo_cartpole'], /gamma/],
    ['out-of-range value', () => [specFile((s) => void (s.env.num_envs = 0)), 'ppo_cartpole'], /num_envs/],
    ['unknown algorithm', () => [specFile((s) => void (agentPart(s, 'algorithm').name = 'PPOO')), 'ppo_cartpole'], /PPOO/],
    ['unknown env', () => [specFile((s) => void (s.env.name = 'CartPole-v9')), 'ppo_cartpole'], /CartPole-v9/],
    ['unknown optimizer', () => [specFile((s) => void ((agentPart(s, 'net').optim_spec as { [k: string]: Json }).name = 'Adamm')), 'ppo_cartpole'], /Adamm/],
    ['DQN on a continuous env', () => [join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole.json'), 'dqn_boltzmann_cartpole', 'train', '-s', 'env.name=Pendulum-v1'], /^(?!.*not implemented).*(continuous|discrete|box)/im],
    ['a boolean clip bound (env.clip_obs: true)', () => [DEMO, 'ppo_cartpole', 'train', '-s', 'env.clip_obs=true'], /demo\.json: ppo_cartpole\.env\.clip_obs: wrong type: expected a number > 0/],
    ['bad -s override', () => [DEMO, 'ppo_cartpole', 'dev', '-s', 'agent.algorithm.gama=0.9'], /gama/],
    ['missing file', () => ['/nonexistent/spec.json', 'ppo_cartpole'], /nonexistent\/spec\.json/],
    ['missing spec name argument', () => [DEMO], /SPEC_NAME/],
    ['unknown spec name', () => [DEMO, 'ppo_cartpol'], /ppo_cartpol/],
    ['unknown mode', () => [DEMO, 'ppo_cartpole', 'fly'], /unknown mode 'fly'.*dev, train, search, enjoy/],
    ['search mode on a spec without a search block', () => [DEMO, 'ppo_cartpole', 'search'], /gymlab-tune: .*demo\.json: ppo_cartpole\.search: search mode needs a search block/],
    ['enjoy on a folder that is not a run', () => ['enjoy', tempDir('notrun')], /neither a run folder/],
    ['enjoy with --episodes 0', () => ['enjoy', tempDir('notrun'), '--episodes', '0'], /--episodes must be a positive integer/],
    ['--data-dir given twice (used to make a folder named "a,b")', () => [DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=500', '--data-dir', join(tempDir('other'), 'x')], /--data-dir given more than once/],
  ];
  it("search mode on a search block of empty blocks (dev and train run the spec, as SLM Lab's train mode)", async () => {
    const data = tempDir('data');
    const file = specFile((s) => void (s.search = { agent: {} }));
    const r = await runCliHere(['run', file, 'ppo_cartpole', 'search', '--data-dir', data]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/spec\.json: ppo_cartpole\.search: search mode needs a search block/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(data)).toEqual([]);
  });
  // answered in this process (the bin's own exit code and stderr: the next test and the dev runs below)
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const data = tempDir('data');
      const r = await runCliHere(['run', ...args(), '--data-dir', data]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('gymlab'));
      expect(lines.length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(data)).toEqual([]);
    });
  }

  it('unknown command and unknown option', () => {
    expect(runCli(['fly']).code).toBe(2);
    const r = runCli(['run', DEMO, 'ppo_cartpole', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope/);
  });
});

describe('help', () => {
  it('prints usage for the command and each subcommand', () => {
    for (const args of [['--help'], ['run', '--help'], ['validate', '--help']]) {
      const r = runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/gymlab/);
    }
    expect(runCli(['run', '--help']).stdout).toMatch(/--data-dir/);
  });
});

describe('validate', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(json|ya?ml)$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  it('accepts every SLM Lab spec file', () => {
    const all = files(SHARED_SPECS);
    expect(all.length).toBeGreaterThanOrEqual(13);
    // one call with every file (a file it refuses makes the exit code 2); each file's specs get a line
    const r = runCli(['validate', ...all]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    for (const file of all) {
      const own = lines.filter((l) => l.includes(` ${file} `));
      expect(own.length, relative(SHARED_SPECS, file)).toBeGreaterThan(0);
      for (const l of own) expect(l).toMatch(/^(runnable|not built) /);
    }
  });
  it('checks one named spec, and reports a bad one with exit 2', () => {
    expect(runCli(['validate', DEMO, 'ppo_cartpole']).stdout).toBe(`runnable   ${DEMO} ppo_cartpole\n`);
    const bad = specFile((s) => void (agentPart(s, 'algorithm').gama = 0.9));
    const r = runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gama/);
  });
});

describe('dev run, then enjoy', () => {
  let runDir = '';
  it('a dev run of the demo spec writes the run folder layout', () => {
    const data = tempDir('data');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=2000', '--data-dir', data], { timeout: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    const folders = readdirSync(data);
    expect(folders.length).toBe(1);
    expect(folders[0]).toMatch(/^ppo_cartpole_\d{4}_\d{2}_\d{2}_\d{6}$/);
    runDir = join(data, folders[0]);
    expect(r.stdout).toContain(`run folder: ${runDir}`);
    expect(r.stdout).toMatch(/strength/);
    expect(r.stderr).toContain(`gymlab: compute: ${FAST_DEFAULT} (PPO)\n`); // the demo names no backend: the fast path on CPU
    for (const f of [
      'spec.json',
      'provenance.json',
      'trial_0/trial_metrics.json',
      'trial_0/trial_metrics.csv',
      'trial_0/session_0/metrics.csv',
      'trial_0/session_0/metrics.json',
      'trial_0/session_0/checkpoints/latest/manifest.json',
      'trial_0/session_0/checkpoints/best/manifest.json',
      'trial_0/session_0/tensorboard',
    ]) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    expect(readdirSync(join(runDir, 'trial_0/session_0/checkpoints/latest')).filter((f) => /^weights-[0-9a-f]{16}\.bin$/.test(f))).toHaveLength(1);
    expect(existsSync(join(runDir, 'trial_0/session_1'))).toBe(false); // dev: one session
    const spec = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8')).ppo_cartpole;
    expect(spec.env.max_frame).toBe(2000);
    expect(spec.meta.max_session).toBe(1);
    expect(Number.isInteger(spec.meta.random_seed)).toBe(true);
    const prov = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
    expect(prov.status).toBe('completed');
    expect({ backend: prov.backend, compute: prov.compute }).toEqual({ backend: FAST_DEFAULT, compute: `${FAST_DEFAULT} (PPO)` });
    expect(prov.seeds.base).toBe(spec.meta.random_seed);
    expect(prov.seeds.drawn).toBe(true);
    expect(prov.seeds.sessions.length).toBe(1);
    expect(prov.lockfile_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(prov.git.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(prov.versions.tfjs['tfjs-core']).toBe('4.22.0');
    const csv = readFileSync(join(runDir, 'trial_0/session_0/metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('frame,wall_time,episodes,opt_steps,return,return_ma,loss,lr,entropy,explore_var,fps');
    expect(Number(csv[csv.length - 1].split(',')[0])).toBe(2000);
  }, 180_000);

  it('--no-tensorboard writes no event files; a named tfjs backend is used and said', () => {
    const data = tempDir('data');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=1000', '-s', 'agent.net.backend=wasm', '--no-tensorboard', '--data-dir', data], { timeout: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('gymlab: compute: tfjs-wasm (agent.net.backend: wasm)\n');
    expect(r.stdout).toMatch(/backend wasm,/);
    const [folder] = readdirSync(data);
    expect(existsSync(join(data, folder, 'trial_0/session_0/metrics.csv'))).toBe(true);
    expect(existsSync(join(data, folder, 'trial_0/session_0/tensorboard'))).toBe(false);
  }, 180_000);
  it('enjoy plays the best checkpoint and changes nothing in the folder', () => {
    expect(runDir).not.toBe('');
    const before = snapshot(runDir);
    const r = runCli(['run', 'enjoy', runDir, '--episodes', '2']);
    expect(r.code, r.stderr).toBe(0);
    const returns = [...r.stdout.matchAll(/episode \d+: return (\S+)/g)].map((m) => Number(m[1]));
    expect(returns.length).toBe(2);
    for (const x of returns) expect(x).toBeGreaterThan(0);
    const r2 = runCli(['run', DEMO, 'ppo_cartpole', `enjoy@${join(runDir, 'trial_0', 'session_0')}`, '--episodes', '1']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/episode 1: return/);
    expect(snapshot(runDir)).toEqual(before);
  }, 120_000);
});

/**
 * Starts a train run of the demo, waits until its workers run and session 0 has logged a row, then
 * `interrupt`s it; checks it exits 130 with every worker gone, provenance `interrupted` and the
 * folder readable, with no temp file left.
 */
async function interruptTrain(interrupt: (child: ChildProcess) => void, detached: boolean): Promise<void> {
  const data = tempDir('data');
  const args = [BIN, 'run', DEMO, 'ppo_cartpole', 'train', '-s', 'env.max_frame=10000000', '-s', 'meta.log_frequency=200', '--data-dir', data];
  const child = spawn(process.execPath, args, { cwd: CLI_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // wait until the session workers run and one has logged a row
  const poolSize = Math.min(2, availableParallelism());
  const deadline = Date.now() + 90_000;
  let workers: number[] = [];
  for (;;) {
    workers = childPids(child.pid ?? -1);
    const folders = readdirSync(data);
    const logged = folders.length === 1 && existsSync(join(data, folders[0], 'trial_0', 'session_0', 'metrics.csv'));
    if (workers.length === poolSize && logged) break;
    if (Date.now() > deadline) throw new Error(`workers never started: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  interrupt(child);
  const code = await exited;
  expect(code, stderr).toBe(130);
  for (const pid of workers) expect(isAlive(pid), `worker ${pid}`).toBe(false);
  const runDir = join(data, readdirSync(data)[0]);
  const prov = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
  expect(prov.status).toBe('interrupted');
  expect(prov.ended_at).not.toBeNull();
  JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
  const csv = readFileSync(join(runDir, 'trial_0', 'session_0', 'metrics.csv'), 'utf8');
  expect(csv.split('\n')[0]).toMatch(/^frame,/);
  expect(existsSync(join(runDir, 'trial_0', 'trial_metrics.csv'))).toBe(true);
  // no temp files left behind
  const all = Object.keys(snapshot(runDir));
  expect(all.filter((p) => p.includes('.tmp-'))).toEqual([]);
}

describe('interruption', () => {
  it('SIGINT stops every worker, exits 130 and leaves a readable folder', () => interruptTrain((child) => child.kill('SIGINT'), false), 150_000);

  it('SIGTERM to the whole process group (a service manager, kill -TERM -PGID) behaves like Ctrl-C: exit 130', () =>
    interruptTrain((child) => process.kill(-(child.pid ?? 0), 'SIGTERM'), true), 150_000);
});
