import { describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv, type VectorEnv } from '@gymlab/envs';
import { loadSpec, type Spec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { AgentCheckError, NotBuiltError } from '../types.js';
import { checkAgentSpec, implementedAlgorithms } from '../registry.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { expectContinuesExactly, expectResumesIdentically, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';
import type { OnPolicyBatch } from '../memory/on-policy.js';
import { makeActionDist } from '../policy/action-dist.js';
import { ActorCriticNets } from './on-policy-nets.js';
import { IDENTITY_SCALE, SelfImitation } from './sil.js';
import { Rng } from '@gymlab/random';

const NEXT = '../../../../../shared/slm_lab_specs_next';
const PPOSIL_FILE = fileURLToPath(new URL(`${NEXT}/benchmark/sil/ppo_sil_cartpole.json`, import.meta.url));
const SIL_FILE = fileURLToPath(new URL(`${NEXT}/experimental/sil/sil_cartpole.json`, import.meta.url));

/** SLM Lab's ppo_sil_cartpole, scaled down for tests by `-s` overrides. */
function ppoSil(...sets: string[]): Spec {
  return loadSpec(PPOSIL_FILE, 'ppo_sil_cartpole', { sets: ['agent.algorithm.time_horizon=16', 'agent.algorithm.minibatch_size=16', 'agent.algorithm.training_epoch=2', 'agent.memory.batch_size=8', ...sets] });
}
/** SLM Lab's experimental sil_cartpole specs (A2C + SIL), as they are unless `sets` say otherwise. */
function sil(name: string, ...sets: string[]): Spec {
  return loadSpec(SIL_FILE, name, { sets });
}

const backend = (): Promise<ComputeBackend> => initBackend({ gpu: false, backend: 'wasm' });
const makeAgent = agentFor;
function check(spec: Spec, env: VectorEnv): void {
  checkAgentSpec(spec, env.singleObservationSpace, env.singleActionSpace);
}

describe('SIL and PPOSIL specs', () => {
  it('are registered; refuse a missing sil_replay_name, batch_size or coefficient in one line, PrioritizedReplay as not built', () => {
    expect(implementedAlgorithms()).toEqual(expect.arrayContaining(['SIL', 'PPOSIL']));
    const env = makeVectorEnv('CartPole-v1', 4);
    expect(() => check(ppoSil(), env)).not.toThrow();
    // the spec loader refuses these null; the agents lib checks specs built by hand too
    const patch = (sp: Spec, part: 'memory' | 'algorithm', over: object): Spec => ({ ...sp, agent: { ...sp.agent, [part]: { ...sp.agent[part], ...over } } });
    const mem = (over: object): Spec => patch(ppoSil(), 'memory', over);
    expect(() => check(mem({ sil_replay_name: null }), env)).toThrow("PPOSIL: agent.memory.sil_replay_name is required; allowed: 'Replay'");
    expect(() => check(mem({ batch_size: null }), env)).toThrow('PPOSIL: agent.memory.batch_size is required');
    expect(() => check(mem({ max_size: null }), env)).toThrow('PPOSIL: agent.memory.max_size is required');
    expect(() => check(patch(ppoSil(), 'algorithm', { lam: null }), env)).toThrow('PPOSIL: agent.algorithm.lam is required (GAE)');
    const env1 = makeVectorEnv('CartPole-v1', 1);
    expect(() => check(patch(sil('sil_shared_cartpole'), 'algorithm', { sil_val_loss_coef: null }), env1)).toThrow(/^SIL: agent.algorithm.sil_val_loss_coef is required$/);
    expect(() => check(patch(sil('sil_shared_cartpole'), 'memory', { name: 'Replay' }), env1)).toThrow("SIL: agent.memory.name 'Replay' is not on-policy");
    const per = (): void => check(ppoSil('agent.memory.sil_replay_name=PrioritizedReplay', 'agent.memory.alpha=0.6', 'agent.memory.epsilon=0.0001'), env);
    expect(per).toThrow(NotBuiltError);
    expect(per).toThrow('PPOSIL: sil_replay_name PrioritizedReplay not built yet');
  });
});

describe('SelfImitation steps (wasm)', () => {
  /** One 8-step episode of action 0 with reward `r` per step, and the mean pi(0|s) over its states before and after the SIL steps. */
  async function imitate(r: number): Promise<{ before: number; after: number; moved: boolean; steps: number }> {
    const b = await backend();
    const tf = b.tf;
    const spec = ppoSil('agent.algorithm.sil_val_loss_coef=0');
    const env = makeVectorEnv('CartPole-v1', 1);
    const nets = new ActorCriticNets(tf, { obsSize: 4, policySize: 2, continuous: false, net: spec.agent.net, seed: 3 });
    const dist = makeActionDist('default', env.singleActionSpace);
    const sil = new SelfImitation(tf, nets, dist, new Rng(0), 4, spec, 1);
    const rng = new Rng(1);
    const obs = Float32Array.from({ length: 32 }, () => rng.normal() * 0.1);
    const batch: OnPolicyBatch = {
      steps: 8, numEnvs: 1, size: 8, obs, nextObs: obs, actions: new Float32Array(8), rewards: new Float64Array(8).fill(r),
      terminated: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1), truncated: new Uint8Array(8),
    };
    const p0 = (): number => tf.tidy(() => tf.mean(tf.softmax(nets.policy(tf.tensor2d(obs, [8, 4]))).slice([0, 0], [8, 1])).dataSync()[0]);
    const w0 = nets.weights();
    const before = p0();
    const res = sil.train(batch, IDENTITY_SCALE);
    const after = p0();
    const moved = Object.entries(nets.weights()).some(([k, w]) => w.some((x, i) => x !== w0[k][i]));
    nets.dispose();
    return { before, after, moved, steps: res.merge({ loss: 0, terms: {}, gradNorm: 0, optSteps: 0 }).optSteps };
  }
  it('raises pi(a|s) of replayed actions whose return beats V(s)', async () => {
    const { before, after, steps } = await imitate(1); // returns 1..7.7, V(s) near 0 at init
    expect(steps).toBe(16);
    expect(after).toBeGreaterThan(before + 0.05);
  });
  it('leaves every parameter unchanged when the returns are below V(s) (the advantage clipped at 0; Adam, no weight decay)', async () => {
    const { before, after, moved, steps } = await imitate(-100);
    expect(steps).toBe(16);
    expect(moved).toBe(false);
    expect(after).toBe(before);
  });
});

