import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, checkData, checkKeyPath, specNameProblem } from './data-guard.js';
import { SpecError } from './errors.js';

describe('specNameProblem', () => {
  it('accepts the names SLM Lab uses', () => {
    for (const n of ['ppo_cartpole', 'a2c_gae_lunar', 'ddqn_per_concat_lunar', 'sac_HalfCheetah-v5', 'x.1', '_private']) expect(specNameProblem(n), n).toBeNull();
  });
  it('refuses paths, dots-only names, reserved names, empty and overlong names', () => {
    for (const n of ['../escape', 'a/b', 'a\\b', '..', '.', '.hidden', '-flag', 'a..b', '__proto__', 'constructor', 'prototype', '', 'x'.repeat(129), 'a b', 'é']) {
      expect(specNameProblem(n), n).not.toBeNull();
    }
  });
});

describe('checkData', () => {
  const nest = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? { k: v } : [v];
    return v;
  };
  it(`accepts nesting up to ${MAX_DEPTH} levels and refuses one more, naming where`, () => {
    expect(() => checkData(nest(MAX_DEPTH), 'f.json')).not.toThrow();
    expect(() => checkData(nest(MAX_DEPTH + 1), 'f.json')).toThrow(SpecError);
    expect(() => checkData(nest(100_000), 'f.json', ['spec'])).toThrow(/f\.json: spec.*nested more than 64 levels/);
  });
  it('refuses reserved keys at any depth with their key path', () => {
    expect(() => checkData({ a: [{ b: JSON.parse('{"__proto__": 1}') }] }, 'f.json', ['s'])).toThrow("f.json: s.a[0].b.__proto__: key '__proto__' is not allowed");
    expect(() => checkData({ env: { constructor: 1 } }, 'f.json')).toThrow(/env\.constructor/);
    expect(() => checkData({ env: { name: 'CartPole-v1', max_frame: 10 } }, 'f.json')).not.toThrow();
  });
});

describe('checkKeyPath', () => {
  it('refuses reserved and empty segments', () => {
    expect(() => checkKeyPath('agent.algorithm.gamma', 'f')).not.toThrow();
    expect(() => checkKeyPath('__proto__.x', 'f')).toThrow("f: -s __proto__.x: key '__proto__' is not allowed (a reserved JavaScript name, never a spec key)");
    expect(() => checkKeyPath('a.constructor.prototype', 'f')).toThrow("f: -s a.constructor.prototype: key 'constructor' is not allowed");
    expect(() => checkKeyPath('a..b', 'f')).toThrow(/empty segment/);
  });
});
