/**
 * Spec errors: one line naming the file, the key path inside it, what is wrong, what is allowed
 * and (for misspellings) the nearest valid key.
 */
export interface SpecErrorInit {
  readonly file: string;
  /** Dotted path inside the file, starting with the spec name (`ppo_cartpole.agent.algorithm.gama`); '' for the whole file. */
  readonly keyPath: string;
  /** What is wrong, without file or path (`unknown key; allowed: ...`). */
  readonly problem: string;
  /** Nearest valid key or value, when there is one. */
  readonly suggestion?: string | null;
}

export class SpecError extends Error {
  readonly file: string;
  readonly keyPath: string;
  readonly problem: string;
  readonly suggestion: string | null;

  constructor(init: SpecErrorInit) {
    const where = init.keyPath === '' ? init.file : `${init.file}: ${init.keyPath}`;
    const hint = init.suggestion ? ` (did you mean '${init.suggestion}'?)` : '';
    super(`${where}: ${init.problem}${hint}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'SpecError';
    this.file = init.file;
    this.keyPath = init.keyPath;
    this.problem = init.problem;
    this.suggestion = init.suggestion ?? null;
  }
}

/**
 * A spec with `${name}` placeholders that no `-s name=VALUE` fills (SLM Lab's `${env}`,
 * `${max_frame}` templates): not wrong, but not runnable until given. `variables` lists them all.
 */
export class MissingVariablesError extends SpecError {
  constructor(
    init: SpecErrorInit,
    readonly variables: readonly string[],
  ) {
    super(init);
    this.name = 'MissingVariablesError';
  }
}

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `word` by edit distance (case-insensitive), if it is close enough to be
 * a plausible misspelling: distance <= max(2, a third of the word's length).
 */
export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  if (best === null) return null;
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDist <= limit ? best : null;
}

/** Join a key path: `a.b.c`, with list indices as `a.b[0]`. */
export function joinPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}
