/**
 * Comparing session CSVs cell by cell, the time columns (`wall_time`, `fps`) aside: what
 * `gymlab reproduce` reports is the first cell that differs, with both values.
 */

/** Columns that measure the machine, not the computation. */
export const TIME_COLUMNS: readonly string[] = ['wall_time', 'fps'];

export interface CsvDifference {
  /** Data row, 1-based (the header is row 0); the row count when one file is longer. */
  readonly row: number;
  /** Column name; `(columns)` when the headers differ, `(rows)` when the row counts differ. */
  readonly column: string;
  readonly recorded: string;
  readonly rerun: string;
}

function parse(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',');
  return { header, rows: lines.slice(1).map((l) => l.split(',')) };
}

/** The first difference between two CSV texts outside `ignore` columns; null when none. */
export function firstCsvDifference(recorded: string, rerun: string, ignore: readonly string[] = TIME_COLUMNS): CsvDifference | null {
  const a = parse(recorded);
  const b = parse(rerun);
  const columns = a.header.filter((c) => !ignore.includes(c));
  const otherColumns = b.header.filter((c) => !ignore.includes(c));
  if (columns.join(',') !== otherColumns.join(',')) return { row: 0, column: '(columns)', recorded: columns.join(' '), rerun: otherColumns.join(' ') };
  const ia = columns.map((c) => a.header.indexOf(c));
  const ib = columns.map((c) => b.header.indexOf(c));
  const n = Math.min(a.rows.length, b.rows.length);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < columns.length; k++) {
      const x = a.rows[r][ia[k]] ?? '';
      const y = b.rows[r][ib[k]] ?? '';
      if (x !== y) return { row: r + 1, column: columns[k], recorded: x, rerun: y };
    }
  }
  if (a.rows.length !== b.rows.length) return { row: n + 1, column: '(rows)', recorded: `${a.rows.length} rows`, rerun: `${b.rows.length} rows` };
  return null;
}
