/**
 * The MuJoCo wasm module is loaded on demand: importing the envs costs a process nothing for it,
 * making a MuJoCo env before `prepareEnv` says what to do in one line, and after it the env works.
 * (Its own file: the module, once loaded, stays loaded for the rest of the process.)
 */
import { describe, expect, it } from 'vitest';
import { makeEnv, prepareEnv } from '../make.js';
import { MujocoNotLoadedError } from './runtime.js';

describe('MuJoCo runtime loaded on demand', () => {
  it('is not loaded by importing the envs, nor by preparing a classic-control env', async () => {
    await prepareEnv('CartPole-v1');
    makeEnv('CartPole-v1').close();
    expect(() => makeEnv('Hopper-v5')).toThrow(MujocoNotLoadedError);
    expect(() => makeEnv('Hopper-v5')).toThrow(/MuJoCo model built-in hopper.*not loaded yet: await prepareEnv\(id\)/);
  });

  it('prepareEnv(id) loads it once; then the env makes, resets and steps', async () => {
    await Promise.all([prepareEnv('Hopper-v5'), prepareEnv('Ant-v5')]);
    const env = makeEnv('Hopper-v5');
    try {
      const [obs] = env.reset({ seed: 0 });
      expect(obs.length).toBe(11);
      const step = env.step(new Float32Array(3));
      expect(Number.isFinite(step[1])).toBe(true);
    } finally {
      env.close();
    }
  });
});
