import { describe, expect, it } from 'vitest';
import { firstDuplicateKey, parseJson } from './parse-file.js';

describe('duplicate JSON keys are refused, naming both lines', () => {
  it('finds a duplicate at any depth with its key path', () => {
    const text = '{\n  "a": {\n    "env": {\n      "name": "x",\n      "max_frame": 1,\n      "max_frame": 2\n    }\n  }\n}';
    expect(firstDuplicateKey(text)).toEqual({ key: 'max_frame', path: 'a.env.max_frame', firstLine: 5, line: 6 });
    expect(() => parseJson(text, 'f.json')).toThrow("f.json: a.env.max_frame: duplicate key 'max_frame' at lines 5 and 6");
  });
  it('does not confuse values, array items, escaped quotes or keys of sibling objects with duplicates', () => {
    const text = '{"a": {"k": "k", "l": ["k", {"k": 1}, {"k": 2}]}, "b": {"k": "x\\"k\\""}, "c\\"": 1, "c": 2}';
    expect(firstDuplicateKey(text)).toBeNull();
    expect(parseJson(text, 'f.json')).toEqual(JSON.parse(text));
  });
  it('top-level duplicate spec names', () => {
    expect(firstDuplicateKey('{"s": {},\n"s": {}}')).toMatchObject({ key: 's', path: 's', firstLine: 1, line: 2 });
  });
});
