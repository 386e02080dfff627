import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from './load.js';
import { LIMITS } from './limits.js';

const DEMO = fileURLToPath(new URL('../../../specs/demo.json', import.meta.url));
const load = (...sets: string[]): unknown => loadSpec(DEMO, 'ppo_cartpole', { sets });

describe('size limits', () => {
  it('accept the bounds themselves', () => {
    expect(() => load(`env.num_envs=${LIMITS.num_envs}`, `env.max_frame=${LIMITS.max_frame}`, `meta.max_session=${LIMITS.max_session}`)).not.toThrow();
  });
  it('refuse one more env, naming the memory it would take', () => {
    expect(() => load(`env.num_envs=${LIMITS.num_envs + 1}`)).toThrow(/ppo_cartpole\.env\.num_envs: 1,025 is more than 1,024 .*1,025 envs would need 0\.001 GiB as classic-control envs, 15 GiB as MuJoCo envs/);
  });
  it('refuse a layer wider than the bound, and a chain of layers whose parameters exceed it, with its memory', () => {
    expect(() => load(`agent.net.hid_layers=[64,${LIMITS.layer_width + 1}]`)).toThrow(/hid_layers\[1\]: layer width 16,385 is more than 16,384/);
    // (10000+1)*10000 * 2 = 200,020,000 parameters, 16 bytes each
    expect(() => load('agent.net.hid_layers=[10000,10000,10000]')).toThrow(/hold 200,020,000 parameters, more than 100,000,000 \(they would need 2\.98 GiB/);
  });
  it('refuse a frame budget and session count past the bounds', () => {
    expect(() => load(`env.max_frame=${LIMITS.max_frame * 10}`)).toThrow(/env\.max_frame: 100,000,000,000 frames is more than/);
    expect(() => load(`meta.max_session=${LIMITS.max_session + 1}`)).toThrow(/meta\.max_session: 257 is more than 256/);
  });
});
