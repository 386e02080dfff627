/**
 * Small fakes for the lab's unit tests: a seeded random agent with one weight tensor that counts
 * its updates, a cpu "backend" that never loads tfjs, and a complete spec object.
 */
import type { Agent, AgentContext, AgentState, TrainStats } from '@gymlab/agents';
import type { ComputeBackend, Tf } from '@gymlab/backends';
import type { ActionBatch } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import type { SessionDeps } from '../session/deps.js';
import { nodeWriteIo } from '../run/fs-utils.js';
import type { WriteIo } from '../run/fs-utils.js';

export interface FakeAgentLog {
  acts: number;
  updates: number;
  evalActs: number;
  disposed: number;
}

/** Acts uniformly at random (train) or always action 0 / zeros (eval); "trains" every 4 updates. */
export class FakeAgent implements Agent {
  readonly algorithmName = 'Fake';
  private readonly rng: Rng;
  private readonly w: Float32Array;
  private readonly actionSize: number;
  private readonly discreteN: number | null;

  constructor(
    private readonly ctx: AgentContext,
    readonly log: FakeAgentLog,
  ) {
    this.rng = new Rng(ctx.seed);
    this.w = new Float32Array(ctx.observationSpace.size * 2).map(() => this.rng.normal());
    this.discreteN = ctx.actionSpace.kind === 'discrete' ? ctx.actionSpace.n : null;
    this.actionSize = ctx.actionSpace.kind === 'box' ? ctx.actionSpace.size : 1;
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const rows = obs.length / this.ctx.observationSpace.size;
    if (mode === 'eval') this.log.evalActs++;
    else this.log.acts++;
    if (this.discreteN !== null) {
      const out = new Int32Array(rows);
      for (let i = 0; i < rows; i++) {
        // eval: a fixed linear rule, so eval returns depend on the weights
        out[i] = mode === 'eval' ? (obs[i * this.ctx.observationSpace.size + 2] * this.w[0] > 0 ? 1 : 0) : this.rng.int(this.discreteN);
      }
      return out;
    }
    const out = new Float32Array(rows * this.actionSize);
    if (mode === 'train') for (let i = 0; i < out.length; i++) out[i] = this.rng.uniform(-1, 1);
    return out;
  }

  update(): TrainStats | null {
    this.log.updates++;
    if (this.log.updates % 4 !== 0) return null;
    this.w[1] += 1;
    return { loss: 1 / this.log.updates, terms: {}, gradNorm: 0, optSteps: 1 };
  }

  scalars(): { lr: number; entropy: number | null; exploreVar: number | null } {
    return { lr: 0.001, entropy: null, exploreVar: null };
  }

  getState(): AgentState {
    return { algorithm: this.algorithmName, tensors: { w: { shape: [this.w.length / 2, 2], data: this.w.slice() } }, meta: { updates: this.log.updates } };
  }

  setState(state: AgentState): void {
    this.w.set(state.tensors.w.data);
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return { w: this.w };
  }

  dispose(): void {
    this.log.disposed++;
  }
}

export const fakeBackend: ComputeBackend = { name: 'cpu', tf: null as unknown as Tf, versions: { 'tfjs-core': '0.0.0-fake' } };

/**
 * Node's file system without fsync: temp folders of unit tests need no durability, and an fsync
 * costs ~15 ms on a loaded disk (durability itself is tested in run/checkpoint.test.ts).
 */
const noSyncIo: WriteIo = { ...nodeWriteIo, fsyncSync: () => undefined };

/** Deps that use the real envs but a fake agent and backend (and no fsync); `log` counts what the agents did. */
export function fakeDeps(log: FakeAgentLog = { acts: 0, updates: 0, evalActs: 0, disposed: 0 }): { deps: Partial<SessionDeps>; log: FakeAgentLog } {
  return {
    log,
    deps: {
      initBackend: async () => fakeBackend,
      createAgent: (ctx) => new FakeAgent(ctx, log),
      writeIo: noSyncIo,
    },
  };
}

const decay = (v: number) => ({ name: 'no_decay' as const, start_val: v, end_val: v, start_step: 0, end_step: 0, frequency: 60 });

/** A complete CartPole spec; override sections with `patch`. */
export function fakeSpec(patch: { env?: Partial<Spec['env']>; meta?: Partial<Spec['meta']>; name?: string } = {}): Spec {
  const spec = {
    name: patch.name ?? 'fake_cartpole',
    agent: {
      name: 'Fake',
      algorithm: {
        name: 'PPO',
        action_pdtype: 'default',
        action_policy: 'default',
        explore_var_spec: null,
        gamma: 0.99,
        lam: 0.95,
        num_step_returns: null,
        entropy_coef_spec: decay(0.01),
        clip_eps_spec: decay(0.2),
        val_loss_coef: 0.5,
        clip_vloss: false,
        normalize_v_targets: false,
        center_return: false,
        time_horizon: 32,
        minibatch_size: 16,
        training_epoch: 1,
        training_frequency: 1,
        training_iter: 1,
        training_batch_iter: 1,
        training_start_step: 0,
        normalize_advantages: true,
      },
      memory: { name: 'OnPolicyBatchReplay', batch_size: null, max_size: null, use_cer: false, alpha: null, epsilon: null },
      net: {
        type: 'MLPNet',
        shared: false,
        hid_layers: [8],
        hid_layers_activation: 'tanh',
        out_layer_activation: null,
        init_fn: null,
        clip_grad_val: 0.5,
        loss_spec: { name: 'MSELoss' },
        optim_spec: { name: 'Adam', lr: 0.001 },
        actor_optim_spec: null,
        critic_optim_spec: null,
        use_same_optim: true,
        lr_scheduler_spec: null,
        update_type: 'replace',
        update_frequency: 1,
        polyak_coef: 0,
        gpu: false,
        backend: 'cpu',
        normalize: false,
        batch_norm: false,
        conv_hid_layers: null,
        fc_hid_layers: null,
      },
    },
    env: { name: 'CartPole-v1', num_envs: 2, max_t: null, max_frame: 1000, normalize_obs: false, normalize_reward: false, clip_obs: null, clip_reward: null, ...patch.env },
    meta: {
      distributed: false,
      log_frequency: 200,
      eval_frequency: 500,
      rigorous_eval: 0,
      max_session: 2,
      max_trial: 1,
      random_seed: 42,
      search_resources: null,
      search_scheduler: null,
      search_sampler: null,
      ...patch.meta,
    },
    search: null,
  };
  return spec as unknown as Spec;
}
