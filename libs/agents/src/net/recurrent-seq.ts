/**
 * The last `seq_len` observations of each sub-env, as a RecurrentNet reads them ([seq_len, obs]
 * per row, oldest first). Where SLM Lab gets them: v4 inferred, from `agent.net.seq_len`, a frame
 * stack of mode 'stack' on the vector env (env/base.py `_infer_frame_attr`, vec_env.py
 * `VecFrameStack`): at reset every row's stack is zeros with the first observation last; each
 * step shifts the stack by one frame and writes the new observation last, and a sub-env whose
 * episode just ended has its stack zeroed first, so a new episode starts from zeros + its first
 * observation (never frames of the previous episode). v5.3 dropped that wrapper: its agents hand
 * RecurrentNet one state per row and the net repeats it seq_len times (`RecurrentNet.forward`
 * accepts [B, obs] and does the same).
 *
 * An algorithm wires it as follows (one instance per vector env; eval episodes need their own):
 * - `act(obs)`: `const x = seqs.push(obs)` and feed `x` ([rows, seq_len * obs]) to the net; keep it
 *   as the transition's state;
 * - `update(transitions)`: `seqs.peekNext(transitions.nextObs)` is the state s_{t+1} (for
 *   bootstrapping), then `seqs.endEpisodes(transitions.terminated, transitions.truncated)`;
 * - memories store the windows as the states (rows of seq_len * obs floats).
 */

export class ObsSequences {
  /** [rows, seqLen, obsSize]: the windows of the last `push`. */
  private readonly windows: Float32Array;
  /** Rows whose next `push` starts a new episode (zeros + the observation). */
  private readonly fresh: Uint8Array;

  constructor(
    readonly rows: number,
    readonly obsSize: number,
    readonly seqLen: number,
  ) {
    for (const [k, v] of [['rows', rows], ['obsSize', obsSize], ['seqLen', seqLen]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`ObsSequences: ${k} must be a positive integer, got ${v}`);
    }
    this.windows = new Float32Array(rows * seqLen * obsSize);
    this.fresh = new Uint8Array(rows).fill(1);
  }

  /** Floats per row of a window (seqLen * obsSize). */
  get windowSize(): number {
    return this.seqLen * this.obsSize;
  }

  /**
   * Appends this step's observations ([rows * obsSize], what the policy acts on) and returns a copy
   * of every row's window [rows * seqLen * obsSize]. Call once per env step.
   */
  push(obs: Float32Array): Float32Array {
    this.checkRows(obs, 'push');
    const w = this.windowSize;
    const f = this.obsSize;
    for (let r = 0; r < this.rows; r++) {
      const row = this.windows.subarray(r * w, (r + 1) * w);
      if (this.fresh[r] === 1) {
        row.fill(0);
        this.fresh[r] = 0;
      } else {
        row.copyWithin(0, f);
      }
      row.set(obs.subarray(r * f, (r + 1) * f), w - f);
    }
    return this.windows.slice();
  }

  /** The windows of the next states: each row's window shifted by one with `nextObs` last. Changes nothing. */
  peekNext(nextObs: Float32Array): Float32Array {
    this.checkRows(nextObs, 'peekNext');
    const w = this.windowSize;
    const f = this.obsSize;
    const out = new Float32Array(this.windows.length);
    for (let r = 0; r < this.rows; r++) {
      out.set(this.windows.subarray(r * w + f, (r + 1) * w), r * w);
      out.set(nextObs.subarray(r * f, (r + 1) * f), (r + 1) * w - f);
    }
    return out;
  }

  /** Rows whose episode ended at this step (terminated or truncated) start from zeros at their next `push`. */
  endEpisodes(terminated: ArrayLike<number>, truncated: ArrayLike<number>): void {
    for (let r = 0; r < this.rows; r++) if (terminated[r] || truncated[r]) this.fresh[r] = 1;
  }

  /** Every row starts a new episode at the next `push` (after an env reset). */
  reset(): void {
    this.fresh.fill(1);
  }

  private checkRows(obs: Float32Array, what: string): void {
    if (obs.length !== this.rows * this.obsSize) {
      throw new Error(`ObsSequences.${what}: expected ${this.rows} rows of ${this.obsSize} floats, got ${obs.length} floats`);
    }
  }
}
