/**
 * SAC's compute on TensorFlow.js (any tfjs backend): the nets of the spec's `net.type`, the torch
 * optimizers, autodiff through the losses of losses/sac.ts. `SacAgent` (sac.ts) drives it. The
 * critics' net spec and whether they have target nets are options, so CrossQ's compute
 * (crossq.ts: critics from `agent.critic_net`, no targets, its own critic step) extends this one.
 */
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { NetSpec } from '@gymlab/spec';
import type { Tf } from '@gymlab/backends';
import { makeTdLoss, selectQ, type RegressionLoss } from '../losses/td.js';
import { sacContinuousAlphaLoss, sacContinuousPolicyLoss, sacContinuousTarget, sacDiscreteAlphaLoss, sacDiscretePolicyLoss, sacDiscreteTarget } from '../losses/sac.js';
import { buildNet } from '../net/factory.js';
import { updateTargetNet, type TargetUpdateConfig } from '../net/target.js';
import type { NetModule, TensorData } from '../net/types.js';
import { minimizeGroups, type ParamGroup } from '../optim/minimize.js';
import { makeOptimizer } from '../optim/optimizers.js';
import { Categorical, SquashedGaussian, type ActionDist } from '../policy/action-dist.js';
import { oneHot } from '../policy/distributions.js';
import type { SacConfig } from './sac-config.js';
import type { SacBatch, SacCompute, SacComputeInit, SacCriticResult, SacLrTarget, SacPolicyResult, SacStepResult } from './sac-compute.js';

/** The critics' net spec (default agent.net) and whether each critic has a target net (default true). */
export interface TfjsSacOptions {
  readonly criticNet?: NetSpec;
  readonly targetNets?: boolean;
}

/** What the critics' loss closure computes: Q_i(s, a) [B], Q_i(s, .) [B, n] when discrete, and the constant target y [B]. */
export interface CriticValues {
  readonly qa: readonly [Tensor1D, Tensor1D];
  readonly all: readonly [Tensor2D, Tensor2D] | null;
  readonly y: Tensor1D;
}

/** The tensors of the current batch that the policy step reuses after the critic step. */
interface Kept {
  readonly obs: Tensor2D;
  readonly qAll: [Tensor2D, Tensor2D] | null;
}

export class TfjsSacCompute implements SacCompute {
  readonly groups: readonly (readonly [string, SacLrTarget])[];
  readonly netNames: readonly [string, string, string];
  protected readonly tf: Tf;
  protected readonly cfg: SacConfig;
  protected readonly obsSize: number;
  protected readonly dist: ActionDist;
  protected readonly actor: NetModule;
  protected readonly critics: readonly [NetModule, NetModule];
  private readonly targets: readonly [NetModule, NetModule] | null;
  private readonly logAlphaVar: Variable;
  private readonly actorGroup: ParamGroup;
  private readonly criticGroups: readonly [ParamGroup, ParamGroup];
  private readonly alphaGroup: ParamGroup | null;
  private readonly loss: RegressionLoss;
  private kept: Kept | null = null;

  constructor({ ctx, cfg, seeds }: SacComputeInit, opts: TfjsSacOptions = {}) {
    const tf = ctx.backend.tf;
    const netSpec = ctx.spec.agent.net;
    const criticSpec = opts.criticNet ?? netSpec;
    const optimSpec = netSpec.optim_spec;
    const criticOptim = criticSpec.optim_spec;
    if (optimSpec === null || criticOptim === null) throw new Error('unreachable: checked by checkSacSpec');
    this.tf = tf;
    this.cfg = cfg;
    this.obsSize = ctx.observationSpace.size;
    const d = cfg.actionDim;
    this.dist = cfg.discrete ? new Categorical(d) : new SquashedGaussian({ d, logStd: null });
    const criticIn = cfg.discrete ? ctx.observationSpace.shape : [this.obsSize + d];
    const criticOut = cfg.discrete ? d : 1;
    const critic = (name: string, seed: number): NetModule => buildNet(tf, criticSpec, criticIn, { name, seed, output: { size: criticOut, activation: criticSpec.out_layer_activation } });
    this.actor = buildNet(tf, netSpec, ctx.observationSpace.shape, { name: 'net', seed: seeds[0], output: { size: this.dist.netOutputSize, activation: netSpec.out_layer_activation } });
    // Each target starts as its critic (same seed), as SLM Lab copies them.
    this.critics = [critic('q1_net', seeds[1]), critic('q2_net', seeds[2])];
    this.targets = opts.targetNets === false ? null : [critic('target_q1_net', seeds[1]), critic('target_q2_net', seeds[2])];
    this.netNames = [this.actor.name, this.critics[0].name, this.critics[1].name];
    const fixed = cfg.fixedAlpha;
    this.logAlphaVar = tf.variable(tf.tensor1d([fixed === null ? 0 : Math.log(fixed)]), true);
    // meta.distributed: the actor's and critics' optimizers are global (as SLM Lab's net optims; log-alpha's stays local)
    const sharing = ctx.sharing;
    const group = (variables: readonly Variable[], spec: NetSpec, optim: NonNullable<NetSpec['optim_spec']>): ParamGroup => {
      const optimizer = makeOptimizer(tf, optim, variables as Variable[]);
      return { optimizer: sharing === undefined ? optimizer : sharing.share(tf, optimizer), clipGradVal: spec.clip_grad_val };
    };
    this.actorGroup = group(this.actor.variables, netSpec, optimSpec);
    this.criticGroups = [group(this.critics[0].variables, criticSpec, criticOptim), group(this.critics[1].variables, criticSpec, criticOptim)];
    // the critics now hold the global parameters: each target starts as its critic again
    if (sharing !== undefined && this.targets !== null) for (const k of [0, 1] as const) this.targets[k].copyFrom(this.critics[k]);
    this.alphaGroup = fixed === null ? { optimizer: makeOptimizer(tf, { ...optimSpec, lr: cfg.alphaLr }, [this.logAlphaVar]), clipGradVal: null } : null;
    const groups: Array<[string, SacLrTarget]> = [['actor', this.actorGroup.optimizer], ['q1', this.criticGroups[0].optimizer], ['q2', this.criticGroups[1].optimizer]];
    if (this.alphaGroup !== null) groups.push(['alpha', this.alphaGroup.optimizer]);
    this.groups = groups;
    this.loss = makeTdLoss(tf, netSpec.loss_spec);
  }

