/**
 * REINFORCE (Williams 1992) as SLM Lab v5 runs it (reinforce.py): a policy net, Monte-Carlo
 * returns, one optimizer step per batch on
 *   L = -policy_loss_coef * mean(log pi(a|s) A) - entropy_coef * mean(H(pi(.|s))),
 *   A = standardize(G - mean(G) if center_return else G),  G_t = r_t + gamma G_{t+1}
 * (losses/reinforce.ts), with `entropy_coef_spec` at the env frame (read as SLM Lab's VarScheduler
 * does: reinforce_cartpole's 0.001 -> 0.0 holds 0.001, see schedule/decay.ts). The policy is the
 * ActionDist `action_pdtype` selects: Categorical for Discrete actions, a diagonal Gaussian with a
 * state-dependent log-scale head for Box actions (continuous actions are returned raw; the rollout
 * and the Session clip them to the space).
 *
 * Returns stop at `terminated` steps and at the batch's last row (the sum of the rewards seen:
 * there is no critic to bootstrap from). At a time limit (`truncated`) they run on into the
 * sub-env's next episode, as SLM Lab's calc_returns does: the next episode's rewards stand in for
 * the value of the state the limit cut off. (Cutting there makes the last actions of every episode
 * that reaches the limit look bad: a return of a few steps against ~100 early in the episode.)
 *
 * Checked term by term against SLM Lab v5.3.0 (reinforce.py, calc_returns, OnPolicyBatchReplay,
 * Net.train_step with clip_grad_norm_, init_layers' orthogonal gain 5/3 on every Linear, torch
 * Adam): the same, the entropy term included (SLM Lab detaches only the logged copy). The batches
 * are SLM Lab's too: Gymnasium's vector envs reset a finished sub-env on the next step (NEXT_STEP
 * autoreset), so they hold one extra row per episode (the final obs, an ignored action, reward 0);
 * this entry's `autoreset: 'next-step'` has the Session's SyncVectorEnv do the same. With num_envs 1
 * SLM Lab steps a plain env and resets it itself (no extra row): `autoresetFor` gives same-step there.
 *
 * reinforce_cartpole (spec unmodified, 4 sessions x 200k frames) is ~450 on average, not reliably
 * above it, with either autoreset: nine seeds (meta.random_seed 1781329704, 1..8), same-step
 * (before) total_reward_ma 467.9 487.0 400.4 484.0 489.7 478.1 478.3 474.8 425.3 (mean 465.1),
 * next-step (now) 406.0 470.0 452.7 487.4 423.1 462.3 488.2 458.1 482.3 (mean 458.9): 7 of 9
 * trials >= 450 in each, 11 and 12 of 36 sessions below 450; the paired difference, -6.2 +- 14.4
 * (se), is noise. Most sessions that end below 450 (16 of 23) had reached a return_ma >= 480 and
 * lost it, as SLM Lab's algorithm implies: once every episode runs to the time limit, every reward
 * is 1 (0 on the reset rows) and the returns run on across the limit, so G_t depends only on where
 * t stands in the batch (steps to its end, reset rows), not on the actions; standardised, these
 * advantages give a zero-mean gradient (E[grad log pi] = 0) of unit scale, which Adam turns into
 * full-size steps: the weights random-walk until the policy breaks, then relearn.
 *
 * Schedule: `OnPolicyBatchReplay` trains every `training_frequency` vector steps (a batch of
 * training_frequency x num_envs steps), `OnPolicyReplay` once `training_frequency` episodes have
 * ended (with the unfinished tails of the other sub-envs), `OnPolicyCrossEntropy` then too, on the
 * episodes whose total reward reaches the `cross_entropy` quantile (memory/cross-entropy.ts).
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch, BoxSpace, Space } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { reinforceAdvantages, reinforceLoss } from '../losses/reinforce.js';
import { eliteEpisodes } from '../memory/cross-entropy.js';
import { OnPolicyMemory } from '../memory/on-policy.js';
import { checkActionPdtype, makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { discountedReturns } from '../returns/discounted.js';
import { decayValue } from '../schedule/decay.js';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { memoryMeta, restoreMemoryMeta } from './on-policy-common.js';
import { checkSingleNetSpec, SingleNet } from './single-net.js';

/** Throws AgentConfigError (one line; NotBuiltError for what is not built yet) when REINFORCE cannot run `spec` on these spaces. */
export function checkReinforceSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  const { algorithm: alg, memory: mem, net } = spec.agent;
  if (mem.name !== 'OnPolicyBatchReplay' && mem.name !== 'OnPolicyReplay' && mem.name !== 'OnPolicyCrossEntropy') {
    throw new AgentConfigError(`Reinforce: agent.memory.name '${mem.name}' is not on-policy; use OnPolicyBatchReplay, OnPolicyReplay or OnPolicyCrossEntropy`);
  }
  if (alg.action_policy !== 'default') {
    throw new NotBuiltError(`Reinforce action_policy ${alg.action_policy}: not built yet`, `agent.algorithm.action_policy '${alg.action_policy}'; built: default (sample from the policy)`);
  }
  checkActionPdtype(alg.action_pdtype, actionSpace, 'Reinforce');
  checkSingleNetSpec('Reinforce', net, observationSpace.shape, 'actor-critic');
  if (net.log_std_init !== null) {
    throw new NotBuiltError('Reinforce net.log_std_init: not built yet', 'agent.net.log_std_init (a state-independent log-std); leave it null for the log-scale head');
  }
}

