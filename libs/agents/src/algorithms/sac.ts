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
 */
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { ActionBatch } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { makeTdLoss, selectQ, type RegressionLoss } from '../losses/td.js';
import { sacContinuousAlphaLoss, sacContinuousPolicyLoss, sacContinuousTarget, sacDiscreteAlphaLoss, sacDiscretePolicyLoss, sacDiscreteTarget } from '../losses/sac.js';
import { PrioritizedReplay } from '../memory/prioritized.js';
import { continuousActions, Replay } from '../memory/replay.js';
import { buildNet } from '../net/factory.js';
import { targetUpdateOf, updateTargetNet, type TargetUpdateConfig } from '../net/target.js';
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
import { checkSacSpec, sacConfigOf, type SacConfig } from './sac-config.js';

type AnyReplay = Replay<Int32Array> | Replay<Float32Array>;

interface SacOptimizers {
  readonly actor: ParamGroup;
  readonly critics: readonly [ParamGroup, ParamGroup];
  readonly alpha: ParamGroup | null;
  readonly lr: LrSchedule;
  readonly alphaLr: LrSchedule;
}

export class SacAgent implements Agent {
  readonly algorithmName = 'SoftActorCritic';
  private readonly tf: Tf;
  private readonly cfg: SacConfig;
  private readonly spec: Spec;
  private readonly devChecks: boolean;
  private readonly rng: Rng;
  private readonly dist: ActionDist;
  private readonly rescaler: ActionRescaler | null;
  private readonly actor: NetModule;
  private readonly critics: readonly [NetModule, NetModule];
  private readonly targets: readonly [NetModule, NetModule];
  private readonly logAlpha: Variable;
  /** The optimizer groups (actor, twin critics, log-alpha unless alpha is fixed) and their lr schedules. */
  private readonly optim: SacOptimizers;
  private readonly loss: RegressionLoss;
  private readonly memory: AnyReplay;
  private readonly schedule: OffPolicySchedule;
  private readonly targetUpdate: TargetUpdateConfig;
  private readonly obsSize: number;
  private readonly unitActions: Float32Array;
  private alpha: number;
  /** Env frames seen by the last `update` (SLM Lab's frame at act time). */
  private frame = 0;
  /** Critic steps so far (policy_delay counts them). */
  private trainSteps = 0;
  private lastEntropy: number | null = null;

