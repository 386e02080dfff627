/**
 * Reading a session's TensorBoard folder back in tests: every record's CRCs are checked by
 * `readEventDir`; these helpers group what it returns and compare it with the session's CSVs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SESSION_COLUMNS, parseCsv } from '@gymlab/analysis';
import type { SessionRow } from '@gymlab/analysis';
import { readEventDir, scalarsByTag } from '@gymlab/tensorboard';
import type { ScalarPoint, TbEvent, TbHistogram, TbSessionEndInfo, TbSessionStartInfo } from '@gymlab/tensorboard';

export interface SessionTb {
  readonly files: string[];
  readonly events: TbEvent[];
  readonly scalars: Map<string, ScalarPoint[]>;
  readonly histograms: Map<string, { step: number; histo: TbHistogram }[]>;
  readonly start: TbSessionStartInfo[];
  readonly end: TbSessionEndInfo[];
}

export function readSessionTb(sessionFolder: string): SessionTb {
  const folder = join(sessionFolder, 'tensorboard');
  const files = readdirSync(folder);
  const events = readEventDir(folder);
  const histograms = new Map<string, { step: number; histo: TbHistogram }[]>();
  const start: TbSessionStartInfo[] = [];
  const end: TbSessionEndInfo[] = [];
  for (const e of events) {
    for (const v of e.summary ?? []) {
      if (v.histo) {
        const list = histograms.get(v.tag) ?? [];
        list.push({ step: e.step, histo: v.histo });
        histograms.set(v.tag, list);
      }
      const hp = v.metadata?.hparams;
      if (hp?.sessionStartInfo) start.push(hp.sessionStartInfo);
      if (hp?.sessionEndInfo) end.push(hp.sessionEndInfo);
    }
  }
  return { files, events, scalars: scalarsByTag(events), histograms, start, end };
}

export function readSessionRows(sessionFolder: string): SessionRow[] {
  return parseCsv(readFileSync(join(sessionFolder, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows;
}

/** Points `{step: frame, value: float32(x)}` of a CSV column, null cells left out. */
export function expectedPoints<C extends string>(rows: readonly Record<C | 'frame', number | null>[], column: C): { step: number; value: number }[] {
  return rows.filter((r) => r[column] !== null).map((r) => ({ step: r.frame ?? NaN, value: Math.fround(r[column] ?? NaN) }));
}

/** Every metrics.csv column but `frame` is a scalar tag holding exactly the column's non-null cells (float32). */
export function expectScalarsMatchRows(tb: SessionTb, rows: readonly SessionRow[]): void {
  for (const c of SESSION_COLUMNS) {
    if (c === 'frame') continue;
    const got = (tb.scalars.get(c) ?? []).map((p) => ({ step: p.step, value: p.value }));
    expect(got, c).toEqual(expectedPoints(rows, c));
  }
}

/** Sum of a float32 array in double precision, in order. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}
