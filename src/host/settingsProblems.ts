// Settings problems as a person fixes them: `file:line:column: what`. The loaders (agent/permissions,
// agent/sandbox, core/registry plugins) say `<file>: <what>`, naming either JSON's own error
// position or the setting's key path (`permissions.deny[2]`, `"sandbox.network"`); this finds that
// place in the file. Where it cannot (a file that cannot be read, a key not in the file), the
// problem is returned as it was.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import { positionAt } from '../core/script';

/** `file: what` → `file:line:column: what` when the place is known. */
export function locateProblem(problem: string): string {
  const split = fileAndRest(problem);
  if (!split) return problem;
  const { file, rest } = split;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return problem;
  }
  // The loaders parse without a BOM; an editor does not count it as a column either.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const offset = jsonErrorOffset(rest, text) ?? keyPathOffset(rest, text);
  if (offset === undefined) return problem;
  const { line, column } = positionAt(text, offset);
  return `${file}:${line}:${column}: ${rest}`;
}

/** The longest prefix before ": " that is an existing file (paths may hold ": " themselves). */
function fileAndRest(problem: string): { file: string; rest: string } | undefined {
  for (let i = problem.lastIndexOf(': '); i > 0; i = problem.lastIndexOf(': ', i - 1)) {
    const file = problem.slice(0, i);
    if (!path.isAbsolute(file)) continue;
    try {
      if (fs.statSync(file).isFile()) return { file, rest: problem.slice(i + 2) };
    } catch {
      // not this prefix
    }
  }
  return undefined;
}

/** V8's "… in JSON at position N" (end of input: the end of the text). */
function jsonErrorOffset(rest: string, text: string): number | undefined {
  if (!/not valid JSON|cannot be read/.test(rest)) return undefined;
  const m = /at position (\d+)/.exec(rest);
  if (m) return Number(m[1]);
  return /Unexpected end of JSON input/.test(rest) ? text.trimEnd().length : undefined;
}

/** `permissions.deny[2]: …` or `"sandbox.network" must …`: the key (or array entry) in the file. */
function keyPathOffset(rest: string, text: string): number | undefined {
  const m = /^(?:"([\w.]+)"|([\w.]+)(?:\[(\d+)\])?:)/.exec(rest);
  if (!m) return undefined;
  const keys = (m[1] ?? m[2]).split('.');
  const start = text.search(/\S/);
  if (start < 0) return undefined;
  let node: acorn.Expression;
  try {
    node = acorn.parseExpressionAt(text, start, { ecmaVersion: 'latest' });
  } catch {
    return undefined;
  }
  let at: number | undefined;
  for (const key of keys) {
    if (node.type !== 'ObjectExpression') return undefined;
    // JSON.parse keeps the last of duplicate keys.
    const prop = node.properties
      .filter((p): p is acorn.Property => p.type === 'Property' && p.key.type === 'Literal' && p.key.value === key)
      .pop();
    if (!prop) return undefined;
    at = prop.start;
    node = prop.value as acorn.Expression;
  }
  if (m[3] !== undefined) {
    const item = node.type === 'ArrayExpression' ? node.elements[Number(m[3])] : undefined;
    if (!item) return undefined;
    at = item.start;
  }
  return at;
}
