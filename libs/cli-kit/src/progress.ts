/**
 * Progress on stderr: a live line redrawn in place on a TTY (frames, frames/s, return MA, time
 * left), plain periodic lines otherwise.
 */

/** What a running session reports (the lab's `ProgressSample` has these fields). */
export interface ProgressSample {
  readonly session: number;
  readonly frame: number;
  /** The session's own frames/s since its previous report; null before it has one. */
  readonly fps: number | null;
  readonly returnMa: number | null;
  readonly evalReturn: number | null;
}

export interface ProgressOptions {
  readonly sessions: number;
  readonly maxFrame: number;
  readonly stream: NodeJS.WriteStream;
  /** Milliseconds between plain lines (non-TTY). */
  readonly plainEveryMs?: number;
  readonly now?: () => number;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtNum = (n: number | null): string => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(1));

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(ss).padStart(2, '0')}s` : `${ss}s`;
}

export class ProgressReporter {
  private readonly latest = new Map<number, ProgressSample>();
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.start = this.now();
  }

  /** One line summarising all sessions. */
  line(): string {
    const all = [...this.latest.values()];
    const frames = all.reduce((a, p) => a + p.frame, 0);
    const total = this.opts.sessions * this.opts.maxFrame;
    const elapsed = (this.now() - this.start) / 1000;
    // throughput: the sessions' own frames/s since their previous row (excludes worker start-up)
    const fpss = all.map((p) => p.fps).filter((x): x is number => x !== null && Number.isFinite(x));
    const rate = fpss.length === all.length && fpss.length > 0 ? fpss.reduce((a, b) => a + b, 0) : elapsed > 0 ? frames / elapsed : 0;
    const mas = all.map((p) => p.returnMa).filter((x): x is number => x !== null);
    const ma = mas.length ? mas.reduce((a, b) => a + b, 0) / mas.length : null;
    const evals = all.map((p) => p.evalReturn).filter((x): x is number => x !== null);
    const evalPart = evals.length ? `  eval ${fmtNum(evals.reduce((a, b) => a + b, 0) / evals.length)}` : '';
    const left = rate > 0 ? (total - frames) / rate : NaN;
    const pct = total > 0 ? Math.min(100, (100 * frames) / total) : 0;
    return `frames ${fmtInt(frames)}/${fmtInt(total)} (${pct.toFixed(0)}%)  ${fmtInt(rate)} f/s  return_ma ${fmtNum(ma)}${evalPart}  left ${formatDuration(left)}`;
  }

  update(p: ProgressSample): void {
    this.latest.set(p.session, p);
    const t = this.now();
    const tty = this.opts.stream.isTTY === true;
    const every = tty ? 250 : (this.opts.plainEveryMs ?? 5000);
    if (t - this.lastDraw < every) return;
    this.lastDraw = t;
    if (tty) {
      this.opts.stream.write(`\r\x1b[2K${this.line()}`);
      this.drawn = true;
    } else {
      this.opts.stream.write(`${this.line()}\n`);
    }
  }

  /** Ends the live line so later output starts on a fresh line. */
  finish(): void {
    if (this.drawn) this.opts.stream.write('\n');
    this.drawn = false;
  }
}
