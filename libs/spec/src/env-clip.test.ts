import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { resolveSpec } from './load.js';
import { ppoRaw } from './test-utils/files.js';

/** ppo_cartpole's raw spec with `env` keys added. */
function withEnv(env: Record<string, unknown>) {
  const raw = ppoRaw();
  Object.assign(raw['env'] as Record<string, unknown>, env);
  return resolveSpec(raw, 'x');
}

describe('env.clip_obs / env.clip_reward (SLM Lab v5.3.0 make_env semantics)', () => {
  it('absent: 10 when the matching normalisation is on, else none', () => {
    expect(withEnv({}).env).toMatchObject({ normalize_obs: false, clip_obs: null, normalize_reward: false, clip_reward: null });
    expect(withEnv({ normalize_obs: true }).env).toMatchObject({ clip_obs: 10, clip_reward: null });
    expect(withEnv({ normalize_reward: true }).env).toMatchObject({ clip_obs: null, clip_reward: 10 });
  });

  it('an explicit value or null wins over the default', () => {
    expect(withEnv({ normalize_obs: true, clip_obs: null }).env.clip_obs).toBeNull();
    expect(withEnv({ normalize_obs: true, clip_obs: 5 }).env.clip_obs).toBe(5);
    expect(withEnv({ clip_obs: 2.5 }).env.clip_obs).toBe(2.5);
    expect(withEnv({ normalize_reward: true, clip_reward: null }).env.clip_reward).toBeNull();
    expect(withEnv({ clip_reward: 1 }).env.clip_reward).toBe(1);
    expect(withEnv({ clip_reward: [-1, 0.5] }).env.clip_reward).toEqual([-1, 0.5]);
  });

  it('refuses booleans, non-positive bounds and bad [min, max] in one line naming the key', () => {
    const bad: Record<string, unknown>[] = [{ clip_obs: true }, { clip_obs: 0 }, { clip_reward: -1 }, { clip_reward: [1, 2, 3] }, { clip_reward: false }];
    for (const env of bad) {
      const key = Object.keys(env)[0];
      expect(() => withEnv(env), key).toThrow(SpecError);
      expect(() => withEnv(env)).toThrow(new RegExp(`x\\.env\\.${key}`));
    }
    expect(() => withEnv({ clip_reward: [1, -1] })).toThrow(/x\.env\.clip_reward.*min <= max/);
  });
});
