// Which `agent(` call site a journal entry came from. The journal keeps each agent's label (its
// `opts.label`, else the first 60 characters of the prompt, whitespace collapsed), so a site is
// recognised by the literal text of its label or prompt template: `review:${file}` matches
// "review:src/a.ts". The site whose literal text covers most of the label wins.
import type * as acorn from 'acorn';
import type { AgentSite } from './fanout';

/** Literal pieces of a template in order; `open` when a `${…}` precedes the first one. */
interface Pattern {
  pieces: string[];
  anchored: boolean;
  /** A prompt-derived label is cut at 60 characters. */
  truncated: boolean;
}

function patternOf(node: acorn.AnyNode | undefined, truncated: boolean): Pattern | undefined {
  if (!node) return undefined;
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  if (node.type === 'Literal' && typeof node.value === 'string')
    return { pieces: [squash(node.value).trim()], anchored: true, truncated };
  if (node.type !== 'TemplateLiteral') return undefined;
  const raw = node.quasis.map((q) => squash(q.value.cooked ?? ''));
  raw[0] = raw[0].trimStart();
  return { pieces: raw.filter((p) => p !== ''), anchored: raw[0] !== '', truncated };
}

export function sitePattern(site: AgentSite): Pattern | undefined {
  return site.labelNode ? patternOf(site.labelNode, false) : patternOf(site.promptNode, true);
}

/** Characters of `label` the pattern's literal pieces account for, or -1 when it does not fit. */
export function matchScore(pattern: Pattern, label: string): number {
  let at = 0;
  let score = 0;
  for (let i = 0; i < pattern.pieces.length; i++) {
    const piece = pattern.pieces[i];
    const anchoredHere = i === 0 && pattern.anchored;
    const found = anchoredHere ? (label.startsWith(piece) ? 0 : -1) : label.indexOf(piece, at);
    if (found !== -1) {
      score += piece.length;
      at = found + piece.length;
      continue;
    }
    if (!pattern.truncated) return -1;
    // A prompt-derived label stops after 60 characters: it may end inside this piece.
    const tail = anchoredHere ? (piece.startsWith(label) ? 0 : -1) : endsInside(label, piece, at);
    return tail === -1 ? -1 : score + label.length - tail;
  }
  return score;
}

/** The first offset from `from` on where the rest of `label` is a beginning of `piece`, or -1. */
function endsInside(label: string, piece: string, from: number): number {
  for (let i = from; i <= label.length; i++) if (piece.startsWith(label.slice(i))) return i;
  return -1;
}

/** The site a journal label came from, if one matches better than the others. */
export function matchSite(label: string, candidates: { site: AgentSite; pattern: Pattern }[]): AgentSite | undefined {
  let best: AgentSite | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    const s = matchScore(c.pattern, label);
    if (s > bestScore) {
      best = c.site;
      bestScore = s;
    }
  }
  return best;
}