  policyParams(obs: Float32Array, rows: number): Float32Array {
    const tf = this.tf;
    const pT = tf.tidy(() => this.dist.params(tf, this.actor.forward(tf.tensor2d(obs, [rows, this.obsSize]))));
    const params = pT.dataSync() as Float32Array;
    pT.dispose();
    return params;
  }

  criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult {
    const tf = this.tf;
    this.endStep();
    const B = batch.size;
    const obs = tf.tensor2d(batch.obs, [B, this.obsSize]);
    const action = this.actionTensor(batch);
    const y = tf.tidy(() => this.criticTargets(tf.tensor1d(batch.reward), tf.tensor1d(batch.terminated), tf.tensor2d(batch.nextObs, [B, this.obsSize]), nextNoise, alpha));
    try {
      return this.fitCritics(
        obs,
        () => {
          const c1 = this.criticValues(0, obs, action);
          const c2 = this.criticValues(1, obs, action);
          return { qa: [c1.qa, c2.qa], all: c1.all !== null && c2.all !== null ? [c1.all, c2.all] : null, y };
        },
        wantAbsTd,
      );
    } finally {
      tf.dispose([y, action]);
    }
  }

  /** The batch's actions as the critics take them [B, encodedSize]: one-hot (discrete) or in [-1, 1]. */
  protected actionTensor(batch: SacBatch): Tensor2D {
    const enc = this.cfg.discrete ? oneHot(batch.action, this.cfg.actionDim) : (batch.action as Float32Array);
    return this.tf.tensor2d(enc, [batch.size, this.dist.encodedSize]);
  }

  /**
   * One step of each critic on loss_spec(Q_i(s, a), y) with what `values` computes inside the
   * gradient (y a constant); keeps `obs` and Q_i(s, .) for the policy step, |min Q_i - y| when asked.
   */
  protected fitCritics(obs: Tensor2D, values: () => CriticValues, wantAbsTd: boolean): SacCriticResult {
    const tf = this.tf;
    let kept: [Tensor2D, Tensor2D] | null = null;
    let absTd: Tensor1D | null = null;
    try {
      const r = minimizeGroups(
        tf,
        () => {
          const { qa, all, y } = values();
          if (all !== null) kept = [tf.keep(all[0]), tf.keep(all[1])];
          if (wantAbsTd) absTd = tf.keep(tf.abs(tf.sub(tf.minimum(qa[0], qa[1]), y)) as Tensor1D);
          return tf.add(this.loss(qa[0], y), this.loss(qa[1], y)) as Scalar;
        },
        this.criticGroups,
      );
      const td = absTd as Tensor1D | null;
      const tdData = td === null ? null : (td.dataSync() as Float32Array);
      if (td !== null) td.dispose();
      this.kept = { obs, qAll: kept };
      return { loss: r.loss, gradNorms: [...r.gradNorms], absTd: tdData };
    } finally {
      if (this.kept === null) obs.dispose();
    }
  }

  /** y [B] from the target critics and the current policy at s', outside any gradient (inside a tidy). */
  private criticTargets(reward: Tensor1D, terminated: Tensor1D, nextObs: Tensor2D, noise: Float32Array | null, alpha: number): Tensor1D {
    const tf = this.tf;
    const { gamma, actionDim } = this.cfg;
    const B = reward.shape[0];
    const params = this.dist.params(tf, this.actor.forward(nextObs));
    const targets = this.targets;
    if (targets === null) throw new Error('unreachable: a compute without target nets has its own critic step');
    if (this.cfg.discrete) {
      return sacDiscreteTarget(tf, { reward, terminated, nextLogits: params, nextQ1: targets[0].forward(nextObs), nextQ2: targets[1].forward(nextObs), alpha, gamma });
    }
    const { action, logProb } = (this.dist as SquashedGaussian).rsample(tf, params, tf.tensor2d(noise as Float32Array, [B, actionDim]));
    const sa = tf.concat([nextObs, action], 1);
    const q = (k: 0 | 1): Tensor1D => tf.reshape(targets[k].forward(sa), [B]) as Tensor1D;
    return sacContinuousTarget(tf, { reward, terminated, nextQ1: q(0), nextQ2: q(1), nextLogProb: logProb, alpha, gamma });
  }

