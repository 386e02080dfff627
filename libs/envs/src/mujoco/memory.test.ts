/**
 * The 2 GiB wasm heap holds about 130-150 MuJoCo envs; the next one fails with one line naming the
 * limit, closing envs frees their MjData for new ones, and envs built before the heap grew
 * still step (their views into the heap are fetched again). (Its own file: it fills this worker's heap.)
 */
import { expect, it } from 'vitest';
import { MujocoMemoryError, type MujocoEnv } from './index.js';
import { makeRawMujoco } from './test-utils/fixtures.js';
import { prepareAllEnvs } from '../make.js';

// the MuJoCo envs load their wasm module on demand (prepareEnv); these tests make them directly
await prepareAllEnvs();

it('fails with MujocoMemoryError when the heap is full, and reuses the memory of closed envs', () => {
  const envs: MujocoEnv[] = [];
  let error: unknown = null;
  try {
    for (let i = 0; i < 400; i++) envs.push(makeRawMujoco('InvertedPendulum-v5'));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MujocoMemoryError);
  expect((error as Error).message).toBe(
    'env InvertedPendulum-v5: the MuJoCo wasm heap (2 GiB) is full; each MuJoCo env takes 13-15 MiB, so use fewer envs per process (env.num_envs)',
  );
  expect(envs.length).toBeGreaterThan(100);
  expect(envs.length).toBeLessThan(200);
  const full = envs.length;
  for (const env of envs.splice(0, 10)) env.close();
  for (let i = 0; i < 10; i++) envs.push(makeRawMujoco('InvertedPendulum-v5'));
  expect(envs.length).toBe(full);
  // envs[0] was built before the heap grew (its first views are detached): it refetches them
  for (const env of [envs[0], envs[full - 1]]) {
    const [obs] = env.reset({ seed: 0 });
    expect(obs).toEqual(env.observation64);
    expect(env.step(new Float32Array(1))[1]).toBe(1);
    expect(env.getState().qpos[1]).toBe(env.observation64[1]);
  }
  for (const env of envs) env.close();
});
