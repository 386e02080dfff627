/**
 * torch.optim.Adam / AdamW on a FastMlp's flat buffers: one call into WebAssembly per step, the
 * moments in the net's two slots. Bias corrections are computed in f64 as torch does in Python,
 * the update in f32: m <- lerp(m, g, 1 - b1); v <- b2 v + (1 - b2) g^2;
 * p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 */
import { FastConfigError, type FastMlp } from './mlp.js';

export interface FastAdamConfig {
  readonly lr: number;
  /** Default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** Default 1e-8. */
  readonly eps?: number;
  /** Default 0 (Adam) or 0.01 (AdamW). */
  readonly weightDecay?: number;
  /** AdamW's decoupled weight decay; default false (Adam's L2 added to the gradient). */
  readonly decoupled?: boolean;
}

export class FastAdam {
  /** The learning rate of the next step; a schedule may set it. */
  lr: number;
  private t = 0;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly wd: number;
  private readonly decoupled: boolean;

  constructor(
    private readonly net: FastMlp,
    config: FastAdamConfig,
  ) {
    const [b1, b2] = config.betas ?? [0.9, 0.999];
    this.decoupled = config.decoupled ?? false;
    this.lr = config.lr;
    this.b1 = b1;
    this.b2 = b2;
    this.eps = config.eps ?? 1e-8;
    this.wd = config.weightDecay ?? (this.decoupled ? 0.01 : 0);
    const bad = (ok: boolean, what: string): void => {
      if (!ok) throw new FastConfigError(what);
    };
    bad(Number.isFinite(this.lr) && this.lr >= 0, `Adam lr must be a finite number >= 0, got ${this.lr}`);
    bad(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1, `Adam betas must be in [0, 1), got [${b1}, ${b2}]`);
    bad(this.eps >= 0, `Adam eps must be >= 0, got ${this.eps}`);
    bad(Number.isFinite(this.wd) && this.wd >= 0, `Adam weight decay must be >= 0, got ${this.wd}`);
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.t;
  }

  /** Restores the step count (the moments live in the net's state buffer). */
  set stepCount(t: number) {
    this.t = t;
  }

  /** One update of the net's parameters from its gradients. */
  step(): void {
    this.t += 1;
    const { net } = this;
    const p = net.stateOffset;
    const n = net.size;
    const stepSize = this.lr / (1 - this.b1 ** this.t);
    const sqrtBc2 = Math.sqrt(1 - this.b2 ** this.t);
    net.arena.k.adam(p, p + 4 * n, p + 8 * n, p + 12 * n, n, this.lr, this.b1, this.b2, this.eps, stepSize, sqrtBc2, this.wd, this.decoupled ? 1 : 0);
  }
}
