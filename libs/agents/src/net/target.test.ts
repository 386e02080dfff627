import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { Mlp } from './mlp.js';
import { targetUpdateOf, updateTargetNet } from './target.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const cfg = { inputSize: 2, hidden: [3], activation: 'relu', outputSize: 1, initFn: null, name: 'n' } as const;

describe('updateTargetNet', () => {
  it('replace: copies on the vector step that crosses a multiple of update_frequency (frame % f < num_envs)', () => {
    const online = new Mlp(tf, { ...cfg, seed: 1 });
    const target = new Mlp(tf, { ...cfg, seed: 2 });
    const u = targetUpdateOf({ update_type: 'replace', update_frequency: 10, polyak_coef: 0 }, 4);
    const w0 = target.namedWeights();
    expect(updateTargetNet(online, target, u, 8)).toBe(false); // 8 % 10 = 8 >= 4
    expect(target.namedWeights()).toEqual(w0);
    const copied = [4, 8, 12, 16, 20, 24].filter((frame) => updateTargetNet(online, target, u, frame));
    expect(copied).toEqual([12, 20]); // 12 % 10 = 2 and 20 % 10 = 0 are < 4
    expect(target.namedWeights()).toEqual(online.namedWeights());
    online.dispose();
    target.dispose();
  });

  it('polyak: target <- coef * online + (1 - coef) * target at every call', () => {
    const online = new Mlp(tf, { ...cfg, seed: 1 });
    const target = new Mlp(tf, { ...cfg, seed: 2 });
    const wo = online.namedWeights()['n/l0/kernel'];
    const wt = target.namedWeights()['n/l0/kernel'];
    const u = targetUpdateOf({ update_type: 'polyak', update_frequency: 1, polyak_coef: 0.005 }, 4);
    expect(updateTargetNet(online, target, u, 3)).toBe(true);
    expect(updateTargetNet(online, target, u, 7)).toBe(true);
    // two steps: t2 = (1 - c)^2 t + (1 - (1 - c)^2) o
    const k = 0.995 * 0.995;
    target.namedWeights()['n/l0/kernel'].forEach((v, i) => expect(v).toBeCloseTo(k * wt[i] + (1 - k) * wo[i], 6));
    online.dispose();
    target.dispose();
  });
});
