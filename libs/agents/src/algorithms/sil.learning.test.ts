import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';
import { trainUntil, type TrainUntilResult } from '../test-utils/train.js';

const NEXT = '../../../../../shared/slm_lab_specs_next';
const FILE = fileURLToPath(new URL(`${NEXT}/benchmark/sil/ppo_sil_cartpole.json`, import.meta.url));
const SIL_FILE = fileURLToPath(new URL(`${NEXT}/experimental/sil/sil_cartpole.json`, import.meta.url));

async function learns(file: string, name: string, maxFrames: number): Promise<TrainUntilResult> {
  const spec = loadSpec(file, name);
  const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
  const { singleObservationSpace: observationSpace, singleActionSpace: actionSpace, numEnvs } = env;
  const agent = createAgent({ spec, observationSpace, actionSpace, numEnvs, seed: 1, backend: await initBackend({ gpu: false, backend: 'wasm' }), devChecks: false });
  const r = trainUntil(agent, env, { maxFrames, seed: 1, target: 150 });
  agent.dispose();
  return r;
}
const report = (r: TrainUntilResult): string => `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`;

describe('PPOSIL learns CartPole-v1 (SLM Lab ppo_sil_cartpole as it is, wasm)', () => {
  // about 12k frames and 10 s of cpu alone (seed 1); the timeout's margin is for a loaded machine
  it('reaches a mean return >= 150 over the last 20 episodes within 40k frames', async () => {
    const r = await learns(FILE, 'ppo_sil_cartpole', 40_000);
    expect(r.best, report(r)).toBeGreaterThanOrEqual(150);
  }, 120_000);
});

describe('SIL learns CartPole-v1 (SLM Lab sil_separate_cartpole as it is: A2C + SIL, lr 0.02, wasm)', () => {
  // about 8k frames and 6 s of cpu alone (seed 1); with both SIL coefficients 0 this seed's A2C
  // collapsed (best 10.5 over 30k frames), so the self-imitation steps carry it
  it('reaches a mean return >= 150 over the last 20 episodes within 20k frames', async () => {
    const r = await learns(SIL_FILE, 'sil_separate_cartpole', 20_000);
    expect(r.best, report(r)).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
