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
 * Training is due per SLM Lab's Replay counting (`OffPolicySchedule`).
 *
 * This class is the algorithm's bookkeeping, shared by every backend: seeds, replay, schedule,
 * alpha (tuning, clamping, annealing), lr schedules, dev checks and the checkpoint layout. The nets
 * and their gradients sit behind `SacCompute` (sac-compute.ts): TensorFlow.js (sac-tfjs.ts) or the
 * fast CPU path (sac-fast.ts). Both draw their random numbers from here, in one order. CrossQ
 * (crossq.ts) is this class under its own name on a compute without target nets.
 */
import type { ActionBatch } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { PrioritizedReplay } from '../memory/prioritized.js';
import { continuousActions, Replay } from '../memory/replay.js';
import { targetUpdateOf, type TargetUpdateConfig } from '../net/target.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { SquashedGaussian, makeActionDist, type ActionDist } from '../policy/action-dist.js';
import { ActionRescaler } from '../policy/rescale.js';
import { OffPolicySchedule } from '../schedule/off-policy.js';
import { AgentCheckError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { gradNormProblem } from './dqn.js';
import { checkSacSpec, criticNetOf, sacConfigOf, type SacConfig, type SacFamily } from './sac-config.js';
import type { SacCompute, SacComputeFactory, SacLrTarget } from './sac-compute.js';
import { TfjsSacCompute } from './sac-tfjs.js';

type AnyReplay = Replay<Int32Array> | Replay<Float32Array>;

export class SacAgent implements Agent {
  readonly algorithmName: SacFamily;
  private readonly cfg: SacConfig;
  private readonly spec: Spec;
  private readonly devChecks: boolean;
  private readonly rng: Rng;
  private readonly dist: ActionDist;
  private readonly rescaler: ActionRescaler | null;
  private readonly compute: SacCompute;
  /** lr schedules of the actor's optimizer, the critics' (their net spec's) and the alpha optimizer. */
  private readonly lr: LrSchedule;
  private readonly criticLr: LrSchedule;
  private readonly criticClip: number | null;
  private readonly alphaLr: LrSchedule;
  private readonly memory: AnyReplay;
  private readonly schedule: OffPolicySchedule;
  private readonly targetUpdate: TargetUpdateConfig;
  private readonly unitActions: Float32Array;
  private alpha: number;
  /** Env frames seen by the last `update` (SLM Lab's frame at act time). */
  private frame = 0;
  /** Critic steps so far (policy_delay counts them). */
  private trainSteps = 0;
  private lastEntropy: number | null = null;

  /** `name`: SoftActorCritic, or CrossQ on its own compute (critics from agent.critic_net, no targets). */
  constructor(ctx: AgentContext, makeCompute: SacComputeFactory = (init) => new TfjsSacCompute(init), name: SacFamily = 'SoftActorCritic') {
    this.algorithmName = name;
    checkSacSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace, name);
    const spec = ctx.spec;
    const { memory: mem, net: netSpec } = spec.agent;
    const optimSpec = netSpec.optim_spec;
    const criticSpec = criticNetOf(spec, name).net;
    const criticOptim = criticSpec.optim_spec;
    if (optimSpec === null || criticOptim === null) throw new Error('unreachable: checked above');
    const act = ctx.actionSpace;
    this.spec = spec;
    this.devChecks = ctx.devChecks;
    this.cfg = sacConfigOf(spec, act);
    const obsSize = ctx.observationSpace.size;
    this.rng = new Rng(ctx.seed);
    const d = this.cfg.actionDim;
    // discrete: Categorical or GumbelSoftmax as action_pdtype says (they differ only in how acting draws)
    this.dist = act.kind === 'discrete' ? makeActionDist(spec.agent.algorithm.action_pdtype, act, { who: name }) : new SquashedGaussian({ d, logStd: null });
    this.rescaler = act.kind === 'box' ? new ActionRescaler(act) : null;
    const seeds = [this.rng.deriveSeed(), this.rng.deriveSeed(), this.rng.deriveSeed()] as const;
    const batchSize = mem.batch_size ?? 0;
    this.compute = makeCompute({ ctx, cfg: this.cfg, seeds, maxBatch: Math.max(batchSize, ctx.numEnvs) });
    this.alpha = this.cfg.fixedAlpha ?? 1;
    this.lr = new LrSchedule(netSpec.lr_scheduler_spec, optimSpec.lr);
    this.criticLr = new LrSchedule(criticSpec.lr_scheduler_spec, criticOptim.lr);
    this.criticClip = criticSpec.clip_grad_val;
    this.alphaLr = new LrSchedule(netSpec.lr_scheduler_spec, this.cfg.alphaLr);
    const memCfg = { obsSize, maxSize: mem.max_size ?? 0, batchSize, useCer: mem.use_cer };
    const per = mem.name === 'PrioritizedReplay' ? { alpha: mem.alpha ?? 0, epsilon: mem.epsilon ?? 0 } : null;
    if (this.cfg.discrete) this.memory = per === null ? new Replay<Int32Array>(memCfg) : new PrioritizedReplay<Int32Array>({ ...memCfg, ...per });
    else this.memory = per === null ? new Replay(memCfg, continuousActions(d)) : new PrioritizedReplay({ ...memCfg, ...per }, continuousActions(d));
    const alg = spec.agent.algorithm;
    this.schedule = new OffPolicySchedule({ trainingStartStep: alg.training_start_step, trainingFrequency: alg.training_frequency, trainingIter: alg.training_iter, numEnvs: ctx.numEnvs });
    this.targetUpdate = targetUpdateOf(netSpec, ctx.numEnvs);
    this.unitActions = new Float32Array(ctx.numEnvs * d);
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const rows = obs.length / this.memory.obsSize;
    let actions: ActionBatch;
    if (mode === 'train' && this.frame < this.schedule.trainingStartStep) {
      actions = this.cfg.discrete ? Int32Array.from({ length: rows }, () => this.rng.int(this.cfg.actionDim)) : Float32Array.from({ length: rows * this.cfg.actionDim }, () => this.rng.uniform(-1, 1));
    } else {
      const params = this.compute.policyParams(obs, rows);
      actions = mode === 'eval' ? this.dist.mode(params, rows) : this.dist.sample(params, rows, this.rng);
    }
    return this.rescaler === null ? actions : this.rescaler.toEnv(actions as Float32Array);
  }

  update(tr: Transitions, frame: number): TrainStats | null {
    const rows = tr.reward.length;
    const actions = this.rescaler === null ? tr.action : this.rescaler.toUnit(tr.action, this.unitActions.length === tr.action.length ? this.unitActions : new Float32Array(tr.action.length));
    let due = false;
    for (let r = 0; r < rows; r++) {
      this.memory.addRow(tr.obs, actions, tr.reward, tr.nextObs, tr.terminated, r);
      if (this.schedule.dueAfterAdd(this.memory.seenSize, this.memory.head)) due = true;
    }
    this.frame = frame;
    return due ? this.train(frame) : null;
  }

  scalars(): AgentScalars {
    return { lr: this.compute.groups[0][1].lr, entropy: this.lastEntropy, exploreVar: null };
  }

  /** Tensors: the nets, `optim/<actor|q1|q2|alpha>/...`, the replay under `memory/...`, `log_alpha`. */
  getState(): AgentState {
    const tensors = this.compute.getState();
    const memState = this.memory.getState('memory');
    Object.assign(tensors, memState.tensors, { log_alpha: { shape: [1], data: Float32Array.of(this.compute.logAlpha()) } });
    const c = memState.counters;
    return {
      algorithm: this.algorithmName,
      tensors,
      meta: { rng: this.rng.getState(), frame: this.frame, trainSteps: this.trainSteps, memorySize: c.size, memorySeen: c.seenSize, memoryHead: c.head, lr: this.compute.groups.map(([, o]) => o.lr), lastEntropy: this.lastEntropy },
    };
  }

  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new Error(`checkpoint is for ${state.algorithm}, this agent runs ${this.algorithmName}`);
    const t = state.tensors;
    this.compute.setState(t);
    const la = t['log_alpha'];
    if (la === undefined || la.data.length !== 1) throw new Error("checkpoint lacks tensor 'log_alpha' [1]");
    this.compute.setLogAlpha(la.data[0]);
    if (this.cfg.fixedAlpha === null) this.alpha = Math.exp(la.data[0]);
    const m = state.meta;
    const num = (k: string): number => {
      const v = m[k];
      if (typeof v !== 'number') throw new Error(`checkpoint meta lacks number '${k}'`);
      return v;
    };
    this.memory.setState('memory', t, { size: num('memorySize'), seenSize: num('memorySeen'), head: num('memoryHead') });
    this.frame = num('frame');
    this.trainSteps = num('trainSteps');
    if (Array.isArray(m.rng)) this.rng.setState(m.rng as readonly number[]);
    if (Array.isArray(m.lr)) this.compute.groups.forEach(([, o], i) => (o.lr = (m.lr as readonly number[])[i] ?? o.lr));
    if (typeof m.lastEntropy === 'number' || m.lastEntropy === null) this.lastEntropy = m.lastEntropy;
  }

  /** `getState()` already holds everything a resume needs (the replay included). */
  resumeState(): AgentState {
    return this.getState();
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return { ...this.compute.netWeights(), log_alpha: Float32Array.of(this.compute.logAlpha()) };
  }

  dispose(): void {
    this.compute.dispose();
  }

  /** One due round: `training_iter` critic steps, policy / alpha / target steps every `policy_delay`. */
  private train(frame: number): TrainStats {
    const compute = this.compute;
    const tuned = this.cfg.fixedAlpha === null;
    const groups = compute.groups.map(([, o]) => o);
    const apply = (s: LrSchedule, os: readonly SacLrTarget[]): void => os.forEach((o) => (o.lr = s.lrAt(frame, o.stepCount)));
    apply(this.lr, groups.slice(0, 1));
    apply(this.criticLr, groups.slice(1, 3));
    if (tuned) apply(this.alphaLr, groups.slice(3));
    this.annealAlpha(frame);
    const before = this.devChecks ? compute.snapshot() : null;
    const sums = { critic: 0, policy: 0, alpha: 0 };
    let policySteps = 0;
    let gradNorms: number[] = [];
    const iters = this.schedule.trainingIter;
    for (let i = 0; i < iters; i++) {
      const batch = this.memory.sample(this.rng);
      try {
        const c = compute.criticStep(batch, this.cfg.discrete ? null : this.normalNoise(batch.size), this.alpha, this.memory.prioritized);
        if (c.absTd !== null) this.memory.updatePriorities(c.absTd);
        sums.critic += c.loss;
        gradNorms = [...c.gradNorms];
        this.trainSteps++;
        if (this.trainSteps % this.cfg.policyDelay === 0) {
          const p = compute.policyStep(batch, this.cfg.discrete ? null : this.normalNoise(batch.size), this.alpha);
          this.lastEntropy = p.entropy;
          sums.policy += p.loss;
          gradNorms = [...gradNorms, ...p.gradNorms];
          if (tuned) {
            const a = compute.alphaStep(p.logProb, p.entropy);
            sums.alpha += a.loss;
            gradNorms.push(...a.gradNorms);
            const clamped = Math.min(this.cfg.logAlphaMax, Math.max(this.cfg.logAlphaMin, a.logAlpha));
            compute.setLogAlpha(clamped);
            this.alpha = Math.exp(Math.fround(clamped));
          }
          policySteps++;
          compute.updateTargets(this.targetUpdate, frame);
        }
      } finally {
        compute.endStep();
      }
    }
    const critic = sums.critic / iters;
    const policy = policySteps > 0 ? sums.policy / policySteps : 0;
    const alphaLoss = policySteps > 0 ? sums.alpha / policySteps : 0;
    const stats: TrainStats = {
      loss: critic + policy + alphaLoss,
      terms: { critic, policy, alpha_loss: alphaLoss, alpha: this.alpha, ...(this.lastEntropy === null ? {} : { entropy: this.lastEntropy }) },
      gradNorm: Math.hypot(...gradNorms),
      optSteps: iters * 2 + policySteps * (tuned ? 2 : 1),
    };
    if (before !== null) this.devCheck(before, stats, gradNorms, policySteps > 0);
    return stats;
  }

  /** A fixed alpha annealed linearly to 0 over `alpha_anneal_frames` (SLM Lab's _anneal_alpha). */
  private annealAlpha(frame: number): void {
    const { fixedAlpha, alphaAnnealFrames } = this.cfg;
    if (fixedAlpha === null || alphaAnnealFrames <= 0) return;
    this.alpha = fixedAlpha * (1 - Math.min(frame / alphaAnnealFrames, 1));
  }

  /** Standard-normal noise [B * d] for the reparameterised samples, from the agent's generator. */
  private normalNoise(B: number): Float32Array {
    const out = new Float32Array(B * this.cfg.actionDim);
    for (let i = 0; i < out.length; i++) out[i] = this.rng.normal();
    return out;
  }

  /** SLM Lab's dev_check_train_step on every net: finite loss, bounded applied gradients, parameters moved. */
  private devCheck(before: readonly (readonly Float32Array[])[], stats: TrainStats, gradNorms: readonly number[], actorStepped: boolean): void {
    const who = this.algorithmName;
    if (!Number.isFinite(stats.loss)) throw new AgentCheckError(`${who}: loss is ${stats.loss} after an update`);
    gradNorms.forEach((g, i) => {
      // the first two norms are the critics' (their net spec's clipping), then the actor's and alpha's
      const problem = gradNormProblem(g, i < 2 ? this.criticClip : this.spec.agent.net.clip_grad_val);
      if (problem !== null) throw new AgentCheckError(`${who}: ${problem}`);
    });
    const after = this.compute.snapshot();
    after.forEach((net, n) => {
      if (n === 0 && !actorStepped) return;
      const moved = net.some((now, i) => {
        const was = before[n][i];
        for (let k = 0; k < now.length; k++) if (now[k] !== was[k]) return true;
        return false;
      });
      if (!moved) throw new AgentCheckError(`${who}: parameters of ${this.compute.netNames[n]} did not change in a training round`);
    });
  }
}

/** The registry entry. */
export const sacEntry = {
  check: checkSacSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx),
};