export class ReinforceAgent implements Agent {
  readonly algorithmName = 'Reinforce';
  private readonly tf: Tf;
  private readonly dist: ActionDist;
  private readonly pi: SingleNet;
  private readonly memory: OnPolicyMemory;
  /** OnPolicyCrossEntropy's quantile; 1 (train on every stored step) for the other memories. */
  private readonly crossEntropy: number;
  private readonly rng: Rng;
  private readonly obsSize: number;
  private zeros = new Uint8Array(0);
  private lastEntropy: number | null = null;

  constructor(private readonly ctx: AgentContext) {
    const { spec, observationSpace, actionSpace } = ctx;
    checkReinforceSpec(spec, observationSpace, actionSpace);
    const { algorithm: alg, memory: mem, net } = spec.agent;
    this.tf = ctx.backend.tf;
    this.obsSize = observationSpace.size;
    this.dist = makeActionDist(alg.action_pdtype, actionSpace, { who: 'Reinforce' });
    this.rng = new Rng(ctx.seed);
    this.pi = new SingleNet(this.tf, 'Reinforce', net, ctx.observationSpace.shape, this.dist.netOutputSize, this.rng.deriveSeed(), 'actor-critic');
    this.crossEntropy = mem.name === 'OnPolicyCrossEntropy' ? mem.cross_entropy : 1;
    this.memory = new OnPolicyMemory({
      kind: mem.name === 'OnPolicyBatchReplay' ? 'batch' : 'episodic',
      numEnvs: ctx.numEnvs,
      obsSize: this.obsSize,
      actionSize: this.dist.actionSize,
      horizon: alg.training_frequency,
      episodes: alg.training_frequency,
    });
  }

  /** A sample of pi(.|s) per row in train mode; its mode (argmax, mean) in eval mode. */
  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const tf = this.tf;
    const rows = obs.length / this.obsSize;
    const t = tf.tidy(() => this.dist.params(tf, this.pi.net.forward(tf.tensor2d(obs, [rows, this.obsSize]))));
    const params = t.dataSync() as Float32Array;
    t.dispose();
    return mode === 'eval' ? this.dist.mode(params, rows) : this.dist.sample(params, rows, this.rng);
  }

  /** Stores the step; a full batch trains once and is cleared. */
  update(tr: Transitions, frame: number): TrainStats | null {
    this.memory.add(tr);
    return this.memory.ready() ? this.trainAndClear(frame) : null;
  }

  scalars(): AgentScalars {
    return { lr: this.pi.lr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    return this.pi.agentState(this.rng, { lastEntropy: this.lastEntropy });
  }

  /** `getState()` plus the partial batch in the memory. */
  resumeState(): AgentState {
    const state = this.getState();
    return { ...state, meta: { ...state.meta, ...memoryMeta(this.memory) } };
  }

  /** Loads a `getState()` result (the partial batch is dropped) or a `resumeState()` one (the partial batch is restored). */
  setState(state: AgentState): void {
    const m = this.pi.restore(state, this.rng);
    this.lastEntropy = typeof m.lastEntropy === 'number' ? m.lastEntropy : null;
    restoreMemoryMeta(this.algorithmName, m, this.memory);
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return this.pi.net.namedWeights();
  }

  dispose(): void {
    this.pi.dispose();
  }

  /** All-zero `truncated` flags for a batch of `rows`: time limits do not cut REINFORCE's returns (see the header). */
  private noCut(rows: number): Uint8Array {
    if (this.zeros.length !== rows) this.zeros = new Uint8Array(rows);
    return this.zeros;
  }

  /** One policy-gradient step on the stored batch, then an empty memory. */
  private trainAndClear(frame: number): TrainStats {
    const tf = this.tf;
    const alg = this.ctx.spec.agent.algorithm;
    const b = eliteEpisodes(this.memory.batch(), this.crossEntropy);
    const B = b.size;
    const returns = discountedReturns({ rewards: b.rewards, terminated: b.terminated, truncated: this.noCut(B), numEnvs: b.numEnvs, gamma: alg.gamma, nextValues: null });
    const adv = reinforceAdvantages(returns, alg.center_return);
    const entropyCoef = alg.entropy_coef_spec === null ? 0 : decayValue(alg.entropy_coef_spec, frame);
    const obsT = tf.tensor2d(b.obs, [B, this.obsSize]);
    const actT = tf.tensor2d(this.dist.encode(b.actions, B), [B, this.dist.encodedSize]);
    const advT = tf.tensor1d(adv);
    let captured: Tensor | null = null;
    try {
      const r = this.pi.step(
        () => {
          const params = this.dist.params(tf, this.pi.net.forward(obsT) as Tensor2D);
          const L = reinforceLoss(tf, {
            logp: this.dist.logProb(tf, params, actT),
            adv: advT,
            entropy: this.dist.entropy(tf, params),
            policyLossCoef: alg.policy_loss_coef,
            entropyCoef,
          });
          captured = tf.keep(tf.stack([L.policy, L.entropy]));
          return L.total;
        },
        frame,
        this.ctx.devChecks,
      );
      const c = captured as Tensor | null;
      const [policy, entropy] = c === null ? [Number.NaN, Number.NaN] : c.dataSync();
      this.lastEntropy = entropy;
      return { loss: r.loss, terms: { policy, entropy, entropy_coef: entropyCoef }, gradNorm: r.gradNorm, optSteps: 1 };
    } finally {
      this.memory.reset();
      tf.dispose([obsT, actT, advT]);
      if (captured !== null) tf.dispose(captured);
    }
  }
}

export const reinforceEntry = {
  check: checkReinforceSpec,
  create: (ctx: AgentContext): Agent => new ReinforceAgent(ctx),
  autoreset: 'next-step' as const,
};