describe('SIL and PPOSIL smoke (wasm)', () => {
  it('PPOSIL: the PPO epochs, then training_iter x training_batch_iter SIL steps once an episode has ended', async () => {
    const b = await backend();
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = makeAgent(b, ppoSil('agent.algorithm.time_horizon=4'), env);
    expect(agent.algorithmName).toBe('PPOSIL');
    const stats = trainFor(agent, env, 4 * 24);
    expect(stats).toHaveLength(24);
    // PPO: 2 epochs of one 16-row minibatch = 2 steps; SIL: 4 x 4 = 16 once the replay holds an episode
    expect(stats[0].terms.sil_steps).toBe(0); // 4 steps per sub-env: no CartPole episode has ended yet
    expect(stats[0].optSteps).toBe(2);
    const later = stats.filter((s) => s.terms.sil_steps > 0);
    expect(later.length).toBeGreaterThan(0);
    for (const s of later) {
      expect(s.terms.sil_steps).toBe(16);
      expect(s.optSteps).toBe(18);
      expect(s.terms.sil_value).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(s.terms.sil_policy) && Number.isFinite(s.loss)).toBe(true);
    }
    agent.dispose();
  });

  for (const name of ['sil_shared_cartpole', 'sil_separate_cartpole', 'sil_rnn_shared_cartpole', 'sil_rnn_separate_cartpole']) {
    it(`SIL ${name} (SLM Lab's experimental spec): an update per episode, then 4 x 4 SIL steps`, async () => {
      const b = await backend();
      const env = makeVectorEnv('CartPole-v1', 1);
      const agent = makeAgent(b, sil(name), env);
      const stats = trainFor(agent, env, 150);
      expect(stats.length).toBeGreaterThan(1);
      // the first update's batch is the first episode: it is in the replay before the SIL steps
      for (const s of stats) {
        expect(s.terms.sil_steps).toBe(16);
        expect(s.optSteps).toBe(17);
        expect(Number.isFinite(s.loss)).toBe(true);
      }
      agent.dispose();
    });
  }

  it('continuous actions (Pendulum, float actions in the replay) with normalize_v_targets, PPOSIL and SIL', async () => {
    const b = await backend();
    const env = makeVectorEnv('Pendulum-v1', 2);
    // Pendulum truncates at 200 steps: 2 envs x 112 steps do not finish an episode, 224 do
    const ppo = makeAgent(b, ppoSil('env.name=Pendulum-v1', 'agent.algorithm.time_horizon=112', 'agent.algorithm.normalize_v_targets=true'), env);
    const s1 = trainFor(ppo, env, 224);
    expect(s1.map((s) => s.terms.sil_steps)).toEqual([0, 16]);
    ppo.dispose();
    const a2c = makeAgent(b, sil('sil_separate_cartpole', 'env.name=Pendulum-v1', 'agent.algorithm.normalize_v_targets=true'), env);
    const s2 = trainFor(a2c, env, 200);
    expect(s2.length).toBe(1); // both sub-envs truncate at step 200: one update
    expect(s2.every((s) => s.terms.sil_steps === 16 && Number.isFinite(s.loss))).toBe(true);
    a2c.dispose();
  });

  it('dev checks throw when the update changes no parameter', async () => {
    const b = await backend();
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = makeAgent(b, ppoSil('agent.net.actor_optim_spec.lr=1e-30', 'agent.net.critic_optim_spec.lr=1e-30'), env);
    expect(() => trainFor(agent, env, 16)).toThrow(AgentCheckError);
    agent.dispose();
  });
});

