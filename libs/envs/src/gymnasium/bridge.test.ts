/**
 * The Gymnasium bridge against real Gymnasium 1.4.0 (../shared/vendor, with Debian's NumPy):
 * bridged CartPole/Pendulum equal the native ports step for step, the spaces map, and each fault
 * (no Python, no Gymnasium, unknown id, a crash, a hang) is one line and leaves no process behind.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EnvNotBuiltError,
  GymnasiumBridgeError,
  GymnasiumEnv,
  GymnasiumVectorEnv,
  SLM_LAB_ATARI,
  SyncVectorEnv,
  UnknownEnvError,
  describeGymnasiumEnv,
  makeEnv,
  makeVectorEnv,
  type GymnasiumOptions,
} from '@gymlab/envs';
import { Rng } from '@gymlab/random';

const GYMNASIUM = fileURLToPath(new URL('../../../../../shared/vendor/gymnasium-1.4.0', import.meta.url));
const TEST_ENVS = fileURLToPath(new URL('./test-envs', import.meta.url));
const OPTS: GymnasiumOptions = { pythonPath: [GYMNASIUM, TEST_ENVS] };

function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Distance from x to the next float64 away from zero. */
function ulp(x: number): number {
  return Math.max(Number.MIN_VALUE, 2 ** (Math.floor(Math.log2(Math.abs(x) || 1)) - 52));
}

/** Bridged and native vector envs on the same seeded random actions; rewards may differ by one ulp (the fixtures' `pow`). */
function compareWithNative(id: string, numEnvs: number, steps: number, seed: number): { episodes: number; ulpRewards: number } {
  const bridged = new GymnasiumVectorEnv(id, numEnvs, OPTS);
  const native = makeVectorEnv(id, numEnvs, { backend: 'native' });
  const rng = new Rng(seed);
  let episodes = 0;
  let ulpRewards = 0;
  try {
    expect(Array.from(bridged.reset({ seed }))).toEqual(Array.from(native.reset({ seed })));
    const box = native.singleActionSpace;
    for (let t = 0; t < steps; t++) {
      const actions =
        box.kind === 'box'
          ? Float32Array.from({ length: numEnvs }, () => box.sample(rng)[0])
          : Int32Array.from({ length: numEnvs }, () => rng.int(2));
      const a = bridged.step(actions);
      const b = native.step(actions);
      expect(Array.from(a.nextObs), `step ${t} next obs`).toEqual(Array.from(b.nextObs));
      expect(Array.from(a.obs), `step ${t} obs`).toEqual(Array.from(b.obs));
      expect(Array.from(a.terminated)).toEqual(Array.from(b.terminated));
      expect(Array.from(a.truncated)).toEqual(Array.from(b.truncated));
      for (let i = 0; i < numEnvs; i++) {
        if (a.reward[i] !== b.reward[i]) {
          expect(Math.abs(a.reward[i] - b.reward[i]), `step ${t} reward`).toBeLessThanOrEqual(ulp(b.reward[i]));
          ulpRewards++;
        }
      }
      expect(a.finished).toEqual(b.finished);
      episodes += b.finished.length;
    }
  } finally {
    bridged.close();
    native.close();
  }
  return { episodes, ulpRewards };
}