  /** Q_i(s, a) [B]: the action's column (discrete, by one-hot mask) or the critic at [s, a]; with Q_i(s, .) when discrete. */
  private criticValues(k: 0 | 1, obs: Tensor2D, action: Tensor2D): { qa: Tensor1D; all: Tensor2D | null } {
    const tf = this.tf;
    if (this.cfg.discrete) {
      const all = this.critics[k].forward(obs, true);
      return { qa: selectQ(tf, all, action), all };
    }
    return { qa: tf.reshape(this.critics[k].forward(tf.concat([obs, action], 1), true), [-1]) as Tensor1D, all: null };
  }

  policyStep(_batch: SacBatch, noise: Float32Array | null, alpha: number): SacPolicyResult {
    const tf = this.tf;
    if (this.kept === null) throw new Error('SacCompute.policyStep before criticStep');
    const { obs, qAll } = this.kept;
    const B = obs.shape[0];
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
      [this.actorGroup],
    );
    const lp = logProbKept as Tensor1D | null;
    const ent = entropyKept as Scalar | null;
    const entropy = ent !== null ? ent.dataSync()[0] : -(lp as Tensor1D).mean().dataSync()[0];
    const logProb = lp === null ? null : (lp.dataSync() as Float32Array);
    tf.dispose([lp, ent].filter((t): t is Tensor1D | Scalar => t !== null));
    return { loss: p.loss, gradNorms: [...p.gradNorms], logProb, entropy };
  }

  alphaStep(logProb: Float32Array | null, entropy: number): SacStepResult & { readonly logAlpha: number } {
    const tf = this.tf;
    if (this.alphaGroup === null) throw new Error('SacCompute.alphaStep with a fixed alpha');
    const target = this.cfg.targetEntropy;
    const la = this.logAlphaVar as unknown as Tensor1D;
    const a = minimizeGroups(tf, () => (logProb !== null ? sacContinuousAlphaLoss(tf, la, tf.tensor1d(logProb), target) : sacDiscreteAlphaLoss(tf, la, entropy, target)), [this.alphaGroup]);
    return { loss: a.loss, gradNorms: [...a.gradNorms], logAlpha: this.logAlpha() };
  }

  endStep(): void {
    if (this.kept === null) return;
    this.tf.dispose([this.kept.obs, ...(this.kept.qAll ?? [])]);
    this.kept = null;
  }

  logAlpha(): number {
    return this.logAlphaVar.dataSync()[0];
  }

  setLogAlpha(v: number): void {
    this.tf.tidy(() => this.logAlphaVar.assign(this.tf.tensor1d([v])));
  }

  updateTargets(cfg: TargetUpdateConfig, frame: number): void {
    const targets = this.targets;
    if (targets === null) return;
    for (const k of [0, 1] as const) updateTargetNet(this.critics[k], targets[k], cfg, frame);
  }

  /** The actor, the critics and their targets (if any), in checkpoint order. */
  private nets(): NetModule[] {
    return [this.actor, ...this.critics, ...(this.targets ?? [])];
  }

  getState(): Record<string, TensorData> {
    const tensors: Record<string, TensorData> = {};
    for (const n of this.nets()) Object.assign(tensors, n.getState());
    for (const [name, g] of this.paramGroups()) Object.assign(tensors, g.optimizer.getState(`optim/${name}`));
    return tensors;
  }

  setState(t: Readonly<Record<string, TensorData>>): void {
    for (const n of this.nets()) n.setState(t);
    for (const [name, g] of this.paramGroups()) g.optimizer.setState(`optim/${name}`, t);
  }

  netWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const n of this.nets()) Object.assign(out, n.namedWeights());
    return out;
  }

  snapshot(): Float32Array[][] {
    return [this.actor, ...this.critics].map((n) => n.variables.map((v) => Float32Array.from(v.dataSync())));
  }

  dispose(): void {
    this.endStep();
    for (const n of this.nets()) n.dispose();
    for (const [, g] of this.paramGroups()) g.optimizer.dispose();
    this.logAlphaVar.dispose();
  }

  private paramGroups(): Array<[string, ParamGroup]> {
    const groups: Array<[string, ParamGroup]> = [['actor', this.actorGroup], ['q1', this.criticGroups[0]], ['q2', this.criticGroups[1]]];
    if (this.alphaGroup !== null) groups.push(['alpha', this.alphaGroup]);
    return groups;
  }
}