  constructor(ctx: AgentContext) {
    checkSacSpec(ctx.spec, ctx.observationSpace, ctx.actionSpace);
    const spec = ctx.spec;
    const { memory: mem, net: netSpec } = spec.agent;
    const optimSpec = netSpec.optim_spec;
    if (optimSpec === null) throw new Error('unreachable: checked above');
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
    const criticIn = this.cfg.discrete ? ctx.observationSpace.shape : [this.obsSize + d];
    const criticOut = this.cfg.discrete ? d : 1;
    const critic = (name: string, seed: number): NetModule => buildNet(tf, netSpec, criticIn, { name, seed, output: { size: criticOut, activation: netSpec.out_layer_activation } });
    this.actor = buildNet(tf, netSpec, ctx.observationSpace.shape, { name: 'net', seed: seeds[0], output: { size: this.dist.netOutputSize, activation: netSpec.out_layer_activation } });
    // Each target starts as its critic (same seed), as SLM Lab copies them.
    this.critics = [critic('q1_net', seeds[1]), critic('q2_net', seeds[2])];
    this.targets = [critic('target_q1_net', seeds[1]), critic('target_q2_net', seeds[2])];
    const clip = netSpec.clip_grad_val;
    const fixed = this.cfg.fixedAlpha;
    this.logAlpha = tf.variable(tf.tensor1d([fixed === null ? 0 : Math.log(fixed)]), true);
    this.alpha = fixed ?? 1;
    // meta.distributed: the actor's and critics' optimizers are global (as SLM Lab's net optims; log-alpha's stays local)
    const sharing = ctx.sharing;
    const group = (variables: readonly Variable[]): ParamGroup => {
      const optimizer = makeOptimizer(tf, optimSpec, variables as Variable[]);
      return { optimizer: sharing === undefined ? optimizer : sharing.share(tf, optimizer), clipGradVal: clip };
    };
    this.optim = {
      actor: group(this.actor.variables),
      critics: [group(this.critics[0].variables), group(this.critics[1].variables)],
      alpha: fixed === null ? { optimizer: makeOptimizer(tf, { ...optimSpec, lr: this.cfg.alphaLr }, [this.logAlpha]), clipGradVal: null } : null,
      lr: new LrSchedule(netSpec.lr_scheduler_spec, optimSpec.lr),
      alphaLr: new LrSchedule(netSpec.lr_scheduler_spec, this.cfg.alphaLr),
    };
    // the critics now hold the global parameters: each target starts as its critic again
    if (sharing !== undefined) for (const k of [0, 1] as const) this.targets[k].copyFrom(this.critics[k]);
    this.loss = makeTdLoss(tf, netSpec.loss_spec);
    const memCfg = { obsSize: this.obsSize, maxSize: mem.max_size ?? 0, batchSize: mem.batch_size ?? 0, useCer: mem.use_cer };
    const per = mem.name === 'PrioritizedReplay' ? { alpha: mem.alpha ?? 0, epsilon: mem.epsilon ?? 0 } : null;
    if (this.cfg.discrete) this.memory = per === null ? new Replay<Int32Array>(memCfg) : new PrioritizedReplay<Int32Array>({ ...memCfg, ...per });
    else this.memory = per === null ? new Replay(memCfg, continuousActions(d)) : new PrioritizedReplay({ ...memCfg, ...per }, continuousActions(d));
    const alg = spec.agent.algorithm;
    this.schedule = new OffPolicySchedule({ trainingStartStep: alg.training_start_step, trainingFrequency: alg.training_frequency, trainingIter: alg.training_iter, numEnvs: ctx.numEnvs });
    this.targetUpdate = targetUpdateOf(netSpec, ctx.numEnvs);
    this.unitActions = new Float32Array(ctx.numEnvs * d);
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
    const tensors = { ...this.actor.getState(), ...this.critics[0].getState(), ...this.critics[1].getState(), ...this.targets[0].getState(), ...this.targets[1].getState() };
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
    for (const n of [this.actor, ...this.critics, ...this.targets]) n.setState(t);
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
    return { ...this.actor.namedWeights(), ...this.critics[0].namedWeights(), ...this.critics[1].namedWeights(), ...this.targets[0].namedWeights(), ...this.targets[1].namedWeights(), log_alpha: Float32Array.from(this.logAlpha.dataSync()) };
  }

  dispose(): void {
    for (const n of [this.actor, ...this.critics, ...this.targets]) n.dispose();
    for (const [, g] of this.optimizerGroups()) g.optimizer.dispose();
    this.logAlpha.dispose();
  }

  private optimizerGroups(): Array<[string, ParamGroup]> {
    const groups: Array<[string, ParamGroup]> = [['actor', this.optim.actor], ['q1', this.optim.critics[0]], ['q2', this.optim.critics[1]]];
    if (this.optim.alpha !== null) groups.push(['alpha', this.optim.alpha]);
    return groups;
  }

