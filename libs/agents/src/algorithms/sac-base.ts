/**
 * What SoftActorCritic and CrossQ share (SLM Lab 5.3's CrossQ subclasses its SoftActorCritic the
 * same way): the policy net (categorical, or tanh-squashed Gaussian rescaled to the env's bounds),
 * twin critics Q1, Q2, the temperature alpha = exp(log_alpha), their optimizer groups and lr
 * schedules (`SacOptimizers`), the replay, acting (uniform random before `training_start_step`),
 * the due round of `training_iter` critic steps with a policy and alpha step every `policy_delay`,
 * checkpoints, and SLM Lab's dev checks. Each algorithm supplies its critic step (`criticStep`,
 * built on `fitCritics`) and what follows a policy step (`afterPolicyStep`: SAC's target nets).
 * The policy step evaluates the critics in evaluation mode (batch norm on running statistics).
 */
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { NetSpec, Spec } from '@gymlab/spec';
import { makeTdLoss, type RegressionLoss } from '../losses/td.js';
import { sacContinuousAlphaLoss, sacContinuousPolicyLoss, sacDiscreteAlphaLoss, sacDiscretePolicyLoss } from '../losses/sac.js';
import { PrioritizedReplay } from '../memory/prioritized.js';
import { continuousActions, Replay } from '../memory/replay.js';
import { buildNet } from '../net/factory.js';
import type { NetModule } from '../net/types.js';
import { LrSchedule } from '../optim/lr-schedule.js';
import { minimizeGroups, type ParamGroup } from '../optim/minimize.js';
import { makeOptimizer } from '../optim/optimizers.js';
import { Categorical, SquashedGaussian, type ActionDist } from '../policy/action-dist.js';
import { oneHot } from '../policy/distributions.js';
import { ActionRescaler } from '../policy/rescale.js';
import { OffPolicySchedule } from '../schedule/off-policy.js';
import { AgentCheckError, type Agent, type AgentContext, type AgentScalars, type AgentState, type TrainStats, type Transitions } from '../types.js';
import { gradNormProblem } from './dqn.js';
import { sacConfigOf, type SacConfig } from './sac-config.js';

type AnyReplay = Replay<Int32Array> | Replay<Float32Array>;

/** The optimizer groups (actor, twin critics, log-alpha unless alpha is fixed) and their lr schedules. */
export interface SacOptimizers {
  readonly actor: ParamGroup;
  readonly critics: readonly [ParamGroup, ParamGroup];
  readonly alpha: ParamGroup | null;
  readonly lr: LrSchedule;
  /** The critics' schedule (their net spec's lr_scheduler_spec and lr). */
  readonly criticLr: LrSchedule;
  readonly alphaLr: LrSchedule;
}

/** One sampled batch as tensors: s, s' [B, obs], a encoded [B, one-hot n | action dims], r and terminated [B]. */
export interface SacBatch {
  readonly size: number;
  readonly obs: Tensor2D;
  readonly nextObs: Tensor2D;
  readonly action: Tensor2D;
  readonly reward: Tensor1D;
  readonly terminated: Tensor1D;
}

/** What a critic loss closure computes: Q_i(s, a) [B], Q_i(s, .) [B, n] when discrete, and the constant target y [B]. */
export interface CriticForward {
  readonly qa: readonly [Tensor1D, Tensor1D];
  readonly all: readonly [Tensor2D, Tensor2D] | null;
  readonly y: Tensor1D;
}

export interface CriticStepResult {
  readonly loss: number;
  readonly gradNorms: number[];
  /** Q_i(s, .) before the step (discrete: the policy loss reads them); the caller disposes them. */
  readonly qAll: [Tensor2D, Tensor2D] | null;
}

export abstract class SacAgentBase implements Agent {
  abstract readonly algorithmName: string;
  protected readonly tf: Tf;
  protected readonly cfg: SacConfig;
  protected readonly spec: Spec;
  protected readonly devChecks: boolean;
  protected readonly rng: Rng;
  protected readonly dist: ActionDist;
  private readonly rescaler: ActionRescaler | null;
  protected readonly actor: NetModule;
  protected readonly critics: readonly [NetModule, NetModule];
  /** The seeds of the critics (SAC's target nets start from the same ones). */
  protected readonly criticSeeds: readonly [number, number];
  private readonly criticSpec: NetSpec;
  private readonly criticIn: readonly number[];
  private readonly logAlpha: Variable;
  protected readonly optim: SacOptimizers;
  private readonly loss: RegressionLoss;
  protected readonly memory: AnyReplay;
  protected readonly schedule: OffPolicySchedule;
  protected readonly obsSize: number;
  private readonly unitActions: Float32Array;
  protected alpha: number;
  /** Env frames seen by the last `update` (SLM Lab's frame at act time). */
  private frame = 0;
  /** Critic steps so far (policy_delay counts them). */
  private trainSteps = 0;
  private lastEntropy: number | null = null;

