/**
 * What the SAC family's computes on the fast CPU path share (sac-fast.ts: SAC with target critics;
 * crossq-fast.ts: CrossQ's batch-renormalised critics without targets): the actor and the two
 * critics as nets that backpropagate themselves, each with its optimizer and clip_grad_val; log
 * alpha with a scalar Adam; acting; the policy step (continuous: through the critics' input
 * gradient, the critics in evaluation mode; discrete: expectations with the critic step's Q(s, .));
 * the alpha step. Losses and their gradients come from losses/sac-grad.ts. A subclass builds the
 * nets and does the critic step, target updates and checkpoint tensors.
 */
import type { OptimSpec } from '@gymlab/spec';
import { sacAlphaLossGrad, sacDiscreteAlphaLossGrad, sacDiscretePolicyLossGrad, sacPolicyLossGrad, squashedSample, squashedSampleBackward } from '../losses/sac-grad.js';
import { takeTensor } from '../net/fast-mlp.js';
import type { TargetUpdateConfig } from '../net/target.js';
import type { TensorData } from '../net/types.js';
import type { SacConfig } from './sac-config.js';
import type { SacBatch, SacCompute, SacCriticResult, SacLrTarget, SacPolicyResult, SacStepResult } from './sac-compute.js';

/** A net of the fast path (FastMlp, FastNormNet): buffers preallocated, forward and backward in place. */
export interface FastNet {
  /** Write the batch here, [rows * inputSize]. */
  readonly input: Float32Array;
  /** dL/d(output), written before `backward`. */
  readonly outputGrad: Float32Array;
  /** dL/d(input) after `backward(rows, true)`. */
  readonly inputGrad: Float32Array;
  /** The output [rows * outputSize]; `training` matters to nets with batch norms. */
  forward(rows: number, training?: boolean): Float32Array;
  /** `weightGrads` false: only the input gradient is needed (a net may still compute its own gradients). */
  backward(rows: number, inputGrad?: boolean, weightGrads?: boolean): void;
  gradNorm(): number;
  clipGradNorm(maxNorm: number): number;
}

/** A net with its optimizer and clip_grad_val. */
export interface FastTrained<N extends FastNet> {
  readonly net: N;
  /** FastAdam or FastNormNetAdam: an lr schedule sets lr; a checkpoint restores the step count. */
  readonly opt: { lr: number; stepCount: number; step(): void };
  readonly clip: number | null;
}

/** A net's two optimizer slots (Adam's m and v) as arrays: views, or copies with `commit` writing them back. */
export interface SlotAccess<N> {
  slots(net: N): readonly [Float32Array, Float32Array];
  commit?(net: N, slots: readonly [Float32Array, Float32Array]): void;
}

/** Backward from `outputGrad`, clip_grad_val, one optimizer step; the norm before clipping. */
export function fastStep(t: FastTrained<FastNet>, rows: number): number {
  t.net.backward(rows);
  const norm = t.clip === null ? t.net.gradNorm() : t.net.clipGradNorm(t.clip);
  t.opt.step();
  return norm;
}

/** |min(q1, q2) - y| [B], the PER priorities' TD errors. */
export function absTdOf(q1: Float32Array, q2: Float32Array, y: Float32Array, B: number): Float32Array {
  return Float32Array.from({ length: B }, (_, i) => Math.abs(Math.min(q1[i], q2[i]) - y[i]));
}

/** torch.optim.Adam / AdamW on one scalar (log_alpha), in f32 as the flat-buffer kernel does it. */
export class ScalarAdam implements SacLrTarget {
  stepCount = 0;
  m = 0;
  v = 0;
  /** betas, eps, weight decay, AdamW (decoupled) or Adam (L2). */
  private readonly h: { readonly betas: readonly [number, number]; readonly eps: number; readonly wd: number; readonly decoupled: boolean };