describe('PPOSIL and SIL state and determinism (wasm)', () => {
  for (const [algo, spec, numEnvs] of [
    ['PPOSIL', ppoSil(), 4],
    ['SIL', sil('sil_separate_cartpole'), 1],
  ] as const) {
    it(`${algo}: same seed -> identical parameters; getState -> setState (a plain state: replay emptied on both) continues identically`, async () => {
      const b = await backend();
      const make: MakeAgent = (seed) => {
        const env = makeVectorEnv('CartPole-v1', numEnvs);
        return { agent: makeAgent(b, spec, env, seed), env };
      };
      expectSameSeedSameWeights(make, 96);
      expectResumesIdentically(make, 96, (state, a, c) => {
        expect(state.algorithm).toBe(algo);
        expect(Object.keys(state.tensors).some((k) => k.startsWith('optim'))).toBe(true);
        expect(() => c.setState({ ...state, algorithm: 'PPO' })).toThrow(`cannot load a PPO state into a ${algo} agent`);
        c.setState(state);
        a.setState(state); // a plain state holds no replay: both continue from an empty one
      });
    });

    it(`${algo}: resumeState mid-batch with a filled replay and pending episodes -> continues exactly`, async () => {
      const b = await backend();
      const make: MakeAgent = (seed) => {
        const env = makeVectorEnv('CartPole-v1', numEnvs);
        return { agent: makeAgent(b, spec, env, seed), env };
      };
      const [before, after] = algo === 'PPOSIL' ? [40, 20] : [100, 60]; // PPOSIL: a 16-step horizon, cut 8 steps into its third batch
      const updates = expectContinuesExactly(make, before, after, (st) => {
        expect(st.meta.silSize).toBeGreaterThan(0); // the cut has a replay to keep,
        expect(st.meta.memorySteps).toBeGreaterThan(0); // a partial batch,
        // and (PPOSIL's batches end mid-episode) episodes waiting in the replay for their end
        if (algo === 'PPOSIL') expect((st.meta.silPendingLens as number[]).some((n) => n > 0)).toBe(true);
      });
      expect(updates).toBeGreaterThan(0);
    });
  }
});
