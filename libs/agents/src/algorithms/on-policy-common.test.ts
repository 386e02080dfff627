import { describe, expect, it } from 'vitest';
import { AgentCheckError } from '../types.js';
import { checkUpdate } from './on-policy-common.js';

describe('checkUpdate (the dev check after an on-policy update)', () => {
  const before = { w: Float32Array.of(1, 2), b: Float32Array.of(0) };
  const same = { w: Float32Array.of(1, 2), b: Float32Array.of(0) };

  it('refuses an update that changed no parameter at a learning rate above 0', () => {
    expect(() => checkUpdate('PPO', before, same, 0.3, 1e-4)).toThrow(AgentCheckError);
    expect(() => checkUpdate('PPO', before, same, 0.3)).toThrow('PPO dev check: no parameter changed in the update');
    expect(() => checkUpdate('PPO', before, { w: Float32Array.of(1, 2.5), b: Float32Array.of(0) }, 0.3, 1e-4)).not.toThrow();
  });

  it('accepts an unchanged net after an update at lr 0 (LinearToZero at its last frame), still checking norms and finiteness', () => {
    expect(() => checkUpdate('PPO', before, same, 0.3, 0)).not.toThrow();
    expect(() => checkUpdate('PPO', before, { w: Float32Array.of(1, Number.NaN), b: Float32Array.of(0) }, 0.3, 0)).toThrow(/not finite/);
    expect(() => checkUpdate('PPO', before, same, Number.POSITIVE_INFINITY, 0)).toThrow(/gradient norm/);
  });
});