describe('Gymnasium bridge against real Gymnasium 1.4.0', () => {
  it('CartPole-v1 through the bridge equals the native port step for step over many seeded episodes (auto-reset included)', () => {
    const { episodes } = compareWithNative('CartPole-v1', 3, 600, 11);
    expect(episodes).toBeGreaterThan(20);
  });

  it('Pendulum-v1 through the bridge equals the native port (rewards to 1 ulp, as the fixtures) across time-limit resets', () => {
    const { episodes, ulpRewards } = compareWithNative('Pendulum-v1', 2, 450, 3);
    expect(episodes).toBe(4);
    expect(ulpRewards).toBeLessThan(5);
  });

  it('a single GymnasiumEnv replays the same seeded episode twice and reports the registered facts', () => {
    const env = new GymnasiumEnv('CartPole-v1', OPTS);
    try {
      expect(env.info).toEqual({ id: 'CartPole-v1', maxEpisodeSteps: 500, rewardThreshold: 475 });
      const run = (): number[] => {
        const out = Array.from(env.reset({ seed: 42 })[0]);
        for (let t = 0; t < 30; t++) {
          const [obs, , te] = env.step(t % 2);
          out.push(...obs);
          if (te) break;
        }
        return out;
      };
      expect(run()).toEqual(run());
    } finally {
      env.close();
    }
  });

  it('restart snapshots: every restore of one snapshot starts the same fresh episodes (vector and single env)', () => {
    const a = new GymnasiumVectorEnv('CartPole-v1', 2, OPTS);
    const envs: { close(): void }[] = [a];
    try {
      a.reset({ seed: 5 });
      for (let t = 0; t < 7; t++) a.step(Int32Array.of(t % 2, 1));
      const snap = JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<typeof a.snapshot>;
      expect(snap).toMatchObject({ restart: true, ready: true });
      const b = new GymnasiumVectorEnv('CartPole-v1', 2, OPTS);
      envs.push(b);
      const restoredRun = (): unknown[] => {
        b.restore(snap); // whatever b did before
        const first = b.restarted().map((r) => [r.envIndex, ...r.obs]);
        const steps = Array.from({ length: 12 }, (_, t) => Array.from(b.step(Int32Array.of(1, t % 2)).nextObs));
        return [first, steps];
      };
      const one = restoredRun();
      expect((one[0] as unknown[]).length).toBe(2);
      expect(restoredRun()).toEqual(one);
      // a single env (the evaluation env): the restored episode is what the next unseeded reset gives
      const e = new GymnasiumEnv('CartPole-v1', OPTS);
      envs.push(e);
      e.reset({ seed: 8 });
      e.step(0);
      const es = e.snapshot();
      const start = (): number[] => {
        e.restore(es);
        const first = Array.from(e.reset()[0]);
        e.step(1);
        return first;
      };
      expect(start()).toEqual(start());
      expect(() => e.restore({ seed: 1 })).toThrow(/^CartPole-v1 bridge snapshot is not a restart snapshot \(restart: true\)$/);
    } finally {
      for (const x of envs) x.close();
    }
  });

  it('maps MultiDiscrete and MultiBinary; refuses a Dict observation space by name', () => {
    expect(String(describeGymnasiumEnv('gymlab_test_envs:GymlabMultiDiscrete-v0', OPTS).actionSpace)).toBe('MultiDiscrete([3, 2])');
    expect(String(describeGymnasiumEnv('gymlab_test_envs:GymlabMultiBinary-v0', OPTS).actionSpace)).toBe('MultiBinary([4])');
    expect(() => describeGymnasiumEnv('gymlab_test_envs:GymlabDict-v0', OPTS)).toThrow(/observation space Dict is not one gymlab maps/);
    expect(() => new GymnasiumVectorEnv('gymlab_test_envs:GymlabMultiBinary-v0', 1, OPTS)).toThrow(/MultiBinary\(\[4\]\) maps to gymlab's MultiBinary, which no gymlab agent takes yet/);
  });
});

describe('makeEnv / makeVectorEnv choose the backend', () => {
  it('a port by default, the bridge when asked or when there is no port', () => {
    const native = makeVectorEnv('CartPole-v1', 2, { gymnasium: OPTS });
    expect(native).toBeInstanceOf(SyncVectorEnv);
    native.close();
    const asked = makeEnv('CartPole-v1', { backend: 'gymnasium', gymnasium: OPTS });
    expect(asked).toBeInstanceOf(GymnasiumEnv);
    asked.close();
    const noPort = makeVectorEnv('gymlab_test_envs:GymlabCounter-v0', 2, { gymnasium: OPTS, maxEpisodeSteps: 4 });
    expect(noPort).toBeInstanceOf(GymnasiumVectorEnv);
    expect(noPort.info.maxEpisodeSteps).toBe(4);
    noPort.close();
  });

  it('without a backend, an id the bridge cannot run stays unknown (with the nearest id) or not built (with the reason)', () => {
    expect(() => makeVectorEnv('CartPol-v1', 1, { gymnasium: OPTS })).toThrow(UnknownEnvError);
    expect(() => makeVectorEnv('CartPol-v1', 1, { gymnasium: OPTS })).toThrow(/did you mean 'CartPole-v1'/);
    let err: unknown = null;
    try {
      makeEnv('CarRacing-v3', { gymnasium: OPTS });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvNotBuiltError);
    expect((err as EnvNotBuiltError).what).toBe('env CarRacing-v3 not built yet');
    expect((err as Error).message).toMatch(/the Gymnasium bridge cannot run it here: .*Box2D is not installed/);
    // asked for explicitly, the bridge's own error comes through
    expect(() => makeEnv('CarRacing-v3', { backend: 'gymnasium', gymnasium: OPTS })).toThrow(GymnasiumBridgeError);
  });
});

describe("SLM Lab's Atari pixel pipeline on a small env emitting 210x160x3 frames", () => {
  const PIXELS = 'gymlab_test_envs:GymlabPixels-v0';

  it('grayscale, area resize to 84x84, a zero-padded stack of 4 (oldest first), rewards clipped to [-1, 1]', () => {
    const env = new GymnasiumVectorEnv(PIXELS, 2, { ...OPTS, pixels: { ...SLM_LAB_ATARI, noop_max: 0 } });
    try {
      const space = env.singleObservationSpace;
      expect(space.shape).toEqual([4, 84, 84]);
      expect([space.low[0], space.high[0]]).toEqual([0, 255]);
      const frame = 84 * 84;
      const obs = env.reset({ seed: 7 });
      expect(obs.length).toBe(2 * 4 * frame);
      // frames 0-2 are the zero padding; frame 3 the first screen
      expect(obs.subarray(0, 3 * frame).every((v) => v === 0)).toBe(true);
      // the square (250, 200, 100) covers screen rows 0-19, cols 0-19: output rows 0-7, cols 0-9 lie inside it;
      // gray = 0.299 * 250 + 0.587 * 200 + 0.114 * 100 = 203.55 -> 204
      for (let r = 0; r < 8; r++) for (let c = 0; c < 10; c++) expect(obs[3 * frame + r * 84 + c]).toBe(204);
      const last = obs.slice(3 * frame, 4 * frame);
      const s = env.step(Int32Array.from([0, 2]));
      expect(Array.from(s.reward)).toEqual([-1, 1]);
      // the stack shifted: the first screen is now frame 2
      expect(Array.from(s.obs.subarray(2 * frame, 3 * frame))).toEqual(Array.from(last));
    } finally {
      env.close();
    }
  });

  it('ALE ids get the pipeline by default; life_loss_info ends the learner episode at a lost life without resetting the game', () => {
    const env = new GymnasiumVectorEnv('gymlab_test_envs:ALE/GymlabPixels-v5', 1, { ...OPTS, kwargs: { life_loss_info: true } });
    try {
      expect(env.singleObservationSpace.shape).toEqual([4, 84, 84]);
      env.reset({ seed: 1 });
      const ends: number[] = [];
      for (let t = 1; ends.length < 3 && t < 200; t++) {
        const s = env.step(Int32Array.from([1]));
        if (s.terminated[0] === 1) {
          ends.push(t);
          // a lost life continues the game (obs = nextObs); the game's end resets it (obs != nextObs)
          const continued = Array.from(s.obs).every((v, i) => v === s.nextObs[i]);
          expect(continued, `end ${ends.length} at step ${t}`).toBe(ends.length < 3);
        }
      }
      expect(ends.length).toBe(3);
      // lives are lost 15 game steps apart (the no-op start shifts only the first)
      expect(ends[1] - ends[0]).toBe(15);
    } finally {
      env.close();
    }
  });

  it('no-op starts come from the seeded env: the same seed gives the same first stack, another seed another', () => {
    const first = (seed: number): number[] => {
      const env = new GymnasiumVectorEnv(PIXELS, 1, { ...OPTS, pixels: SLM_LAB_ATARI });
      try {
        return Array.from(env.reset({ seed }));
      } finally {
        env.close();
      }
    };
    const a = first(3);
    expect(first(3)).toEqual(a);
    expect(first(4)).not.toEqual(a);
  });
});

describe('Gymnasium bridge faults: one line, no process left', () => {
  const fault = (f: () => unknown): GymnasiumBridgeError => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(GymnasiumBridgeError);
      expect((err as Error).message).not.toContain('\n');
      return err as GymnasiumBridgeError;
    }
    throw new Error('expected a GymnasiumBridgeError');
  };

  it('no Python', () => {
    const e = fault(() => new GymnasiumVectorEnv('CartPole-v1', 1, { python: '/nonexistent/python3' }));
    expect(e.kind).toBe('no-python');
    expect(e.message).toMatch(/cannot start \/nonexistent\/python3 \(not found\)/);
  });

  it('no Gymnasium', () => {
    const e = fault(() => new GymnasiumVectorEnv('CartPole-v1', 1, { pythonPath: [TEST_ENVS + '/none'] }));
    expect(e.kind).toBe('no-gymnasium');
    expect(e.message).toMatch(/cannot import gymnasium/);
  });

  it('an unknown id, and an ALE id without ale-py', () => {
    expect(fault(() => new GymnasiumVectorEnv('NoSuchEnv-v0', 1, OPTS)).kind).toBe('unknown-id');
    const ale = fault(() => new GymnasiumVectorEnv('ALE/Pong-v5', 1, OPTS));
    expect(ale.kind).toBe('no-ale');
    expect(ale.message).toMatch(/ALE\/Pong-v5 needs ale-py/);
  });

  it('a child that crashes mid-episode: its last stderr line, and it is gone', () => {
    const env = new GymnasiumVectorEnv('gymlab_test_envs:GymlabCrash-v0', 2, OPTS);
    const pid = env.pid;
    expect(alive(pid)).toBe(true);
    env.reset({ seed: 1 });
    env.step(Int32Array.from([0, 1]));
    env.step(Int32Array.from([0, 1]));
    const e = fault(() => env.step(Int32Array.from([0, 1])));
    expect(e.kind).toBe('crashed');
    expect(e.message).toMatch(/exited with code 3: gymlab test env: simulated crash at step 3$/);
    env.close();
    expect(alive(pid)).toBe(false);
  });

  it('a child that hangs mid-episode is killed after the timeout', () => {
    const env = new GymnasiumVectorEnv('gymlab_test_envs:GymlabHang-v0', 1, { ...OPTS, timeoutMs: 1500 });
    const pid = env.pid;
    env.reset();
    env.step(Int32Array.from([0]));
    env.step(Int32Array.from([0]));
    const e = fault(() => env.step(Int32Array.from([0])));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/no answer within 1.5 s; killed it/);
    expect(alive(pid)).toBe(false);
    env.close();
  });

  it('closing ends the child', () => {
    const env = new GymnasiumVectorEnv('CartPole-v1', 1, OPTS);
    const pid = env.pid;
    env.reset();
    env.close();
    expect(alive(pid)).toBe(false);
  });
});
