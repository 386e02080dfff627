/**
 * The DQN family's nets on TensorFlow.js: any net type of the factory, any backend. Targets are
 * computed outside the gradient (`qTargets`); Q(s, a) is selected with a one-hot mask (the wasm
 * backend has no gradient for gather); one step is one `variableGrads`, global-norm clipping on the
 * flat gradient and the optimizer's update, with a single data read of [loss, norm, |td| per row].
 */
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { makeTdLoss, qTargets, selectQ, type RegressionLoss } from '../losses/td.js';
import type { ReplayBatch } from '../memory/replay.js';
import { buildNet } from '../net/factory.js';
import { targetUpdateOf, updateTargetNet, type TargetUpdateConfig } from '../net/target.js';
import type { NetModule, TensorData } from '../net/types.js';
import { clipFlatByNorm } from '../optim/minimize.js';
import { flatten, makeOptimizer, type Optimizer } from '../optim/optimizers.js';
import type { DqnCompute, DqnComputeOptions, DqnStepResult } from './dqn-compute.js';

interface BatchTensors {
  readonly obs: Tensor2D;
  readonly nextObs: Tensor2D;
  readonly mask: Tensor2D;
  readonly reward: Tensor1D;
  readonly terminated: Tensor1D;
}

export class TfjsDqnCompute implements DqnCompute {
  private readonly tf: Tf;
  private readonly net: NetModule;
  private readonly targetNet: NetModule | null;
  private readonly targetUpdate: TargetUpdateConfig;
  private readonly double: boolean;
  readonly optimizer: Optimizer;
  private readonly loss: RegressionLoss;
  private readonly obsSize: number;
  private readonly numActions: number;
  private readonly gamma: number;
  private readonly clipGradVal: number | null;
  private readonly maskBuf: Float32Array;
  private batch: BatchTensors | null = null;
  private targets: Tensor1D | null = null;

  constructor({ ctx, spec, netSeed, variant, numActions, batchSize }: DqnComputeOptions) {
    const netSpec = spec.agent.net;
    this.tf = ctx.backend.tf;
    this.obsSize = ctx.observationSpace.size;
    this.numActions = numActions;
    this.gamma = spec.agent.algorithm.gamma;
    this.clipGradVal = netSpec.clip_grad_val;
    // The online and target nets start equal (same seed), as SLM Lab's target net copies the online one.
    const build = (name: string): NetModule =>
      buildNet(this.tf, netSpec, ctx.observationSpace.shape, { name, seed: netSeed, output: { size: numActions, activation: netSpec.out_layer_activation } });
    this.net = build('net');
    this.targetNet = variant.targetNet ? build('target_net') : null;
    this.targetUpdate = targetUpdateOf(netSpec, ctx.numEnvs);
    this.double = variant.double;
    const optimSpec = netSpec.optim_spec;
    if (optimSpec === null) throw new Error('unreachable: checkDqnSpec requires optim_spec');
    this.optimizer = makeOptimizer(this.tf, optimSpec, this.net.variables as Variable[]);
    this.loss = makeTdLoss(this.tf, netSpec.loss_spec);
    this.maskBuf = new Float32Array(batchSize * numActions);
  }

  qValues(obs: Float32Array, rows: number): ArrayLike<number> {
    const tf = this.tf;
    const qT = tf.tidy(() => this.net.forward(tf.tensor2d(obs, [rows, this.obsSize])));
    const q = qT.dataSync();
    qT.dispose();
    return q;
  }

  loadBatch(b: ReplayBatch): void {
    const tf = this.tf;
    const B = b.size;
    const A = this.numActions;
    this.maskBuf.fill(0);
    for (let i = 0; i < B; i++) this.maskBuf[i * A + b.action[i]] = 1;
    this.batch = {
      obs: tf.tensor2d(b.obs, [B, this.obsSize]),
      nextObs: tf.tensor2d(b.nextObs, [B, this.obsSize]),
      mask: tf.tensor2d(this.maskBuf, [B, A]),
      reward: tf.tensor1d(b.reward),
      terminated: tf.tensor1d(b.terminated),
    };
  }

  computeTargets(): void {
    const tf = this.tf;
    const b = this.loaded();
    this.targets?.dispose();
    this.targets = tf.tidy(() => {
      const evalNet = this.targetNet ?? this.net;
      const nextQEval = evalNet.forward(b.nextObs);
      const nextQSelect = this.double ? this.net.forward(b.nextObs) : null;
      return qTargets(tf, { reward: b.reward, terminated: b.terminated, nextQEval, nextQSelect, gamma: this.gamma });
    });
  }

  step(wantAbsTd: boolean): DqnStepResult {
    const tf = this.tf;
    const b = this.loaded();
    const targets = this.targets;
    if (targets === null) throw new Error('TfjsDqnCompute.step before computeTargets');
    const vars = this.net.variables as Variable[];
    let absTd: Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const qa = selectQ(tf, this.net.forward(b.obs, true), b.mask);
      absTd = tf.keep(tf.abs(tf.sub(qa, targets)) as Tensor1D);
      return this.loss(qa, targets);
    }, vars);
    const td = absTd as Tensor1D | null;
    let data: Float32Array;
    try {
      if (td === null) throw new Error('unreachable: loss closure did not run');
      const packed = tf.tidy(() => {
        const { norm, clipped } = clipFlatByNorm(tf, flatten(tf, vars.map((v) => grads[v.name])), this.clipGradVal);
        this.optimizer.applyFlat(clipped);
        return tf.concat([tf.reshape(value, [1]), tf.reshape(norm, [1]), td]);
      });
      data = packed.dataSync() as Float32Array;
      packed.dispose();
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
      if (td !== null) td.dispose();
    }
    return { loss: data[0], gradNorm: data[1], absTd: wantAbsTd ? data.subarray(2) : null };
  }

  releaseBatch(): void {
    this.targets?.dispose();
    this.targets = null;
    if (this.batch !== null) {
      const b = this.batch;
      this.tf.dispose([b.obs, b.nextObs, b.mask, b.reward, b.terminated]);
    }
    this.batch = null;
  }

  updateTarget(frame: number): void {
    if (this.targetNet !== null) updateTargetNet(this.net, this.targetNet, this.targetUpdate, frame);
  }

  snapshot(): Float32Array {
    const parts = this.net.variables.map((v) => v.dataSync() as Float32Array);
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  getState(): Record<string, TensorData> {
    return { ...this.net.getState(), ...(this.targetNet?.getState() ?? {}), ...this.optimizer.getState('optim') };
  }

  setState(tensors: Readonly<Record<string, TensorData>>): void {
    this.net.setState(tensors);
    this.targetNet?.setState(tensors);
    this.optimizer.setState('optim', tensors);
  }

  weights(): Record<string, Float32Array> {
    return { ...this.net.namedWeights(), ...(this.targetNet?.namedWeights() ?? {}) };
  }

  dispose(): void {
    this.releaseBatch();
    this.net.dispose();
    this.targetNet?.dispose();
    this.optimizer.dispose();
  }

  private loaded(): BatchTensors {
    if (this.batch === null) throw new Error('TfjsDqnCompute: no batch loaded');
    return this.batch;
  }
}

export const tfjsDqnCompute = (opts: DqnComputeOptions): DqnCompute => new TfjsDqnCompute(opts);
