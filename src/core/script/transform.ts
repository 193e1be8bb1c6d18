// Compiles a checked script into the text the sandbox evaluates. The engine has no
// AsyncLocalStorage in QuickJS, so the code itself reports which async "context" is running:
// each async function opens a context (h.e) and closes it (h.x); every await announces the
// suspension (h.s) and the resumption (h.r). Cache keys of agent() calls depend on it.
//
// Edits are pure insertions on the original offsets and never add a newline, so line N of the
// user's file is line N of the compiled text (only columns on line 1 shift, by WRAP_PREFIX).
import type * as acorn from 'acorn';
import { walk } from './walk';

/**
 * The body runs as an async *method* named `workflow`: a named function expression would bind
 * `workflow` inside the body and shadow the `workflow()` primitive, a method binds nothing.
 * `.call(void 0)` keeps top-level `this` undefined, as in a module.
 */
export const WRAP_PREFIX =
  "(function (__wRg$h) { return ({ async workflow() { 'use strict'; const __wRg$c = __wRg$h.e(); ";
export const WRAP_SUFFIX = '\n} }).workflow.call(void 0); })';

const OPEN_CONTEXT = ' const __wRg$c = __wRg$h.e(); try {';
const CLOSE_CONTEXT = '} finally { __wRg$h.x(__wRg$c); } ';

interface Insertion {
  pos: number;
  text: string;
  /** Closing text (at a node's end) goes before opening text at the same offset. */
  close: boolean;
  /** AST depth of the node the text belongs to: outer opens first, inner closes first. */
  depth: number;
  seq: number;
}

/** Offset just past the `=>` of an arrow function, scanning from `from` and skipping comments. */
function arrowTokenEnd(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    if (src.startsWith('=>', i)) return i + 2;
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      i = end === -1 ? src.length : end + 2;
    } else i++;
  }
  throw new Error(`internal: no '=>' after offset ${from}`);
}

function collectInsertions(src: string, program: acorn.Program): Insertion[] {
  const out: Insertion[] = [];
  const add = (pos: number, text: string, close: boolean, depth: number) =>
    out.push({ pos, text, close, depth, seq: out.length });
  walk(program, (node, _parent, depth) => {
    switch (node.type) {
      case 'AwaitExpression':
        // `await X` → `__wRg$h.r(__wRg$c, await __wRg$h.s(__wRg$c, X))`; X keeps its own text
        // (parens included), so `await (a, b)` stays a single argument.
        add(node.start, '__wRg$h.r(__wRg$c, ', false, depth);
        add(node.start + 'await'.length, ' __wRg$h.s(__wRg$c,', false, depth);
        add(node.end, '))', true, depth);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (!node.async || node.generator) break;
        const body = node.body;
        if (body.type === 'BlockStatement' && body.end - body.start === 2) {
          // `{}`: both insertions share one offset, where order() would put the close first.
          add(body.start + 1, OPEN_CONTEXT + CLOSE_CONTEXT, false, depth);
        } else if (body.type === 'BlockStatement') {
          add(body.start + 1, OPEN_CONTEXT, false, depth);
          add(body.end - 1, CLOSE_CONTEXT, true, depth);
        } else {
          // Expression body: everything between `=>` and the arrow's end, parentheses included
          // (`async () => ({a: 1})` must stay an object, not become a block).
          const last = node.params[node.params.length - 1];
          const arrow = arrowTokenEnd(src, last ? last.end : node.start + 'async'.length);
          add(arrow, ` {${OPEN_CONTEXT} return (`, false, depth);
          add(node.end, `); ${CLOSE_CONTEXT}}`, true, depth);
        }
        break;
      }
      case 'ForOfStatement':
        // Each iteration resumes after an implicit await: restore the context first.
        if (!node.await) break;
        if (node.body.type === 'BlockStatement') {
          add(node.body.start + 1, ' __wRg$h.r(__wRg$c, 0);', false, depth);
        } else {
          add(node.body.start, '{ __wRg$h.r(__wRg$c, 0); ', false, depth);
          add(node.body.end, ' }', true, depth);
        }
        break;
    }
  });
  return out;
}

function sortedInsertions(src: string, program: acorn.Program): Insertion[] {
  return collectInsertions(src, program).sort(order);
}

function order(a: Insertion, b: Insertion): number {
  if (a.pos !== b.pos) return a.pos - b.pos;
  if (a.close !== b.close) return a.close ? -1 : 1;
  if (a.depth !== b.depth) return a.close ? b.depth - a.depth : a.depth - b.depth;
  return a.close ? b.seq - a.seq : a.seq - b.seq;
}

/** Applies the context-tracking insertions to `src` (whose AST is `program`). */
export function transformAsync(src: string, program: acorn.Program): string {
  const insertions = sortedInsertions(src, program);
  const parts: string[] = [];
  let at = 0;
  for (const ins of insertions) {
    parts.push(src.slice(at, ins.pos), ins.text);
    at = ins.pos;
  }
  parts.push(src.slice(at));
  return parts.join('');
}

/** Replaces [start, end) by spaces of the same length (newlines kept, so lines do not move). */
export function blank(src: string, start: number, end: number): string {
  return src.slice(0, start) + src.slice(start, end).replace(/[^\n]/g, ' ') + src.slice(end);
}

/**
 * The compiled script: `export ` blanked, a leading `#!` line turned into a comment (it is only
 * legal at the very start of a file, and the wrapper comes first), async tracking applied and
 * the whole wrapped on the first line. Evaluated as a global script it yields a function;
 * calling it with the helper object h returns the run's promise.
 */
export function compileScript(src: string, program: acorn.Program, exportStart: number, declStart: number): string {
  let text = blank(src, exportStart, declStart);
  if (text.startsWith('#!')) text = `//${text.slice(2)}`;
  return WRAP_PREFIX + transformAsync(text, program) + WRAP_SUFFIX;
}

/**
 * The source column (1-based) of a column the compiled text reports on `line` (a stack frame's):
 * lines never move, so only the wrapper on line 1 and the insertions before the column on that
 * line are taken off. A column inside inserted text maps to where that text was inserted.
 */
export function sourceColumn(src: string, program: acorn.Program, line: number, column: number): number {
  let lineStart = 0;
  for (let l = 1; l < line; l++) {
    const nl = src.indexOf('\n', lineStart);
    if (nl === -1) return column;
    lineStart = nl + 1;
  }
  const nl = src.indexOf('\n', lineStart);
  const lineEnd = nl === -1 ? src.length : nl;
  let col = column - 1 - (line === 1 ? WRAP_PREFIX.length : 0);
  if (col < 0) return 1;
  let shift = 0;
  for (const ins of sortedInsertions(src, program)) {
    if (ins.pos < lineStart) continue;
    if (ins.pos > lineEnd) break;
    const at = ins.pos - lineStart + shift;
    if (col < at) break;
    if (col < at + ins.text.length) return ins.pos - lineStart + 1;
    shift += ins.text.length;
  }
  col -= shift;
  return Math.min(col, lineEnd - lineStart) + 1;
}
