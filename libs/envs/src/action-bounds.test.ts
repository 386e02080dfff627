import { describe, expect, it } from 'vitest';
import { ActionClipper, Box, Discrete, clipToBounds, makeVectorEnv, rollout, type ActionBatch, type VectorEnv } from '@gymlab/envs';

describe('ActionClipper', () => {
  it('clips Box actions per dimension to [low, high]; Discrete actions pass through unchanged', () => {
    const box = new ActionClipper(new Box([-2, 0], [2, 1]));
    const raw = Float32Array.of(-3, 0.5, 3, 9);
    expect(Array.from(box.apply(raw))).toEqual([-2, 0.5, 2, 1]);
    expect(Array.from(raw)).toEqual([-3, 0.5, 3, 9]); // the agent's sample is left as drawn
    const ints = Int32Array.of(0, 2, 1);
    expect(new ActionClipper(new Discrete(3)).apply(ints)).toBe(ints);
    expect(Array.from(clipToBounds([5, -5], Float32Array.of(-1), Float32Array.of(1), new Float32Array(2)))).toEqual([1, -1]);
  });
  it('rollout steps the env with clipped Box actions and hands the policy\'s raw actions to onStep', () => {
    const inner = makeVectorEnv('Pendulum-v1', 2);
    const stepped: number[][] = [];
    const env: VectorEnv = {
      numEnvs: inner.numEnvs,
      singleObservationSpace: inner.singleObservationSpace,
      singleActionSpace: inner.singleActionSpace,
      info: inner.info,
      reset: (o) => inner.reset(o),
      step: (a: ActionBatch) => {
        stepped.push(Array.from(a));
        return inner.step(a);
      },
      close: () => inner.close(),
    };
    const seen: number[][] = [];
    rollout(env, () => Float32Array.of(5, -0.5), { steps: 3, seed: 0, onStep: (s) => void seen.push(Array.from(s.action)) });
    expect(stepped).toEqual([[2, -0.5], [2, -0.5], [2, -0.5]]);
    expect(seen).toEqual([[5, -0.5], [5, -0.5], [5, -0.5]]);
  });
});
