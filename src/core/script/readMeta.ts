// Meta-only reading for discovery (spec §2.2, last bullet): a fast path parses just the object
// literal after a leading `export const meta =`; anything unusual falls back to the full parse.
// The body is not validated here — running the workflow does that.
import * as acorn from 'acorn';
import type { WorkflowMeta } from '../types';
import type { ErrorSite } from './codeFrame';
import { findMetaStatement, metaFromNode } from './meta';
import { checkSize, normalizeSource } from './source';
import { ACORN_OPTIONS, parseModule } from './syntax';

// Optional hashbang, then whitespace and comments, then the declaration head.
const HEAD = /^(?:#![^\n]*)?(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*export\s+const\s+meta\s*=\s*/;

// A token that would continue the expression across a newline (no ASI before it).
const CONTINUES = /^(?:[,.([`+\-*/%&|^?<>=!]|in\b|instanceof\b)/;

/** True when the statement that ends at `pos` really ends there (`;`, end of file, or ASI). */
function statementEndsAt(src: string, pos: number): boolean {
  let i = pos;
  let newline = false;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      newline = true;
      i++;
    } else if (/\s/.test(ch)) i++;
    else if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end === -1) return false;
      if (src.slice(i, end).includes('\n')) newline = true;
      i = end + 2;
    } else break;
  }
  if (i >= src.length || src[i] === ';') return true;
  return newline && !CONTINUES.test(src.slice(i, i + 12));
}

function fastPath(site: ErrorSite): acorn.ObjectExpression | undefined {
  const head = HEAD.exec(site.source);
  if (!head) return undefined;
  let node: acorn.Expression;
  try {
    node = acorn.parseExpressionAt(site.source, head[0].length, ACORN_OPTIONS);
  } catch {
    return undefined; // let the full parse report it with the usual message
  }
  if (node.type !== 'ObjectExpression' || !statementEndsAt(site.source, node.end)) return undefined;
  return node;
}

/** The normalised meta of a script, for listing saved workflows. Throws ScriptError. */
export function readMeta(source: string, file: string): WorkflowMeta {
  checkSize({ source, file });
  const site: ErrorSite = { source: normalizeSource(source), file };
  const init = fastPath(site) ?? findMetaStatement(site, parseModule(site)).init;
  return metaFromNode(site, init);
}