  constructor(
    public lr: number,
    o: OptimSpec,
  ) {
    const decoupled = o.name === 'AdamW';
    this.h = { betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, wd: o.weight_decay ?? (decoupled ? 0.01 : 0), decoupled };
  }

  /** The parameter after one step from gradient `g`. */
  step(p0: number, g0: number): number {
    const f = Math.fround;
    const { betas: [b1, b2], eps, wd, decoupled } = this.h;
    this.stepCount += 1;
    const t = this.stepCount;
    const p = decoupled ? f(p0 * f(1 - this.lr * wd)) : f(p0);
    const g = decoupled ? f(g0) : f(g0 + f(wd * p));
    this.m = f(this.m + f(f(1 - b1) * f(g - this.m)));
    this.v = f(f(b2 * this.v) + f(f(1 - b2) * f(g * g)));
    const denom = f(f(Math.sqrt(this.v) / Math.sqrt(1 - b2 ** t)) + eps);
    return f(p - f(f(this.lr / (1 - b1 ** t)) * f(this.m / denom)));
  }

  /** `optim/alpha/step|m|v`, [1] each. */
  tensors(): Record<string, TensorData> {
    const one = (v: number): TensorData => ({ shape: [1], data: Float32Array.of(v) });
    return { 'optim/alpha/step': one(this.stepCount), 'optim/alpha/m': one(this.m), 'optim/alpha/v': one(this.v) };
  }

  /** Restores `tensors()` (AgentConfigError naming `who` and the key when one is missing). */
  restore(t: Readonly<Record<string, TensorData>>, who: string): void {
    const one = new Float32Array(1);
    const take = (key: string): number => {
      takeTensor(t, key, one, who);
      return one[0];
    };
    this.stepCount = take('optim/alpha/step');
    this.m = take('optim/alpha/m');
    this.v = take('optim/alpha/v');
  }
}

/** The nets and sizes a fast SAC-family compute is made of. */
export interface FastSacParts<N extends FastNet> {
  readonly cfg: SacConfig;
  readonly obsSize: number;
  readonly actor: FastTrained<N>;
  readonly critics: readonly [FastTrained<N>, FastTrained<N>];
  /** The optimizer spec log alpha's Adam takes its betas, eps and weight decay from (agent.net's). */
  readonly alphaOptim: OptimSpec;
  readonly maxBatch: number;
}

export abstract class FastSacBase<N extends FastNet> implements SacCompute {
  readonly groups: readonly (readonly [string, SacLrTarget])[];
  readonly netNames = ['net', 'q1_net', 'q2_net'] as const;
  protected readonly cfg: SacConfig;
  protected readonly obsSize: number;
  /** Action dimensions (continuous) or the number of actions (discrete). */
  protected readonly d: number;
  protected readonly discrete: boolean;
  protected readonly actor: FastTrained<N>;
  protected readonly critics: readonly [FastTrained<N>, FastTrained<N>];
  protected readonly alphaOpt: ScalarAdam | null;
  protected la: number;
  // Per-batch scratch [maxBatch * ...]
  protected readonly act: Float32Array;
  protected readonly logp: Float32Array;
  protected readonly y: Float32Array;
  protected readonly dq: readonly [Float32Array, Float32Array];
  private readonly dAct: Float32Array;
  /** Discrete: Q_1(s, .), Q_2(s, .) of the last critic step [maxBatch * n] each, for the policy loss. */
  protected readonly qAll: readonly [Float32Array, Float32Array];