  /** One due round: `training_iter` critic steps, policy / alpha / target steps every `policy_delay`. */
  private train(frame: number): TrainStats {
    const tf = this.tf;
    this.optim.lr.apply([this.optim.actor.optimizer, ...this.optim.critics.map((g) => g.optimizer)], frame);
    if (this.optim.alpha !== null) this.optim.alphaLr.apply([this.optim.alpha.optimizer], frame);
    this.annealAlpha(frame);
    const before = this.devChecks ? [this.actor, ...this.critics].map((n) => n.variables.map((v) => Float32Array.from(v.dataSync()))) : null;
    const sums = { critic: 0, policy: 0, alpha: 0 };
    let policySteps = 0;
    let gradNorms: number[] = [];
    const iters = this.schedule.trainingIter;
    for (let i = 0; i < iters; i++) {
      const batch = this.memory.sample(this.rng);
      const B = batch.size;
      const enc = this.cfg.discrete ? oneHot(batch.action, this.cfg.actionDim) : (batch.action as Float32Array);
      const obs = tf.tensor2d(batch.obs, [B, this.obsSize]);
      const nextObs = tf.tensor2d(batch.nextObs, [B, this.obsSize]);
      const action = tf.tensor2d(enc, [B, this.dist.encodedSize]);
      const reward = tf.tensor1d(batch.reward);
      const terminated = tf.tensor1d(batch.terminated);
      try {
        const y = this.criticTargets(reward, terminated, nextObs, B);
        const c = this.criticStep(obs, action, y);
        y.dispose();
        sums.critic += c.loss;
        gradNorms = c.gradNorms;
        this.trainSteps++;
        if (this.trainSteps % this.cfg.policyDelay === 0) {
          const p = this.policyStep(obs, c.qAll);
          sums.policy += p.policyLoss;
          sums.alpha += p.alphaLoss;
          gradNorms = [...gradNorms, ...p.gradNorms];
          policySteps++;
          for (const k of [0, 1] as const) updateTargetNet(this.critics[k], this.targets[k], this.targetUpdate, frame);
        }
        if (c.qAll !== null) tf.dispose(c.qAll);
      } finally {
        tf.dispose([obs, nextObs, action, reward, terminated]);
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

  /** Q_i(s, a) [B]: the action's column (discrete, by one-hot mask) or the critic at [s, a]; with Q_i(s, .) when discrete. */
  private criticValues(k: 0 | 1, obs: Tensor2D, action: Tensor2D, training: boolean): { qa: Tensor1D; all: Tensor2D | null } {
    const tf = this.tf;
    if (this.cfg.discrete) {
      const all = this.critics[k].forward(obs, training);
      return { qa: selectQ(tf, all, action), all };
    }
    return { qa: tf.reshape(this.critics[k].forward(tf.concat([obs, action], 1), training), [-1]) as Tensor1D, all: null };
  }

  /** One step of each critic on loss_spec(Q_i(s, a), y); keeps Q_i(s, .) for the discrete policy loss and feeds PER. */
  private criticStep(obs: Tensor2D, action: Tensor2D, y: Tensor1D): { loss: number; gradNorms: number[]; qAll: [Tensor2D, Tensor2D] | null } {
    const tf = this.tf;
    let kept: [Tensor2D, Tensor2D] | null = null;
    let absTd: Tensor1D | null = null;
    const prioritized = this.memory.prioritized;
    const r = minimizeGroups(
      tf,
      () => {
        const c1 = this.criticValues(0, obs, action, true);
        const c2 = this.criticValues(1, obs, action, true);
        if (c1.all !== null && c2.all !== null) kept = [tf.keep(c1.all), tf.keep(c2.all)];
        if (prioritized) absTd = tf.keep(tf.abs(tf.sub(tf.minimum(c1.qa, c2.qa), y)) as Tensor1D);
        return tf.add(this.loss(c1.qa, y), this.loss(c2.qa, y)) as Scalar;
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
  private normalNoise(B: number): Float32Array {
    const out = new Float32Array(B * this.cfg.actionDim);
    for (let i = 0; i < out.length; i++) out[i] = this.rng.normal();
    return out;
  }

  /** SLM Lab's dev_check_train_step on every net: finite loss, bounded applied gradients, parameters moved. */
  private devCheck(before: readonly (readonly Float32Array[])[], stats: TrainStats, gradNorms: readonly number[], actorStepped: boolean): void {
    if (!Number.isFinite(stats.loss)) throw new AgentCheckError(`SoftActorCritic: loss is ${stats.loss} after an update`);
    for (const g of gradNorms) {
      const problem = gradNormProblem(g, this.spec.agent.net.clip_grad_val);
      if (problem !== null) throw new AgentCheckError(`SoftActorCritic: ${problem}`);
    }
    [this.actor, ...this.critics].forEach((net, n) => {
      if (n === 0 && !actorStepped) return;
      const moved = net.variables.some((v, i) => {
        const now = v.dataSync();
        const was = before[n][i];
        for (let k = 0; k < now.length; k++) if (now[k] !== was[k]) return true;
        return false;
      });
      if (!moved) throw new AgentCheckError(`SoftActorCritic: parameters of ${net.name} did not change in a training round`);
    });
  }
}

/** The registry entry. */
export const sacEntry = {
  check: checkSacSpec,
  create: (ctx: AgentContext): Agent => new SacAgent(ctx),
};
