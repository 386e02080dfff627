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
 * The rest is SAC's (`SacAgent`, sac.ts: replay, schedule, alpha, lr schedules, checkpoints): every
 * `policy_delay` critic steps its policy and alpha steps, with the critics in evaluation mode
 * (running statistics; discrete: the values of step 2, as SAC's). Optimizers, lr schedules and
 * clip_grad_val of the critics come from their own net spec; `log_alpha_max` clamps alpha as in SAC.
 * This file is the compute of steps 1-4 on TensorFlow.js (`TfjsSacCompute` without target nets).
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { crossQCriticValues, crossQJointInput, type NextPolicy } from '../losses/crossq.js';
import type { SquashedGaussian } from '../policy/action-dist.js';
import type { Agent, AgentContext } from '../types.js';
import type { SacBatch, SacComputeInit, SacCriticResult } from './sac-compute.js';
import { checkSacSpec, criticNetOf } from './sac-config.js';
import { TfjsSacCompute } from './sac-tfjs.js';
import { SacAgent } from './sac.js';

/** Throws AgentConfigError / NotBuiltError (one line) when `spec` cannot run as CrossQ on these spaces. */
export function checkCrossQSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  checkSacSpec(spec, observationSpace, actionSpace, 'CrossQ');
}

/** CrossQ's nets and gradients on TensorFlow.js: SAC's, with critics from `critic_net`, no targets, and steps 1-4 above. */
export class TfjsCrossQCompute extends TfjsSacCompute {
  constructor(init: SacComputeInit) {
    super(init, { criticNet: criticNetOf(init.ctx.spec, 'CrossQ').net, targetNets: false });
  }

  override criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult {
    const tf = this.tf;
    this.endStep();
    const B = batch.size;
    const obs = tf.tensor2d(batch.obs, [B, this.obsSize]);
    const action = this.actionTensor(batch);
    const nextObs = tf.tensor2d(batch.nextObs, [B, this.obsSize]);
    const reward = tf.tensor1d(batch.reward);
    const terminated = tf.tensor1d(batch.terminated);
    const next = this.nextPolicy(nextObs, nextNoise);
    try {
      return this.fitCritics(
        obs,
        () => {
          const joint = crossQJointInput(tf, obs, action, nextObs, next);
          const [q1, q2] = this.critics.map((critic) => critic.forward(joint, true));
          const v = crossQCriticValues(tf, q1, q2, { reward, terminated, actionMask: action, next, alpha, gamma: this.cfg.gamma });
          return { qa: v.qa, all: v.all, y: v.y };
        },
        wantAbsTd,
      );
    } finally {
      tf.dispose([action, nextObs, reward, terminated, ...(Object.values(next) as (Tensor1D | Tensor2D)[])]);
    }
  }

  /** Step 1: pi at s' outside any gradient (continuous: a' from the agent's normal noise). */
  private nextPolicy(nextObs: Tensor2D, noise: Float32Array | null): NextPolicy {
    const tf = this.tf;
    return tf.tidy(() => {
      const params = this.dist.params(tf, this.actor.forward(nextObs));
      if (noise === null) return { logits: params };
      return (this.dist as SquashedGaussian).rsample(tf, params, tf.tensor2d(noise, [nextObs.shape[0], this.cfg.actionDim]));
    });
  }
}

/** The registry entry: SacAgent named CrossQ on CrossQ's compute. */
export const crossQEntry = {
  check: checkCrossQSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx, (init) => new TfjsCrossQCompute(init), 'CrossQ'),
};
