#!/usr/bin/env node
// Env steps per second, single env, random actions: gymlab's native port, the same env through the
// Gymnasium bridge (one Python child, one message per step), and Gymnasium alone in Python.
// Usage: node tools/bench-bridge.mjs [--steps 20000] [--envs CartPole-v1,Pendulum-v1] [--python python3]
// Needs the built workspace and a Python with Gymnasium (default: ../shared/vendor's 1.4.0 on PYTHONPATH).
import { execFileSync } from 'node:child_process';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@gymlab/random';
import { makeEnv } from '@gymlab/envs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const steps = Number(opt('steps', '20000'));
const ids = opt('envs', 'CartPole-v1,Pendulum-v1').split(',');
const python = opt('python', 'python3');
const vendor = fileURLToPath(new URL('../../shared/vendor/gymnasium-1.4.0', import.meta.url));
const pythonPath = [vendor, ...(process.env.PYTHONPATH ?? '').split(delimiter).filter(Boolean)].join(delimiter);

function gymlab(id, backend) {
  const env = makeEnv(id, { backend, gymnasium: { python, pythonPath: [vendor] } });
  const rng = new Rng(0);
  env.reset({ seed: 0 });
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) {
    const [, , te, tr] = env.step(env.actionSpace.sample(rng));
    if (te || tr) env.reset();
  }
  const sps = steps / ((performance.now() - t0) / 1000);
  env.close();
  return sps;
}

function gymnasium(id) {
  const code = `
import time, gymnasium as gym
env = gym.make("${id}"); env.reset(seed=0); env.action_space.seed(0)
t0 = time.perf_counter()
for _ in range(${steps}):
    _, _, te, tr, _ = env.step(env.action_space.sample())
    if te or tr: env.reset()
print(${steps} / (time.perf_counter() - t0))`;
  return Number(execFileSync(python, ['-c', code], { env: { ...process.env, PYTHONPATH: pythonPath }, encoding: 'utf8' }).trim());
}

const rows = ids.map((id) => ({ id, native: gymlab(id, 'native'), bridge: gymlab(id, 'gymnasium'), gymnasium: gymnasium(id) }));
console.log(`steps/s, single env, random actions, ${steps} steps`);
for (const r of rows) console.log(`${r.id}: native ${r.native.toFixed(0)}, bridge ${r.bridge.toFixed(0)}, Gymnasium in Python ${r.gymnasium.toFixed(0)}`);
