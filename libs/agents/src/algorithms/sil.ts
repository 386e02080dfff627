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
 * Checkpoints hold the nets and optimizers; a resume state also holds the replay (ring, counters
 * and pending episodes), and the replay starts empty after loading a plain checkpoint.
 */
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { silLoss } from '../losses/actor-critic.js';
import type { OnPolicyBatch } from '../memory/on-policy.js';
import { SilReplay } from '../memory/sil-replay.js';
import type { ActionDist } from '../policy/action-dist.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext, type AgentState } from '../types.js';
import { ActorCriticAgent, checkActorCriticSpec } from './actor-critic.js';
import { IDENTITY_SCALE, maxAppliedNorm, type AfterTrainPhase, type AfterTrainResult, type PhaseState, type PolicyParts, type ValueScale } from './on-policy-agent.js';
import { metaList, metaNumber } from './on-policy-common.js';
import { stepGroups } from './on-policy-tfjs.js';
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

/** Where a resume state keeps the self-imitation replay's tensors. */
const SIL_PREFIX = 'resume/sil';

/** What a self-imitation phase did, folded into the host's TrainStats by `merge`. */
export type SilResult = AfterTrainResult;

/** How the host puts returns and V(s) on one scale (its `normalize_v_targets`). */
export type SilValueScale = ValueScale;

export { IDENTITY_SCALE };

/** The replay and the self-imitation steps, shared by SIL and PPOSIL. */
export class SelfImitation implements AfterTrainPhase {
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

  /** The self-imitation phase of an agent (its nets, distribution and train generator). */
  static phase(parts: PolicyParts, ctx: AgentContext): SelfImitation {
    return new SelfImitation(parts.tf, parts.nets, parts.dist, parts.rng, parts.obsSize, ctx.spec, ctx.numEnvs);
  }

  /** The replay as `resume/sil/...` tensors and `sil...` meta entries. */
  resumeState(): PhaseState {
    const { tensors, counters: c } = this.replay.getState(SIL_PREFIX);
    return {
      tensors,
      meta: { silSize: c.size, silHead: c.head, silPendingLens: c.pending.lens, silPendingObs: c.pending.obs, silPendingActions: c.pending.actions, silPendingRewards: c.pending.rewards },
    };
  }

  /** Takes the replay back from a resume state; empties it for a plain checkpoint. AgentConfigError naming what does not fit. */
  restore(state: AgentState): void {
    const m = state.meta;
    if (state.tensors[`${SIL_PREFIX}/obs`] === undefined) {
      this.replay.reset();
      return;
    }
    const who = state.algorithm;
    const num = (k: string): number => metaNumber(who, m, k);
    const list = (k: string): readonly number[] => metaList(who, m, k);
    const pending = { lens: list('silPendingLens'), obs: list('silPendingObs'), actions: list('silPendingActions'), rewards: list('silPendingRewards') };
    const counters = { size: num('silSize'), head: num('silHead'), pending };
    try {
      this.replay.setState(SIL_PREFIX, state.tensors, counters);
    } catch (err) {
      throw new AgentConfigError(`${state.algorithm} state: ${(err as Error).message}`);
    }
  }

  /** Adds the on-policy batch to the replay, then training_iter x training_batch_iter steps (none while the replay is empty). */
  train(b: OnPolicyBatch, scale: ValueScale): AfterTrainResult {
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
        const r = stepGroups(tf, this.nets.groups, () => {
          const { pd, v } = this.nets.both(obsT, true);
          const L = silLoss(tf, {
            logp: this.dist.logProb(tf, this.dist.params(tf, pd), actT),
            value: scale.value(tf, v),
            ret: retT,
            silPolicyLossCoef: this.policyCoef,
            silValLossCoef: this.valCoef,
          });
          return { total: L.total as Scalar, terms: tf.stack([L.policy, L.value, L.total]) };
        });
        if (r.terms !== null) {
          const next = tf.add(sum, r.terms);
          tf.dispose([sum, r.terms]);
          sum = next;
        }
        maxApplied = maxAppliedNorm(maxApplied, r.applied);
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
  constructor(ctx: AgentContext) {
    super(ctx, { name: 'SIL', check: checkSil, phase: SelfImitation.phase });
  }
}

/** SLM Lab's `PPOSIL`: PPO plus self-imitation. */
export class PpoSilAgent extends PpoAgent {
  constructor(ctx: AgentContext) {
    super(ctx, { name: 'PPOSIL', check: checkPpoSil, phase: SelfImitation.phase });
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