  constructor(p: FastSacParts<N>) {
    const { cfg, maxBatch } = p;
    this.cfg = cfg;
    [this.actor, this.critics] = [p.actor, p.critics];
    this.obsSize = p.obsSize;
    this.d = cfg.actionDim;
    this.discrete = cfg.discrete;
    this.la = cfg.fixedAlpha === null ? 0 : Math.fround(Math.log(cfg.fixedAlpha));
    this.alphaOpt = cfg.fixedAlpha === null ? new ScalarAdam(cfg.alphaLr, p.alphaOptim) : null;
    const groups: Array<[string, SacLrTarget]> = [['actor', this.actor.opt], ['q1', this.critics[0].opt], ['q2', this.critics[1].opt]];
    if (this.alphaOpt !== null) groups.push(['alpha', this.alphaOpt]);
    this.groups = groups;
    const n = this.d;
    this.act = new Float32Array(maxBatch * n);
    this.logp = new Float32Array(maxBatch);
    this.y = new Float32Array(maxBatch);
    this.dq = [new Float32Array(maxBatch), new Float32Array(maxBatch)];
    this.dAct = new Float32Array(maxBatch * n);
    this.qAll = this.discrete ? [new Float32Array(maxBatch * n), new Float32Array(maxBatch * n)] : [new Float32Array(0), new Float32Array(0)];
  }

  abstract criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult;
  abstract updateTargets(cfg: TargetUpdateConfig, frame: number): void;
  abstract getState(): Record<string, TensorData>;
  abstract setState(t: Readonly<Record<string, TensorData>>): void;
  abstract netWeights(): Record<string, Float32Array>;
  abstract snapshot(): Float32Array[][];

