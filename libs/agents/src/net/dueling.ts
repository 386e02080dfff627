/**
 * SLM Lab's DuelingMLPNet (Wang et al. 2016, "Dueling Network Architectures"): a fully connected
 * body, then a state-value stream V(s) [B, 1] and an advantage stream A(s, .) [B, n], combined as
 * Q(s, a) = V(s) + A(s, a) - mean_a' A(s, a'). Every Linear (body, V, A, in that order) is
 * initialised like MLPNet's: torch's default, or `init_fn` with the gain of the hidden activation.
 * Weight names: `${name}/l${i}/kernel|bias` (body), `${name}/v/...`, `${name}/adv/...`.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, InitFn } from '@gymlab/spec';
import { calculateGain, initLinear } from './init.js';
import { applyDense, denseLayer, type DenseLayer } from './mlp.js';
import { NamedVars, NamedVarsNet, type NamedVar } from './named-vars.js';

export interface DuelingMlpConfig {
  readonly inputSize: number;
  /** Hidden layer widths (at least one, as SLM Lab). */
  readonly hidden: readonly number[];
  readonly activation: Activation;
  /** Number of actions: the width of the advantage stream and of Q. */
  readonly numActions: number;
  readonly initFn: InitFn | null;
  /** Gain of `init_fn`; default calculateGain(activation). */
  readonly gain?: number;
  readonly seed: number;
  readonly name: string;
}

export class DuelingMlp extends NamedVarsNet {
  private readonly tf: Tf;
  private readonly body: readonly DenseLayer[];
  private readonly v: DenseLayer;
  private readonly adv: DenseLayer;

  constructor(tf: Tf, cfg: DuelingMlpConfig) {
    if (cfg.hidden.length === 0) throw new Error(`DuelingMlp ${cfg.name}: needs at least one hidden layer`);
    const rng = new Rng(cfg.seed);
    const gain = cfg.gain ?? calculateGain(cfg.activation);
    const named: NamedVar[] = [];
    const layer = (fanIn: number, fanOut: number, act: Activation | null, at: string): DenseLayer => {
      const l = denseLayer(tf, fanIn, fanOut, initLinear(fanIn, fanOut, cfg.initFn, gain, rng), act);
      named.push({ name: `${cfg.name}/${at}/kernel`, v: l.kernel, trainable: true }, { name: `${cfg.name}/${at}/bias`, v: l.bias, trainable: true });
      return l;
    };
    const sizes = [cfg.inputSize, ...cfg.hidden];
    const body = cfg.hidden.map((w, i) => layer(sizes[i], w, cfg.activation, `l${i}`));
    const last = sizes[sizes.length - 1];
    const v = layer(last, 1, null, 'v');
    const adv = layer(last, cfg.numActions, null, 'adv');
    super(cfg.name, cfg.numActions, new NamedVars(tf, cfg.name, named));
    this.tf = tf;
    this.body = body;
    this.v = v;
    this.adv = adv;
  }

  /** [B, inputSize] -> Q [B, numActions]. */
  forward(x: Tensor): Tensor2D {
    const tf = this.tf;
    let h = x as Tensor2D;
    for (const l of this.body) h = applyDense(tf, l, h);
    const v = applyDense(tf, this.v, h);
    const a = applyDense(tf, this.adv, h);
    return duelingQ(tf, v, a);
  }
}

/** Q = V + A - mean over actions of A; V [B, 1], A [B, n] -> [B, n] (SLM Lab's calc_q_value_logits). */
export function duelingQ(tf: Tf, v: Tensor2D, a: Tensor2D): Tensor2D {
  return tf.sub(tf.add(v, a), tf.mean(a, 1, true)) as Tensor2D;
}
