import { describe, expect, it } from 'vitest';
import { Box, Discrete } from '@gymlab/envs';
import { resolveSpec } from '@gymlab/spec';
import { NotBuiltError, checkAgentSpec } from './index.js';

type Obj = Record<string, unknown>;

/** A small DQN spec on CartPole's spaces, with per-component additions. */
function spec(o: { algorithm?: Obj; net?: Obj; meta?: Obj; agent?: Obj; memory?: Obj } = {}) {
  return resolveSpec(
    {
      agent: {
        name: 'DQN',
        algorithm: { name: 'DQN', gamma: 0.99, explore_var_spec: { name: 'no_decay', start_val: 0.1 }, ...o.algorithm },
        memory: o.memory ?? { name: 'Replay', batch_size: 32, max_size: 1000 },
        net: { type: 'MLPNet', hid_layers: [16], ...o.net },
        ...o.agent,
      },
      env: { name: 'CartPole-v1', max_frame: 1000 },
      meta: { ...o.meta },
    },
    'x',
  );
}

const obs = new Box(-1, 1, [4]);
const act = new Discrete(2);

function notBuilt(s: ReturnType<typeof spec>): string {
  try {
    checkAgentSpec(s, obs, act);
  } catch (e) {
    if (e instanceof NotBuiltError) return e.what;
    throw e;
  }
  return 'built';
}

describe('checkAgentSpec: what the schema knows but gymlab has not built', () => {
  it('names the unbuilt net type, option or algorithm', () => {
    expect(notBuilt(spec())).toBe('built');
    expect(notBuilt(spec({ net: { type: 'HydraMLPNet', hid_layers: [[[16], [16]], [32], []] } }))).toBe('net HydraMLPNet: not built yet');
    expect(notBuilt(spec({ meta: { distributed: 'shared' } }))).toBe("meta.distributed 'shared' with DQN not built yet");
    expect(notBuilt(spec({ net: { optim_spec: { name: 'GlobalAdam' } } }))).toBe('built');
    expect(notBuilt(spec({ algorithm: { name: 'HydraDQN' } }))).toBe('HydraDQN: algorithm not built yet');
  });

  it('CrossEntropyLoss (SLM Lab builds any torch loss) only where loss_spec is not read: Reinforce, not a value loss', () => {
    const ce = { loss_spec: { name: 'CrossEntropyLoss' } };
    expect(notBuilt(spec({ net: ce }))).toBe('DQN with agent.net.loss_spec CrossEntropyLoss not built yet');
    const reinforce = { agent: { name: 'Reinforce' }, algorithm: { name: 'Reinforce', explore_var_spec: null, training_frequency: 8 }, memory: { name: 'OnPolicyBatchReplay' } };
    expect(notBuilt(spec({ ...reinforce, net: ce }))).toBe('built');
  });

  it('meta.distributed runs ActorCritic, PPO and SoftActorCritic on the tfjs backends only', () => {
    const a2c = { agent: { name: 'A3C' }, algorithm: { name: 'ActorCritic', explore_var_spec: null, training_frequency: 1, lam: 0.95 }, memory: { name: 'OnPolicyReplay' } };
    const a3c = (meta: Obj, net: Obj = {}) => spec({ ...a2c, meta, net: { optim_spec: { name: 'GlobalAdam', lr: 0.01 }, ...net } });
    expect(notBuilt(a3c({ distributed: 'synced' }))).toBe('built');
    expect(notBuilt(a3c({ distributed: 'shared' }))).toBe('built');
    const dppo = spec({
      agent: { name: 'DPPO' },
      algorithm: { name: 'PPO', explore_var_spec: null, lam: 0.95, time_horizon: 32, minibatch_size: 16, training_epoch: 2, clip_eps_spec: { name: 'no_decay', start_val: 0.2 }, entropy_coef_spec: { name: 'no_decay', start_val: 0.01 } },
      memory: { name: 'OnPolicyBatchReplay' },
      net: { optim_spec: { name: 'Adam', lr: 0.001 }, backend: 'fast', shared: false, use_same_optim: true },
      meta: { distributed: 'synced' },
    });
    expect(notBuilt(dppo)).toBe("meta.distributed 'synced' on agent.net.backend fast not built yet");
    const onNative = { ...dppo, agent: { ...dppo.agent, net: { ...dppo.agent.net, backend: 'native' as const } } };
    expect(notBuilt(onNative)).toBe("meta.distributed 'synced' on agent.net.backend native not built yet");
  });
});
