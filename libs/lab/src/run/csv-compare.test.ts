import { describe, expect, it } from 'vitest';
import { firstCsvDifference } from './csv-compare.js';

const A = 'frame,wall_time,return,fps\n100,0.5,10,200\n200,0.9,12,250\n';

describe('firstCsvDifference', () => {
  it('ignores wall_time and fps', () => {
    expect(firstCsvDifference(A, 'frame,wall_time,return,fps\n100,7.5,10,13\n200,9.9,12,20\n')).toBeNull();
  });

  it('names the first differing data row (1-based) and column with both values', () => {
    expect(firstCsvDifference(A, 'frame,wall_time,return,fps\n100,0.5,10,200\n200,0.9,12.5,250\n')).toEqual({ row: 2, column: 'return', recorded: '12', rerun: '12.5' });
  });

  it('reports different columns and different row counts', () => {
    expect(firstCsvDifference(A, 'frame,wall_time,loss,fps\n100,0.5,10,200\n')).toEqual({ row: 0, column: '(columns)', recorded: 'frame return', rerun: 'frame loss' });
    expect(firstCsvDifference(A, 'frame,wall_time,return,fps\n100,0.5,10,200\n')).toEqual({ row: 2, column: '(rows)', recorded: '2 rows', rerun: '1 rows' });
  });

  it('time columns may sit anywhere; the others must come in the same order', () => {
    expect(firstCsvDifference(A, 'wall_time,frame,fps,return\n1,100,2,10\n3,200,4,12\n')).toBeNull();
    expect(firstCsvDifference(A, 'return,frame\n10,100\n12,200\n')?.column).toBe('(columns)');
  });
});
