/**
 * CrossQ (Bhatt et al., ICLR 2024, "CrossQ: Batch Normalization in Deep Reinforcement Learning for
 * Greater Sample Efficiency and Simplicity") as SLM Lab 5.3 runs it (agent/algorithm/crossq.py):
 * Soft Actor-Critic without target networks, whose critics (`agent.critic_net`, else `agent.net`;
 * SLM Lab's specs put LazyBatchRenorm1d layers in them) see the current and the next batch in one
 * forward pass, so their batch statistics mix both. Per critic step:
 *   1. a' ~ pi(.|s') and log pi(a'|s') (discrete: pi's logits at s'), constants;
 *   2. each critic, in training mode, on the joint batch [(s, a); (s', a')] (discrete: [s; s'])
 *      -> [Q_i(s, a); Q_i(s', a')]; the second half is a constant;
 *   3. y = r + gamma (1 - terminated) V(s') from those next halves: continuous
 *      min_i Q_i(s', a') - alpha log pi(a'|s'), discrete sum_a pi(a|s') ((Q1 + Q2)(s', a) / 2 - alpha
 *      log pi(a|s')) (SAC's targets, `losses/sac.ts`, on the online critics);
 *   4. one step of each critic on loss_spec(Q_i(s, a), y) (agent.net's loss_spec, as SLM Lab).
 * Every `policy_delay` critic steps, SAC's policy and alpha steps (`SacAgentBase`) with the critics
 * in evaluation mode (running statistics; discrete: the values of step 2, as SAC's). Optimizers and
 * clip_grad_val of the critics come from their own net spec; `log_alpha_max` clamps alpha as in SAC.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { crossQCriticValues, crossQJointInput, type NextPolicy } from '../losses/crossq.js';
import type { SquashedGaussian } from '../policy/action-dist.js';
import type { Agent, AgentContext } from '../types.js';
import { SacAgentBase, type CriticStepResult, type SacBatch } from './sac-base.js';
import { checkSacSpec, criticNetOf } from './sac-config.js';

/** Throws AgentConfigError / NotBuiltError (one line) when `spec` cannot run as CrossQ on these spaces. */
export function checkCrossQSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  checkSacSpec(spec, observationSpace, actionSpace, 'CrossQ');
}

export class CrossQAgent extends SacAgentBase {
  readonly algorithmName = 'CrossQ';

  constructor(ctx: AgentContext) {
    checkCrossQSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    super(ctx, criticNetOf(ctx.spec, 'CrossQ').net);
  }

  /** Steps 1-4 above: the joint forward of each critic, its next half as the constant target. */
  protected criticStep(b: SacBatch): CriticStepResult {
    const tf = this.tf;
    const next = this.nextPolicy(b.nextObs, b.size);
    const { alpha } = this;
    try {
      return this.fitCritics(() => {
        const joint = crossQJointInput(tf, b.obs, b.action, b.nextObs, next);
        const [q1, q2] = this.critics.map((critic) => critic.forward(joint, true));
        return crossQCriticValues(tf, q1, q2, { reward: b.reward, terminated: b.terminated, actionMask: b.action, next, alpha, gamma: this.cfg.gamma });
      });
    } finally {
      tf.dispose(Object.values(next) as Tensor2D[]);
    }
  }

  /** Step 1: pi at s' outside any gradient (continuous: a' with the agent's normal noise). */
  private nextPolicy(nextObs: Tensor2D, B: number): NextPolicy {
    const tf = this.tf;
    const noise = this.cfg.discrete ? null : this.normalNoise(B);
    return tf.tidy(() => {
      const params = this.dist.params(tf, this.actor.forward(nextObs));
      if (noise === null) return { logits: params };
      return (this.dist as SquashedGaussian).rsample(tf, params, tf.tensor2d(noise, [B, this.cfg.actionDim]));
    });
  }
}

/** The registry entry. */
export const crossQEntry = {
  check: checkCrossQSpec,
  create: (ctx: AgentContext): Agent => new CrossQAgent(ctx),
};
