/**
 * CSV, the one writer of every table gymlab saves. Numeric CSV (`toCsv` / `parseCsv`) is the
 * format of every metrics table: cells are numbers or empty (null), written with JavaScript's
 * shortest round-trip representation, so `parseCsv(toCsv(rows))` gives back bit-identical values
 * (including -0, NaN and ±Infinity). `tableToCsv` writes the same way tables that also hold strings
 * and booleans (experiment.csv). Pure: text in, text out; the lab writes the files.
 */

/** Malformed CSV input: the message is one line naming the line and column at fault. */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** A parsed table: the header's column names and one record per data line. */
export interface CsvTable<C extends string = string> {
  readonly columns: readonly string[];
  readonly rows: Record<C, number | null>[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/** A value of a table cell: a number, a string, a boolean, or empty (null or undefined). */
export type CsvCell = number | string | boolean | null | undefined;

/**
 * One CSV cell: empty for null or undefined; a number in JavaScript's shortest round-trip form
 * (`String(n)`, with `-0` kept); a boolean as `true` / `false`; a string as is, or quoted
 * (RFC 4180: in double quotes, each `"` doubled) when it holds a comma, a quote or a line break.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function numericCell(value: CsvCell): string {
  if (value !== null && value !== undefined && typeof value !== 'number') throw new CsvError(`toCsv: cell value ${JSON.stringify(value)} is not a number or null`);
  return csvCell(value);
}

/** The lines of a table: the header cells of `columns`, then one line per row (`cell` of each column's value), each ending with `\n`. */
function csvLines<C extends string, V>(rows: readonly Partial<Record<C, V>>[], columns: readonly C[], cell: (v: V | undefined) => string): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return lines.join('\n') + '\n';
}

/**
 * Write rows as CSV: a header line with `columns`, then one line per row with the row's value for
 * each column (a missing key or null is an empty cell). Lines end with `\n`, including the last.
 * Numeric: every column name is a plain identifier and every cell a number or null, so
 * {@link parseCsv} reads it back bit for bit.
 */
export function toCsv<C extends string>(rows: readonly Partial<Record<C, number | null>>[], columns: readonly C[]): string {
  for (const c of columns) {
    if (!NAME.test(c)) throw new CsvError(`toCsv: column name ${JSON.stringify(c)} is not a plain identifier`);
  }
  return csvLines(rows, columns, numericCell);
}

/**
 * Write a table with any {@link CsvCell} values (e.g. experiment.csv: numbers, statuses, flags,
 * hyperparameter values) as CSV: the header of `columns` and one line per row, every cell by
 * {@link csvCell}; every line ends with `\n`. For numeric rows it writes what {@link toCsv} writes.
 */
export function tableToCsv(rows: readonly Readonly<Record<string, CsvCell>>[], columns: readonly string[]): string {
  return csvLines(rows, columns, csvCell);
}

function parseCell(cell: string, line: number, column: string): number | null {
  const text = cell.trim();
  if (text === '') return null;
  const n = Number(text);
  if (Number.isNaN(n) && text !== 'NaN') {
    throw new CsvError(`parseCsv: line ${line}, column "${column}": "${text}" is not a number (allowed: a number or an empty cell)`);
  }
  return n;
}

/**
 * Parse numeric CSV written by {@link toCsv} (header line, then numeric or empty cells; `\r\n`
 * accepted; blank trailing lines ignored). With `columns`, every one of them must be in the header
 * and the rows are typed by them; extra header columns are kept.
 */
export function parseCsv(text: string): CsvTable;
export function parseCsv<C extends string>(text: string, columns: readonly C[]): CsvTable<C>;
export function parseCsv<C extends string>(text: string, columns?: readonly C[]): CsvTable<C> {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new CsvError('parseCsv: empty input (expected a header line)');
  const header = lines[0].split(',').map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new CsvError('parseCsv: line 1: empty column name in header');
    if (seen.has(h)) throw new CsvError(`parseCsv: line 1: duplicate column "${h}"`);
    seen.add(h);
  }
  for (const c of columns ?? []) {
    if (!seen.has(c)) throw new CsvError(`parseCsv: line 1: missing column "${c}" (header has: ${header.join(', ')})`);
  }
  const rows: Record<C, number | null>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== header.length) {
      throw new CsvError(`parseCsv: line ${i + 1}: ${cells.length} cells, header has ${header.length}`);
    }
    const row: Record<string, number | null> = {};
    header.forEach((h, j) => {
      row[h] = parseCell(cells[j], i + 1, h);
    });
    rows.push(row as Record<C, number | null>);
  }
  return { columns: header, rows };
}
