/**
 * Self-imitation learning (Oh et al. 2018) under SLM Lab's keys: `SIL` is ActorCritic (A2C) and
 * `PPOSIL` is PPO, each followed after its on-policy update by self-imitation steps on a replay of
 * past transitions with their discounted returns R (`memory.sil_replay_name: Replay`, with the
 * on-policy memory's `batch_size`, `max_size`, `use_cer`):
 *
 *   for training_iter times: sample a batch (s, a, R); for training_batch_iter times: one step on
 *     sil_policy_loss_coef * -mean(log pi(a|s) * stop_grad(max(R - V(s), 0)))
 *       + sil_val_loss_coef * mean(max(R - V(s), 0)^2) / 2
 *
 * so the agent imitates its own past actions only where they did better than it now expects.
 * Every transition of the on-policy batch enters the replay when its episode ends, with its
 * Monte-Carlo return (see SilReplay). The steps use the host's optimizers (shared net: one;
 * separate actor and critic: each steps on its part), lr and clip_grad_val. With
 * `normalize_v_targets` the returns are put on the value head's scale as the host's own targets are.
 * Checkpoints hold the nets and optimizers; the replay starts empty after a restore.
 */
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { silLoss } from '../losses/actor-critic.js';
import type { OnPolicyBatch } from '../memory/on-policy.js';
import { SilReplay } from '../memory/sil-replay.js';
import { appliedGradNorm, minimizeGroups } from '../optim/minimize.js';
import type { ActionDist } from '../policy/action-dist.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext, type AgentState, type TrainStats } from '../types.js';
import { ActorCriticAgent, checkActorCriticSpec } from './actor-critic.js';
import type { ActorCriticNets } from './on-policy-nets.js';
import { checkPpoSpec, PpoAgent } from './ppo.js';

/** Throws AgentConfigError (one line) when the SIL keys of `spec` cannot run; NotBuiltError for PrioritizedReplay. */
export function checkSilKeys(spec: Spec, who: string): void {
  const { algorithm: a, memory: m } = spec.agent;
  const fail = (msg: string): never => {
    throw new AgentConfigError(`${who}: ${msg}`);
  };
  if (m.sil_replay_name === null) fail("agent.memory.sil_replay_name is required; allowed: 'Replay'");
  if (m.sil_replay_name === 'PrioritizedReplay') throw new NotBuiltError(`${who}: sil_replay_name PrioritizedReplay not built yet`, "allowed: 'Replay'");
  if (m.batch_size === null) fail('agent.memory.batch_size is required (the self-imitation batch)');
  if (m.max_size === null) fail('agent.memory.max_size is required (the self-imitation replay capacity)');
  if (a.sil_policy_loss_coef === null) fail('agent.algorithm.sil_policy_loss_coef is required');
  if (a.sil_val_loss_coef === null) fail('agent.algorithm.sil_val_loss_coef is required');
}

/** How the host puts returns and V(s) on one scale (its `normalize_v_targets`); identity without it. */
export interface SilValueScale {
  /** Returns onto the scale of the value loss, in place (the first `n`). */
  returns(x: Float32Array, n: number): void;
  /** V(s) as the net gives it onto the same scale (inside the gradient). */
  value(tf: Tf, v: Tensor1D): Tensor1D;
}

export const IDENTITY_SCALE: SilValueScale = { returns: () => {}, value: (_tf, v) => v };

/** What a self-imitation phase did, folded into the host's TrainStats by `merge`. */
export interface SilResult {
  readonly maxApplied: number;
  merge(s: TrainStats): TrainStats;
}

/** The replay and the self-imitation steps, shared by SIL and PPOSIL. */
export class SelfImitation {
  readonly replay: SilReplay;
  private readonly iters: number;
  private readonly batchIters: number;
  private readonly policyCoef: number;
  private readonly valCoef: number;

  constructor(
    private readonly tf: Tf,
    private readonly nets: ActorCriticNets,
    private readonly dist: ActionDist,
    private readonly rng: Rng,
    private readonly obsSize: number,
    spec: Spec,
    numEnvs: number,
  ) {
    const { algorithm: a, memory: m } = spec.agent;
    this.iters = a.training_iter;
    this.batchIters = a.training_batch_iter;
    this.policyCoef = a.sil_policy_loss_coef ?? 0;
    this.valCoef = a.sil_val_loss_coef ?? 0;
    this.replay = new SilReplay({
      obsSize: obsSize, actionSize: dist.actionSize, numEnvs,
      maxSize: m.max_size ?? 0, batchSize: m.batch_size ?? 0, useCer: m.use_cer, gamma: a.gamma,
    });
  }

