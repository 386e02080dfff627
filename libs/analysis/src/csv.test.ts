import { describe, expect, it } from 'vitest';
import { SESSION_COLUMNS } from './columns.js';
import type { SessionRow } from './columns.js';
import { CsvError, csvCell, parseCsv, tableToCsv, toCsv } from './csv.js';

describe('toCsv / parseCsv', () => {
  it('writes a header, one line per row, empty cells for null', () => {
    const text = toCsv([{ a: 1, b: null }, { a: 0.5, b: 2 }], ['a', 'b']);
    expect(text).toBe('a,b\n1,\n0.5,2\n');
  });

  it('round-trips numbers bit for bit', () => {
    const tricky = [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -0, NaN, Infinity, -Infinity, 123456789012345680000, 1e21, -2.5e-7];
    const rows = tricky.map((x, i) => ({ frame: i, v: x, n: null }));
    const back = parseCsv(toCsv(rows, ['frame', 'v', 'n']), ['frame', 'v', 'n']);
    expect(back.columns).toEqual(['frame', 'v', 'n']);
    back.rows.forEach((r, i) => {
      expect(Object.is(r.v, tricky[i])).toBe(true);
      expect(r.n).toBeNull();
      expect(r.frame).toBe(i);
    });
  });

  it('round-trips session rows with every column', () => {
    const row = Object.fromEntries(SESSION_COLUMNS.map((c, i) => [c, i % 3 === 0 ? null : i / 7])) as SessionRow;
    const back = parseCsv(toCsv([row, row], SESSION_COLUMNS), SESSION_COLUMNS);
    expect(back.rows).toEqual([row, row]);
  });

  it('accepts CRLF and trailing blank lines', () => {
    expect(parseCsv('x,y\r\n1,2\r\n\r\n').rows).toEqual([{ x: 1, y: 2 }]);
  });

  it('fails with one line naming the place', () => {
    expect(() => parseCsv('a,b\n1,oops\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n1,oops\n')).toThrow('parseCsv: line 2, column "b": "oops" is not a number (allowed: a number or an empty cell)');
    expect(() => parseCsv('a,b\n1\n')).toThrow('parseCsv: line 2: 1 cells, header has 2');
    expect(() => parseCsv('a,b\n1,2\n', ['a', 'frame'])).toThrow('parseCsv: line 1: missing column "frame" (header has: a, b)');
    expect(() => parseCsv('')).toThrow(/empty input/);
    expect(() => parseCsv('a,a\n')).toThrow(/duplicate column "a"/);
    expect(() => toCsv([], ['a,b'])).toThrow(CsvError);
  });
});

describe('tableToCsv / csvCell', () => {
  it('writes numbers as toCsv does, booleans as true/false, strings quoted only when needed (RFC 4180)', () => {
    const rows = [{ trial: 0, status: 'completed', stopped_early: false, lr: -0, hid: '[64,64]', note: 'say "hi"' }, { trial: 1, status: 'failed', stopped_early: true, lr: null }];
    const cols = ['trial', 'status', 'stopped_early', 'lr', 'hid', 'note'];
    expect(tableToCsv(rows, cols)).toBe('trial,status,stopped_early,lr,hid,note\n0,completed,false,-0,"[64,64]","say ""hi"""\n1,failed,true,,,\n');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(tableToCsv([], ['a,b'])).toBe('"a,b"\n');
  });

  it('gives the bytes of toCsv for numeric rows, which alone refuses other cells', () => {
    const rows = [{ a: 0.1 + 0.2, b: null }, { a: NaN, b: -Infinity }];
    expect(tableToCsv(rows, ['a', 'b'])).toBe(toCsv(rows, ['a', 'b']));
    expect(() => toCsv([{ a: 'x' as unknown as number }], ['a'])).toThrow('toCsv: cell value "x" is not a number or null');
  });
});