  /** `criticSpec`: the critics' net spec (SAC: agent.net; CrossQ: agent.critic_net, else agent.net); the spec is checked. */
  protected constructor(ctx: AgentContext, criticSpec: NetSpec) {
    const spec = ctx.spec;
    const { memory: mem, net: netSpec } = spec.agent;
    const optimSpec = netSpec.optim_spec;
    const criticOptim = criticSpec.optim_spec;
    if (optimSpec === null || criticOptim === null) throw new Error('unreachable: checked by the algorithm');
    const tf = ctx.backend.tf;
    const act = ctx.actionSpace;
    this.tf = tf;
    this.spec = spec;
    this.devChecks = ctx.devChecks;
    this.cfg = sacConfigOf(spec, act);
    this.obsSize = ctx.observationSpace.size;
    this.rng = new Rng(ctx.seed);
    const d = this.cfg.actionDim;
    this.dist = act.kind === 'discrete' ? new Categorical(act.n) : new SquashedGaussian({ d, logStd: null });
    this.rescaler = act.kind === 'box' ? new ActionRescaler(act) : null;
    const seeds = [this.rng.deriveSeed(), this.rng.deriveSeed(), this.rng.deriveSeed()];
    this.criticSpec = criticSpec;
    this.criticIn = this.cfg.discrete ? ctx.observationSpace.shape : [this.obsSize + d];
    this.criticSeeds = [seeds[1], seeds[2]];
    this.actor = buildNet(tf, netSpec, ctx.observationSpace.shape, { name: 'net', seed: seeds[0], output: { size: this.dist.netOutputSize, activation: netSpec.out_layer_activation } });
    this.critics = [this.buildCritic('q1_net', seeds[1]), this.buildCritic('q2_net', seeds[2])];
    const fixed = this.cfg.fixedAlpha;
    this.logAlpha = tf.variable(tf.tensor1d([fixed === null ? 0 : Math.log(fixed)]), true);
    this.alpha = fixed ?? 1;
    const group = (variables: readonly Variable[], net: NetSpec): ParamGroup => ({ optimizer: makeOptimizer(tf, net.optim_spec ?? optimSpec, variables as Variable[]), clipGradVal: net.clip_grad_val });
    this.optim = {
      actor: group(this.actor.variables, netSpec),
      critics: [group(this.critics[0].variables, criticSpec), group(this.critics[1].variables, criticSpec)],
      alpha: fixed === null ? { optimizer: makeOptimizer(tf, { ...optimSpec, lr: this.cfg.alphaLr }, [this.logAlpha]), clipGradVal: null } : null,
      lr: new LrSchedule(netSpec.lr_scheduler_spec, optimSpec.lr),
      criticLr: new LrSchedule(criticSpec.lr_scheduler_spec, criticOptim.lr),
      alphaLr: new LrSchedule(netSpec.lr_scheduler_spec, this.cfg.alphaLr),
    };
    // SLM Lab: the actor net's loss_fn for both critics
    this.loss = makeTdLoss(tf, netSpec.loss_spec);
    const memCfg = { obsSize: this.obsSize, maxSize: mem.max_size ?? 0, batchSize: mem.batch_size ?? 0, useCer: mem.use_cer };
    const per = mem.name === 'PrioritizedReplay' ? { alpha: mem.alpha ?? 0, epsilon: mem.epsilon ?? 0 } : null;
    if (this.cfg.discrete) this.memory = per === null ? new Replay<Int32Array>(memCfg) : new PrioritizedReplay<Int32Array>({ ...memCfg, ...per });
    else this.memory = per === null ? new Replay(memCfg, continuousActions(d)) : new PrioritizedReplay({ ...memCfg, ...per }, continuousActions(d));
    const alg = spec.agent.algorithm;
    this.schedule = new OffPolicySchedule({ trainingStartStep: alg.training_start_step, trainingFrequency: alg.training_frequency, trainingIter: alg.training_iter, numEnvs: ctx.numEnvs });
    this.unitActions = new Float32Array(ctx.numEnvs * d);
  }