  /** Adds the on-policy batch to the replay, then training_iter x training_batch_iter steps (none while the replay is empty). */
  train(b: OnPolicyBatch, scale: SilValueScale): SilResult {
    const tf = this.tf;
    this.replay.addSteps({ obs: b.obs, actions: b.actions, rewards: b.rewards, terminated: b.terminated, truncated: b.truncated }, b.size);
    let maxApplied = 0;
    let steps = 0;
    let sum: Tensor = tf.zeros([3]);
    for (let i = 0; i < this.iters && this.replay.size > 0; i++) {
      const sb = this.replay.sample(this.rng);
      const B = sb.size;
      const ret = Float32Array.from(sb.returns);
      scale.returns(ret, B);
      const { obsT, actT, retT } = tf.tidy(() => ({
        obsT: tf.tensor2d(sb.obs, [B, this.obsSize]),
        actT: tf.tensor2d(this.dist.encode(sb.actions, B), [B, this.dist.encodedSize]),
        retT: tf.tensor1d(ret),
      }));
      for (let j = 0; j < this.batchIters; j++) {
        let captured: Tensor | null = null;
        const r = minimizeGroups(
          tf,
          () => {
            const { pd, v } = this.nets.both(obsT, true);
            const L = silLoss(tf, {
              logp: this.dist.logProb(tf, this.dist.params(tf, pd), actT),
              value: scale.value(tf, v),
              ret: retT,
              silPolicyLossCoef: this.policyCoef,
              silValLossCoef: this.valCoef,
            });
            captured = tf.keep(tf.stack([L.policy, L.value, L.total]));
            return L.total as Scalar;
          },
          this.nets.groups,
        );
        const c = captured as Tensor | null;
        if (c !== null) {
          const next = tf.add(sum, c);
          tf.dispose([sum, c]);
          sum = next;
        }
        const applied = appliedGradNorm(r.gradNorms, this.nets.groups);
        maxApplied = Number.isFinite(applied) ? Math.max(maxApplied, applied) : Number.POSITIVE_INFINITY;
        steps++;
      }
      tf.dispose([obsT, actT, retT]);
    }
    const t = sum.dataSync();
    sum.dispose();
    const per = (x: number): number => (steps === 0 ? 0 : x / steps);
    // SLM Lab reports the on-policy loss plus the summed SIL losses over training_iter
    const silLossPerIter = t[2] / this.iters;
    return {
      maxApplied,
      merge: (s) => ({
        ...s,
        loss: s.loss + silLossPerIter,
        terms: { ...s.terms, sil_policy: per(t[0]), sil_value: per(t[1]), sil_steps: steps },
        optSteps: s.optSteps + steps,
      }),
    };
  }
}

/** SLM Lab's `SIL`: A2C plus self-imitation. */
export class SilAgent extends ActorCriticAgent {
  override readonly algorithmName: string = 'SIL';
  private readonly sil: SelfImitation;

  constructor(ctx: AgentContext) {
    super(ctx);
    this.sil = new SelfImitation(this.tf, this.nets, this.dist, this.trainRng, this.obsSize, ctx.spec, ctx.numEnvs);
  }

  protected override check(spec: Spec, obs: BoxSpace, act: Space): void {
    checkSil(spec, obs, act);
  }

  protected override afterTrain(b: OnPolicyBatch): SilResult {
    const norm = this.ctx.spec.agent.algorithm.normalize_v_targets;
    const rn = this.retNorm;
    const scale: SilValueScale = norm ? { returns: (x, n) => rn.normalizeInPlace(x, n), value: (tf, v) => rn.normalizeTensor(tf, v) } : IDENTITY_SCALE;
    return this.sil.train(b, scale);
  }

  override setState(state: AgentState): void {
    super.setState(state);
    this.sil.replay.reset();
  }
}

/** SLM Lab's `PPOSIL`: PPO plus self-imitation. */
export class PpoSilAgent extends PpoAgent {
  override readonly algorithmName: string = 'PPOSIL';
  private readonly sil: SelfImitation;

  constructor(ctx: AgentContext) {
    super(ctx);
    this.sil = new SelfImitation(this.tf, this.nets, this.dist, this.trainRng, this.obsSize, ctx.spec, ctx.numEnvs);
  }

  protected override check(spec: Spec, obs: BoxSpace, act: Space): void {
    checkPpoSil(spec, obs, act);
  }

  protected override afterTrain(b: OnPolicyBatch): SilResult {
    const norm = this.ctx.spec.agent.algorithm.normalize_v_targets;
    const rms = this.vRms;
    // PPO's value head predicts standardised values when normalize_v_targets is set
    const scale: SilValueScale = norm
      ? { returns: (x, n) => { for (let i = 0; i < n; i++) x[i] = (x[i] - rms.mean) / rms.std; }, value: (_tf, v) => v }
      : IDENTITY_SCALE;
    return this.sil.train(b, scale);
  }

  override setState(state: AgentState): void {
    super.setState(state);
    this.sil.replay.reset();
  }
}

function checkSil(spec: Spec, obs: BoxSpace, act: Space): void {
  checkActorCriticSpec(spec, obs, act, 'SIL');
  checkSilKeys(spec, 'SIL');
}

function checkPpoSil(spec: Spec, obs: BoxSpace, act: Space): void {
  checkPpoSpec(spec, obs, act, 'PPOSIL');
  checkSilKeys(spec, 'PPOSIL');
}

export const silEntry = {
  check: checkSil,
  create: (ctx: AgentContext): Agent => new SilAgent(ctx),
};

export const ppoSilEntry = {
  check: checkPpoSil,
  create: (ctx: AgentContext): Agent => new PpoSilAgent(ctx),
};