  policyParams(obs: Float32Array, rows: number): Float32Array {
    const pi = this.actor.net;
    pi.input.set(obs.subarray(0, rows * this.obsSize));
    const params = pi.forward(rows).slice();
    if (this.discrete) return params; // logits
    // SquashedGaussian's params: means, then log-scales clamped as DiagGaussian.params does
    const d = this.d;
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) params[i * 2 * d + d + j] = Math.min(Math.max(params[i * 2 * d + d + j], -20), 2);
    return params;
  }

  /** [s, a] rows into a critic's input `x` from row `from`. */
  protected fillInput(x: Float32Array, obs: Float32Array, action: Float32Array, B: number, from = 0): void {
    const D = this.obsSize;
    const d = this.d;
    for (let i = 0; i < B; i++) {
      x.set(obs.subarray(i * D, (i + 1) * D), (from + i) * (D + d));
      x.set(action.subarray(i * d, (i + 1) * d), (from + i) * (D + d) + D);
    }
  }

  /** The actor's squashed sample at `obs` with `noise`: actions into `act`, log-probs into `logp`; returns the outputs. */
  protected sample(obs: Float32Array, noise: Float32Array, B: number): Float32Array {
    const out = this.actorOutput(obs, B);
    squashedSample(out, noise, B, this.d, this.act, this.logp);
    return out;
  }

  /** The actor's outputs (logits, or means and raw log-scales) at `obs` [B rows]. */
  protected actorOutput(obs: Float32Array, B: number): Float32Array {
    const pi = this.actor.net;
    pi.input.set(obs.subarray(0, B * this.obsSize));
    return pi.forward(B);
  }

  policyStep(batch: SacBatch, noise: Float32Array | null, alpha: number): SacPolicyResult {
    const B = batch.size;
    const pi = this.actor.net;
    if (this.discrete) {
      const { loss, entropy } = sacDiscretePolicyLossGrad(this.actorOutput(batch.obs, B), this.qAll[0], this.qAll[1], alpha, B, this.d, pi.outputGrad);
      return { loss, gradNorms: [fastStep(this.actor, B)], logProb: null, entropy };
    }
    const D = this.obsSize;
    const d = this.d;
    const out = this.sample(batch.obs, noise as Float32Array, B);
    // the critics in evaluation mode at (s, a~); their input gradients reach the actions
    const q = this.critics.map((c) => {
      this.fillInput(c.net.input, batch.obs, this.act, B);
      return c.net.forward(B, false);
    });
    const loss = sacPolicyLossGrad(this.logp, q[0], q[1], alpha, B, this.dq[0], this.dq[1]);
    this.dAct.fill(0, 0, B * d);
    this.critics.forEach((c, k) => {
      c.net.outputGrad.set(this.dq[k].subarray(0, B));
      // only the actions' gradient: the critics' own gradients were stepped in the critic step
      c.net.backward(B, true, false);
      const gx = c.net.inputGrad;
      for (let i = 0; i < B; i++) for (let j = 0; j < d; j++) this.dAct[i * d + j] += gx[i * (D + d) + D + j];
    });
    squashedSampleBackward(out, noise as Float32Array, this.act, this.dAct, alpha / B, B, d, pi.outputGrad);
    const norm = fastStep(this.actor, B);
    let lpSum = 0;
    for (let i = 0; i < B; i++) lpSum += this.logp[i];
    return { loss, gradNorms: [norm], logProb: this.logp.slice(0, B), entropy: -lpSum / B };
  }

  alphaStep(logProb: Float32Array | null, entropy: number): SacStepResult & { readonly logAlpha: number } {
    if (this.alphaOpt === null) throw new Error('SacCompute.alphaStep with a fixed alpha');
    const target = this.cfg.targetEntropy;
    const { loss, grad } = logProb === null ? sacDiscreteAlphaLossGrad(this.la, entropy, target) : sacAlphaLossGrad(this.la, logProb, target);
    this.la = this.alphaOpt.step(this.la, grad);
    return { loss, gradNorms: [Math.abs(grad)], logAlpha: this.la };
  }

  endStep(): void {}

  logAlpha(): number {
    return this.la;
  }

  setLogAlpha(v: number): void {
    this.la = Math.fround(v);
  }

  dispose(): void {}

  /** The actor and the critics with their optimizer groups' names, in checkpoint order. */
  protected trainedGroups(): Array<[string, FastTrained<N>]> {
    return [['actor', this.actor], ['q1', this.critics[0]], ['q2', this.critics[1]]];
  }

  /** `optim/<group>/step|m|v` of the actor's and critics' optimizers, then log alpha's. */
  protected optimTensors(access: SlotAccess<N>): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const [name, t] of this.trainedGroups()) {
      out[`optim/${name}/step`] = { shape: [1], data: Float32Array.of(t.opt.stepCount) };
      access.slots(t.net).forEach((s, j) => (out[`optim/${name}/${j === 0 ? 'm' : 'v'}`] = { shape: [s.length], data: s.slice() }));
    }
    if (this.alphaOpt !== null) Object.assign(out, this.alphaOpt.tensors());
    return out;
  }

  /** Restores `optimTensors`' tensors (AgentConfigError naming `who` and the key when one is missing or misfit). */
  protected restoreOptim(t: Readonly<Record<string, TensorData>>, who: string, access: SlotAccess<N>): void {
    const one = new Float32Array(1);
    for (const [name, tr] of this.trainedGroups()) {
      takeTensor(t, `optim/${name}/step`, one, who);
      tr.opt.stepCount = one[0];
      const slots = access.slots(tr.net);
      slots.forEach((s, j) => takeTensor(t, `optim/${name}/${j === 0 ? 'm' : 'v'}`, s, who));
      access.commit?.(tr.net, slots);
    }
    this.alphaOpt?.restore(t, who);
  }

  /** Discrete critic step's pieces: Q_k(s, a) by index into `qa`, Q_k(s, .) kept; dL/dQ_k into `outputGrad` at the taken actions (rows beyond B zeroed up to `rows`). */
  protected discreteCriticGrad(k: 0 | 1, q: Float32Array, action: Int32Array, B: number, rows: number, qa: Float32Array, lossOf: (qa: Float32Array, dq: Float32Array) => number): number {
    const n = this.d;
    this.qAll[k].set(q.subarray(0, B * n));
    for (let i = 0; i < B; i++) qa[i] = q[i * n + action[i]];
    const dq = this.dq[k];
    const loss = lossOf(qa, dq);
    const g = this.critics[k].net.outputGrad;
    g.fill(0, 0, rows * n);
    for (let i = 0; i < B; i++) g[i * n + action[i]] = dq[i];
    return loss;
  }
}
