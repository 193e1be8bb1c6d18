// Maps the `site` of run events back to the script's own `agent(` / `parallel(` / `pipeline(`
// calls, for per-call-site counts in an editor. Events carry the guest stack's line and column;
// the line is the author's (the body is wrapped on the first line), but the column is one of the
// compiled text, where awaits were rewritten in place. The compiled text keeps every call in
// order, so the k-th call of the source is the k-th call of the compiled text.
import * as acorn from 'acorn';
import type { SourceLocation } from '../types';
import type { ParsedScript } from './parse';
import { LineIndex } from './positions';
import { ACORN_OPTIONS } from './syntax';
import { walk } from './walk';

export type CallSiteKind = 'agent' | 'parallel' | 'pipeline';
const KINDS = new Set<string>(['agent', 'parallel', 'pipeline']);

/** A call in the source, 1-based; `column` is where the callee's name starts. */
export interface CallSite {
  kind: CallSiteKind;
  line: number;
  column: number;
  /** Column just past the callee's name. */
  endColumn: number;
}

interface Located {
  kind: CallSiteKind;
  line: number;
  column: number;
  /** 1-based column of the call's `(` (what a QuickJS stack frame points at). */
  paren: number;
}

function calls(text: string, options: acorn.Options): Located[] {
  const lines = new LineIndex(text);
  const out: Located[] = [];
  walk(acorn.parse(text, options), (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && KINDS.has(node.callee.name)) {
      const at = lines.positionAt(node.callee.start);
      const paren = text.indexOf('(', node.callee.end);
      out.push({ kind: node.callee.name as CallSiteKind, ...at, paren: lines.positionAt(paren).column });
    }
  });
  // The walk goes in source order; sorted anyway so the k-th call stays the k-th in both texts.
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export class CallSiteMap {
  readonly sites: CallSite[];
  private readonly compiled: Located[];
  private readonly cache = new Map<string, CallSite | undefined>();

  constructor(script: Pick<ParsedScript, 'source' | 'compiled'>) {
    const source = calls(script.source, ACORN_OPTIONS);
    this.sites = source.map(({ kind, line, column }) => ({ kind, line, column, endColumn: column + kind.length }));
    let compiled: Located[] = [];
    try {
      compiled = calls(script.compiled, { ecmaVersion: 'latest', sourceType: 'script' });
    } catch {
      // Never expected; without it the lookup falls back to the line.
    }
    // One-to-one in order, or line-only matching when the two disagree.
    this.compiled = compiled.length === source.length ? compiled : [];
  }

  /** The source call an event's site points at (undefined when it is not one of ours). */
  lookup(site: SourceLocation, kind: CallSiteKind): CallSite | undefined {
    const key = `${kind}:${site.line}:${site.column}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let best: CallSite | undefined;
    let distance = Infinity;
    this.sites.forEach((s, i) => {
      if (s.kind !== kind || s.line !== site.line) return;
      const c = this.compiled[i];
      const d = c ? Math.abs(c.paren - site.column) : 0;
      if (d < distance) {
        distance = d;
        best = s;
      }
    });
    this.cache.set(key, best);
    return best;
  }
}