  /** A critic (or a target of one) with the critics' spec, input and output. */
  protected buildCritic(name: string, seed: number): NetModule {
    const out = this.cfg.discrete ? this.cfg.actionDim : 1;
    return buildNet(this.tf, this.criticSpec, this.criticIn, { name, seed, output: { size: out, activation: this.criticSpec.out_layer_activation } });
  }

  /** One step of both critics on a sampled batch (each algorithm's, through `fitCritics`). */
  protected abstract criticStep(batch: SacBatch): CriticStepResult;

  /** After each policy step (SAC: the target nets' update). */
  protected afterPolicyStep(_frame: number): void {}

  /** Nets besides the actor and critics, saved and restored with them (SAC's targets). */
  protected extraNets(): readonly NetModule[] {
    return [];
  }

  act(obs: Float32Array, mode: 'train' | 'eval'): ActionBatch {
    const rows = obs.length / this.obsSize;
    let actions: ActionBatch;
    if (mode === 'train' && this.frame < this.schedule.trainingStartStep) {
      actions = this.cfg.discrete ? Int32Array.from({ length: rows }, () => this.rng.int(this.cfg.actionDim)) : Float32Array.from({ length: rows * this.cfg.actionDim }, () => this.rng.uniform(-1, 1));
    } else {
      const tf = this.tf;
      const pT = tf.tidy(() => this.dist.params(tf, this.actor.forward(tf.tensor2d(obs, [rows, this.obsSize]))));
      const params = pT.dataSync() as Float32Array;
      pT.dispose();
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
    return { lr: this.optim.actor.optimizer.lr, entropy: this.lastEntropy, exploreVar: null };
  }

  getState(): AgentState {
    const groups = this.optimizerGroups();
    const tensors = Object.assign({}, ...this.nets().map((n) => n.getState())) as AgentState['tensors'];
    for (const [name, g] of groups) Object.assign(tensors, g.optimizer.getState(`optim/${name}`));
    const memState = this.memory.getState('memory');
    Object.assign(tensors, memState.tensors, { log_alpha: { shape: [1], data: Float32Array.from(this.logAlpha.dataSync()) } });
    const c = memState.counters;
    return {
      algorithm: this.algorithmName,
      tensors,
      meta: { rng: this.rng.getState(), frame: this.frame, trainSteps: this.trainSteps, memorySize: c.size, memorySeen: c.seenSize, memoryHead: c.head, lr: groups.map(([, g]) => g.optimizer.lr) },
    };
  }

  setState(state: AgentState): void {
    if (state.algorithm !== this.algorithmName) throw new Error(`checkpoint is for ${state.algorithm}, this agent runs ${this.algorithmName}`);
    const t = state.tensors;
    for (const n of this.nets()) n.setState(t);
    const groups = this.optimizerGroups();
    for (const [name, g] of groups) g.optimizer.setState(`optim/${name}`, t);
    const la = t['log_alpha'];
    if (la === undefined || la.data.length !== 1) throw new Error("checkpoint lacks tensor 'log_alpha' [1]");
    this.logAlpha.assign(this.tf.tensor1d(la.data));
    if (this.optim.alpha !== null) this.alpha = Math.exp(la.data[0]);
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
    if (Array.isArray(m.lr)) groups.forEach(([, g], i) => (g.optimizer.lr = (m.lr as readonly number[])[i] ?? g.optimizer.lr));
  }

  weights(): Readonly<Record<string, Float32Array>> {
    return Object.assign({}, ...this.nets().map((n) => n.namedWeights()), { log_alpha: Float32Array.from(this.logAlpha.dataSync()) }) as Record<string, Float32Array>;
  }

  dispose(): void {
    for (const n of this.nets()) n.dispose();
    for (const [, g] of this.optimizerGroups()) g.optimizer.dispose();
    this.logAlpha.dispose();
  }

  private nets(): NetModule[] {
    return [this.actor, ...this.critics, ...this.extraNets()];
  }

  private optimizerGroups(): Array<[string, ParamGroup]> {
    const groups: Array<[string, ParamGroup]> = [['actor', this.optim.actor], ['q1', this.optim.critics[0]], ['q2', this.optim.critics[1]]];
    if (this.optim.alpha !== null) groups.push(['alpha', this.optim.alpha]);
    return groups;
  }

  /** One due round: `training_iter` critic steps, policy / alpha steps (and `afterPolicyStep`) every `policy_delay`. */
  private train(frame: number): TrainStats {
    const tf = this.tf;
    this.optim.lr.apply([this.optim.actor.optimizer], frame);
    this.optim.criticLr.apply(this.optim.critics.map((g) => g.optimizer), frame);
    if (this.optim.alpha !== null) this.optim.alphaLr.apply([this.optim.alpha.optimizer], frame);
    this.annealAlpha(frame);
    const before = this.devChecks ? [this.actor, ...this.critics].map((n) => n.variables.map((v) => Float32Array.from(v.dataSync()))) : null;
    const sums = { critic: 0, policy: 0, alpha: 0 };
    let policySteps = 0;
    let gradNorms: number[] = [];
    const iters = this.schedule.trainingIter;
    for (let i = 0; i < iters; i++) {
      const sample = this.memory.sample(this.rng);
      const B = sample.size;
      const enc = this.cfg.discrete ? oneHot(sample.action, this.cfg.actionDim) : (sample.action as Float32Array);
      const batch: SacBatch = {
        size: B,
        obs: tf.tensor2d(sample.obs, [B, this.obsSize]),
        nextObs: tf.tensor2d(sample.nextObs, [B, this.obsSize]),
        action: tf.tensor2d(enc, [B, this.dist.encodedSize]),
        reward: tf.tensor1d(sample.reward),
        terminated: tf.tensor1d(sample.terminated),
      };
      try {
        const c = this.criticStep(batch);
        sums.critic += c.loss;
        gradNorms = c.gradNorms;
        this.trainSteps++;
        if (this.trainSteps % this.cfg.policyDelay === 0) {
          const p = this.policyStep(batch.obs, c.qAll);
          sums.policy += p.policyLoss;
          sums.alpha += p.alphaLoss;
          gradNorms = [...gradNorms, ...p.gradNorms];
          policySteps++;
          this.afterPolicyStep(frame);
        }
        if (c.qAll !== null) tf.dispose(c.qAll);
      } finally {
        tf.dispose([batch.obs, batch.nextObs, batch.action, batch.reward, batch.terminated]);
      }
    }
    const critic = sums.critic / iters;
    const policy = policySteps > 0 ? sums.policy / policySteps : 0;
    const alphaLoss = policySteps > 0 ? sums.alpha / policySteps : 0;
    const stats: TrainStats = {
      loss: critic + policy + alphaLoss,
      terms: { critic, policy, alpha_loss: alphaLoss, alpha: this.alpha, ...(this.lastEntropy === null ? {} : { entropy: this.lastEntropy }) },
      gradNorm: Math.hypot(...gradNorms),
      optSteps: iters * 2 + policySteps * (this.optim.alpha === null ? 1 : 2),
    };
    if (before !== null) this.devCheck(before, stats, gradNorms, policySteps > 0);
    return stats;
  }

  /**
   * One step of each critic on loss_spec(Q_i(s, a), y) with what `forward` computes inside the
   * gradient (y a constant); keeps Q_i(s, .) for the discrete policy loss and feeds PER |min Q_i - y|.
   */
  protected fitCritics(forward: () => CriticForward): CriticStepResult {
    const tf = this.tf;
    let kept: [Tensor2D, Tensor2D] | null = null;
    let absTd: Tensor1D | null = null;
    const prioritized = this.memory.prioritized;
    const r = minimizeGroups(
      tf,
      () => {
        const { qa, all, y } = forward();
        if (all !== null) kept = [tf.keep(all[0]), tf.keep(all[1])];
        if (prioritized) absTd = tf.keep(tf.abs(tf.sub(tf.minimum(qa[0], qa[1]), y)) as Tensor1D);
        return tf.add(this.loss(qa[0], y), this.loss(qa[1], y)) as Scalar;
      },
      this.optim.critics,
    );
    const td = absTd as Tensor1D | null;
    if (td !== null) {
      this.memory.updatePriorities(td.dataSync());
      td.dispose();
    }
    return { loss: r.loss, gradNorms: [...r.gradNorms], qAll: kept };
  }

  /** The policy step and, when alpha is tuned, the alpha step (then clamped); returns their losses and norms. */
  private policyStep(obs: Tensor2D, qAll: [Tensor2D, Tensor2D] | null): { policyLoss: number; alphaLoss: number; gradNorms: number[] } {
    const tf = this.tf;
    const B = obs.shape[0];
    const alpha = this.alpha;
    const noise = this.cfg.discrete ? null : this.normalNoise(B);
    let logProbKept: Tensor1D | null = null;
    let entropyKept: Scalar | null = null;
    const p = minimizeGroups(
      tf,
      () => {
        const params = this.dist.params(tf, this.actor.forward(obs, true));
        if (qAll !== null) {
          const { loss, entropy } = sacDiscretePolicyLoss(tf, params, qAll[0], qAll[1], alpha);
          entropyKept = tf.keep(entropy);
          return loss;
        }
        const { action, logProb } = (this.dist as SquashedGaussian).rsample(tf, params, tf.tensor2d(noise as Float32Array, [B, this.cfg.actionDim]));
        logProbKept = tf.keep(logProb);
        const sa = tf.concat([obs, action], 1);
        const q = (k: 0 | 1): Tensor1D => tf.reshape(this.critics[k].forward(sa), [B]) as Tensor1D;
        return sacContinuousPolicyLoss(tf, logProb, q(0), q(1), alpha);
      },
      [this.optim.actor],
    );
    const lp = logProbKept as Tensor1D | null;
    const ent = entropyKept as Scalar | null;
    const entropy = ent !== null ? ent.dataSync()[0] : -(lp as Tensor1D).mean().dataSync()[0];
    this.lastEntropy = entropy;
    let alphaLoss = 0;
    const norms = [...p.gradNorms];
    if (this.optim.alpha !== null) {
      const target = this.cfg.targetEntropy;
      const la = this.logAlpha as unknown as Tensor1D;
      const a = minimizeGroups(tf, () => (lp !== null ? sacContinuousAlphaLoss(tf, la, lp, target) : sacDiscreteAlphaLoss(tf, la, entropy, target)), [this.optim.alpha]);
      alphaLoss = a.loss;
      norms.push(...a.gradNorms);
      const clamped = Math.min(this.cfg.logAlphaMax, Math.max(this.cfg.logAlphaMin, this.logAlpha.dataSync()[0]));
      tf.tidy(() => this.logAlpha.assign(tf.tensor1d([clamped])));
      this.alpha = Math.exp(Math.fround(clamped));
    }
    tf.dispose([lp, ent].filter((t): t is Tensor1D | Scalar => t !== null));
    return { policyLoss: p.loss, alphaLoss, gradNorms: norms };
  }

  /** A fixed alpha annealed linearly to 0 over `alpha_anneal_frames` (SLM Lab's _anneal_alpha). */
  private annealAlpha(frame: number): void {
    const { fixedAlpha, alphaAnnealFrames } = this.cfg;
    if (fixedAlpha === null || alphaAnnealFrames <= 0) return;
    this.alpha = fixedAlpha * (1 - Math.min(frame / alphaAnnealFrames, 1));
  }

  /** Standard-normal noise [B * d] for the reparameterised samples, from the agent's generator. */
  protected normalNoise(B: number): Float32Array {
    const out = new Float32Array(B * this.cfg.actionDim);
    for (let i = 0; i < out.length; i++) out[i] = this.rng.normal();
    return out;
  }

  /** SLM Lab's dev_check_train_step on every net: finite loss, bounded applied gradients, parameters moved. */
  private devCheck(before: readonly (readonly Float32Array[])[], stats: TrainStats, gradNorms: readonly number[], actorStepped: boolean): void {
    const name = this.algorithmName;
    if (!Number.isFinite(stats.loss)) throw new AgentCheckError(`${name}: loss is ${stats.loss} after an update`);
    gradNorms.forEach((g, i) => {
      // the norms are the critics' (same spec), then the actor's and alpha's (agent.net)
      const problem = gradNormProblem(g, i < 2 ? this.criticSpec.clip_grad_val : this.spec.agent.net.clip_grad_val);
      if (problem !== null) throw new AgentCheckError(`${name}: ${problem}`);
    });
    [this.actor, ...this.critics].forEach((net, n) => {
      if (n === 0 && !actorStepped) return;
      const moved = net.variables.some((v, i) => {
        const now = v.dataSync();
        const was = before[n][i];
        for (let k = 0; k < now.length; k++) if (now[k] !== was[k]) return true;
        return false;
      });
      if (!moved) throw new AgentCheckError(`${name}: parameters of ${net.name} did not change in a training round`);
    });
  }
}
