/** Read a spec file: JSON or YAML (by extension), data only (no custom tags, no code). */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { checkData } from './data-guard.js';
import { SpecError } from './errors.js';

/** The parsed top level of a spec file (not yet validated). */
export function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a spec file' : `cannot read file (${code ?? String(e)})`;
    throw new SpecError({ file, keyPath: '', problem });
  }
  const ext = extname(file).toLowerCase();
  const json = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && text.trimStart().startsWith('{'));
  const data = json ? parseJson(text, file) : parseYaml(text, file);
  checkData(data, file);
  return data;
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(pos, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
}

export function parseJson(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : text.length;
    const { line, col } = lineCol(text, pos);
    const what = msg.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/^JSON\.parse: /, '');
    throw new SpecError({ file, keyPath: '', problem: `malformed JSON at line ${line}, column ${col}: ${what}` });
  }
  const dup = firstDuplicateKey(text);
  if (dup !== null) {
    throw new SpecError({ file, keyPath: dup.path, problem: `duplicate key '${dup.key}' at lines ${dup.firstLine} and ${dup.line} (JSON.parse would keep the last silently; remove one)` });
  }
  return value;
}

interface Frame {
  readonly keys: Map<string, number> | null;
  readonly path: string;
  expectKey: boolean;
  lastKey: string;
}

/**
 * The first key that appears twice in one object of a (valid) JSON text, with both lines, or null.
 * A single pass over the text: strings are skipped whole, objects and arrays tracked on a stack.
 */
export function firstDuplicateKey(text: string): { key: string; path: string; firstLine: number; line: number } | null {
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const seen = top.keys.get(key);
        if (seen !== undefined) return { key, path: top.path === '' ? key : `${top.path}.${key}`, firstLine: seen, line };
        top.keys.set(key, line);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      const name = top === undefined ? '' : top.keys ? top.lastKey : '[]';
      const path = top === undefined || top.path === '' ? name : name === '[]' ? `${top.path}[]` : `${top.path}.${name}`;
      stack.push({ keys: c === '{' ? new Map() : null, path, expectKey: c === '{', lastKey: '' });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return null;
}

export function parseYaml(text: string, file: string): unknown {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: true, strict: true, prettyErrors: true, customTags: [] });
  } catch (e) {
    // the parser recurses per nesting level: a hostile document can exhaust the stack
    throw new SpecError({ file, keyPath: '', problem: `malformed YAML: ${(e as Error).message.split('\n')[0]}` });
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const first = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecError({ file, keyPath: '', problem: `malformed YAML${at}: ${first}` });
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (e) {
    throw new SpecError({ file, keyPath: '', problem: `malformed YAML: ${(e as Error).message.split('\n')[0]}` });
  }
}
