/**
 * MuJoCo snapshots are exact: a vector env snapshotted mid-episode (after episodes have ended and
 * auto-reset from the sub-envs' generators), through JSON, restored into fresh envs, steps
 * bit-identically to the original going on (observations, rewards, flags, infos' episode stats).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { makeVectorEnv, prepareEnv } from '../make.js';
import { snapshotOf, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';
import type { VectorEnv } from '../core.js';

/** `steps` vector steps with actions drawn from `rng` in [-1, 1] (scaled into each env's range by the env's clip). */
function play(vec: VectorEnv, rng: Rng, steps: number): unknown[] {
  const space = vec.singleActionSpace;
  const size = space.kind === 'box' ? space.size : 1;
  const out: unknown[] = [];
  for (let t = 0; t < steps; t++) {
    const s = vec.step(Float32Array.from({ length: vec.numEnvs * size }, () => rng.uniform(-0.4, 0.4)));
    out.push({ nextObs: Array.from(s.nextObs), obs: Array.from(s.obs), reward: Array.from(s.reward), terminated: Array.from(s.terminated), truncated: Array.from(s.truncated), finished: s.finished });
  }
  return out;
}

describe('MuJoCo snapshots', () => {
  it.each([
    ['InvertedPendulum-v5', 40, 200],
    ['Ant-v5', 30, 40],
    ['Humanoid-v5', 30, 40],
    ['Reacher-v5', 60, 60],
  ] as const)('%s: restored from a JSON snapshot, steps bit-identically to the original going on', async (id, before, after) => {
    await prepareEnv(id);
    const a = makeVectorEnv(id, 2);
    a.reset({ seed: 5 });
    const cut = play(a, new Rng(1), before);
    const snap = snapshotOf(a);
    expect(snap).not.toBeNull();
    const b = makeVectorEnv(id, 2);
    b.reset({ seed: 77 });
    play(b, new Rng(9), 3); // somewhere else entirely
    (b as unknown as SnapshotEnv).restore(JSON.parse(JSON.stringify(snap)) as EnvSnapshot);
    const want = play(a, new Rng(2), after);
    expect(play(b, new Rng(2), after)).toEqual(want);
    if (id === 'InvertedPendulum-v5') {
      // episodes ended on both sides of the cut: resets drew from the restored generators
      const ends = (xs: unknown[]): number => xs.reduce<number>((n, x) => n + (x as { finished: unknown[] }).finished.length, 0);
      expect(ends(cut)).toBeGreaterThan(0);
      expect(ends(want)).toBeGreaterThan(0);
    }
    a.close();
    b.close();
  });

  it('a snapshot of another model is refused with one line naming the part', async () => {
    await prepareEnv('Ant-v5');
    await prepareEnv('Hopper-v5');
    const ant = makeVectorEnv('Ant-v5', 1);
    ant.reset({ seed: 1 });
    const hopper = makeVectorEnv('Hopper-v5', 1) as unknown as SnapshotEnv;
    expect(() => hopper.restore(snapshotOf(ant) as EnvSnapshot)).toThrow(/^Hopper-v5 snapshot.state must be \d+ numbers$/);
  });
});
