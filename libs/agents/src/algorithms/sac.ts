/**
 * Soft Actor-Critic (Haarnoja et al. 2018) as SLM Lab 5.3 runs it, for Box and Discrete actions:
 * a policy net, twin critics Q1, Q2 each with a target net (polyak or replace), and a temperature
 * alpha = exp(log_alpha) tuned towards a target entropy. Per training round, `training_iter` times:
 *   1. sample a batch; y = r + gamma (1 - terminated) V'(s') from the target critics and the policy
 *      (continuous: min of the twins at a' ~ pi, minus alpha log pi; discrete: the expectation over
 *      actions of their average, minus alpha log pi);
 *   2. one step of each critic on loss_spec(Q_i(s, a), y) (each its own optimizer and clipping);
 *   3. every `policy_delay` rounds: one policy step (continuous: the reparameterised
 *      mean(alpha log pi(a~|s) - min Q_i(s, a~)) through the updated critics; discrete: the
 *      expectation under pi with the critics' values from step 2), one step of log_alpha on the
 *      alpha loss (clamped to [log_alpha_min, log_alpha_max]), and the target nets' update.
 * Box actions: the policy is a tanh-squashed Gaussian acting in [-1, 1], rescaled to the env's
 * bounds (SLM Lab's RescaleAction); the replay stores the [-1, 1] action. Before
 * `training_start_step` frames the agent acts uniformly at random, as SLM Lab's act does.
 * Training is due per SLM Lab's Replay counting (`OffPolicySchedule`). Acting, the round, the policy and
 * alpha steps and checkpoints are `SacAgentBase`'s (sac-base.ts), shared with CrossQ.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { selectQ } from '../losses/td.js';
import { sacContinuousTarget, sacDiscreteTarget } from '../losses/sac.js';
import { targetUpdateOf, updateTargetNet, type TargetUpdateConfig } from '../net/target.js';
import type { NetModule } from '../net/types.js';
import type { SquashedGaussian } from '../policy/action-dist.js';
import type { Agent, AgentContext } from '../types.js';
import { SacAgentBase, type CriticStepResult, type SacBatch } from './sac-base.js';
import { checkSacSpec } from './sac-config.js';

export class SacAgent extends SacAgentBase {
  readonly algorithmName = 'SoftActorCritic';
  private readonly targets: readonly [NetModule, NetModule];
  private readonly targetUpdate: TargetUpdateConfig;

  constructor(ctx: AgentContext) {
    checkSacSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    super(ctx, ctx.spec.agent.net);
    // Each target starts as its critic (same seed), as SLM Lab copies them.
    this.targets = [this.buildCritic('target_q1_net', this.criticSeeds[0]), this.buildCritic('target_q2_net', this.criticSeeds[1])];
    this.targetUpdate = targetUpdateOf(ctx.spec.agent.net, ctx.numEnvs);
  }

  protected override extraNets(): readonly NetModule[] {
    return this.targets;
  }

  /** The target nets follow the critics after each policy step (polyak, or replace every update_frequency frames). */
  protected override afterPolicyStep(frame: number): void {
    for (const k of [0, 1] as const) updateTargetNet(this.critics[k], this.targets[k], this.targetUpdate, frame);
  }

  /** y outside any gradient, then one step of each critic on loss_spec(Q_i(s, a), y). */
  protected criticStep(b: SacBatch): CriticStepResult {
    const y = this.criticTargets(b.reward, b.terminated, b.nextObs, b.size);
    try {
      return this.fitCritics(() => {
        const c1 = this.criticValues(0, b.obs, b.action);
        const c2 = this.criticValues(1, b.obs, b.action);
        return { qa: [c1.qa, c2.qa], all: c1.all !== null && c2.all !== null ? [c1.all, c2.all] : null, y };
      });
    } finally {
      y.dispose();
    }
  }

  /** y [B] from the target critics and the current policy at s', outside any gradient. */
  private criticTargets(reward: Tensor1D, terminated: Tensor1D, nextObs: Tensor2D, B: number): Tensor1D {
    const tf = this.tf;
    const { alpha, gamma } = { alpha: this.alpha, gamma: this.cfg.gamma };
    const noise = this.cfg.discrete ? null : this.normalNoise(B);
    return tf.tidy(() => {
      const params = this.dist.params(tf, this.actor.forward(nextObs));
      if (this.cfg.discrete) {
        return sacDiscreteTarget(tf, { reward, terminated, nextLogits: params, nextQ1: this.targets[0].forward(nextObs), nextQ2: this.targets[1].forward(nextObs), alpha, gamma });
      }
      const { action, logProb } = (this.dist as SquashedGaussian).rsample(tf, params, tf.tensor2d(noise as Float32Array, [B, this.cfg.actionDim]));
      const sa = tf.concat([nextObs, action], 1);
      const q = (k: 0 | 1): Tensor1D => tf.reshape(this.targets[k].forward(sa), [B]) as Tensor1D;
      return sacContinuousTarget(tf, { reward, terminated, nextQ1: q(0), nextQ2: q(1), nextLogProb: logProb, alpha, gamma });
    });
  }

  /** Q_i(s, a) [B] in training mode: the action's column (discrete, by one-hot mask) or the critic at [s, a]; with Q_i(s, .) when discrete. */
  private criticValues(k: 0 | 1, obs: Tensor2D, action: Tensor2D): { qa: Tensor1D; all: Tensor2D | null } {
    const tf = this.tf;
    if (this.cfg.discrete) {
      const all = this.critics[k].forward(obs, true);
      return { qa: selectQ(tf, all, action), all };
    }
    return { qa: tf.reshape(this.critics[k].forward(tf.concat([obs, action], 1), true), [-1]) as Tensor1D, all: null };
  }
}

/** The registry entry. */
export const sacEntry = {
  check: checkSacSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx),
};
