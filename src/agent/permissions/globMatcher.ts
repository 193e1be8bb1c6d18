// Linear-time matching for the gitignore globs of Read/Edit rules (toolRules.ts). A RegExp built of
// `[^/]*` and `(?:.*/)?` runs backtracks: `Read(*a*a*a*a*b)` against a long file name, or four
// `**` against a deep path, held the main thread for minutes, and both the rule (a cloned
// repository's settings) and the path (a file the model created) can come from an attacker. Here
// the glob is a small automaton run over the path once, keeping the set of places it can be in
// (Thompson's construction): time proportional to path × pattern, whatever the rule.

export interface GlobMatcher {
  test(path: string): boolean;
}

type Token =
  | { kind: 'char'; c: string } // one literal character
  | { kind: 'one' } // `?`: one character, not `/`
  | { kind: 'class'; re: RegExp } // `[…]`: one character, checked by a one-character RegExp
  | { kind: 'star' } // `*`: any run without `/`
  | { kind: 'any' } // `**` alone or at the end (after its `/`): any run
  | { kind: 'dirs' } // leading `**/`: nothing, or any run ending in `/`
  | { kind: 'slashAny' }; // a middle `/**`: nothing, or `/` and any run

/**
 * gitignore glob over `/`-separated relative paths, anchored at both ends: `*` and `?` stop at
 * `/`, `**` spans folders (`**` inside a name is `*`), `[…]` and `[!…]` classes, `\` escapes.
 */
export function compileGlob(pattern: string, caseInsensitive: boolean): GlobMatcher {
  const tokens = tokenize(pattern, caseInsensitive);
  return { test: (path) => run(tokens, caseInsensitive ? path.toLowerCase() : path) };
}

function tokenize(pattern: string, caseInsensitive: boolean): Token[] {
  const segs = pattern.split('/');
  if (segs.length === 1 && segs[0] === '**') return [{ kind: 'any' }];
  const tokens: Token[] = [];
  const literal = (c: string) => tokens.push({ kind: 'char', c: caseInsensitive ? c.toLowerCase() : c });
  segs.forEach((seg, i) => {
    if (seg === '**') {
      if (i === 0) tokens.push({ kind: 'dirs' });
      else if (i === segs.length - 1) tokens.push({ kind: 'char', c: '/' }, { kind: 'any' });
      else tokens.push({ kind: 'slashAny' });
      return;
    }
    if (i > 0 && !(i === 1 && segs[0] === '**')) literal('/');
    for (let k = 0; k < seg.length; k++) {
      const c = seg[k];
      if (c === '\\' && k + 1 < seg.length) literal(seg[++k]);
      else if (c === '*') {
        while (seg[k + 1] === '*') k++;
        tokens.push({ kind: 'star' });
      } else if (c === '?') tokens.push({ kind: 'one' });
      else if (c === '[' && seg.indexOf(']', k + 2) >= 0) {
        const close = seg.indexOf(']', k + 2);
        let body = seg.slice(k + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        // One character against one bracket expression: nothing to backtrack over.
        tokens.push({
          kind: 'class',
          re: new RegExp(`^[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]$`, caseInsensitive ? 'is' : 's'),
        });
        k = close;
      } else literal(c);
    }
  });
  return tokens;
}

/** States: 2i is "at token i", 2i+1 is "inside the run of token i" (dirs, slashAny); 2n accepts. */
function run(tokens: Token[], path: string): boolean {
  const n = tokens.length;
  const seen = new Uint32Array(2 * n + 2);
  let stamp = 0;
  let current: number[] = [];
  const add = (list: number[], s: number) => {
    if (seen[s] === stamp) return;
    seen[s] = stamp;
    list.push(s);
    // Runs that may be empty (or may end here) let the next token start at once.
    const i = s >> 1;
    if (i >= n) return;
    const kind = tokens[i].kind;
    const entry = (s & 1) === 0;
    if (
      (entry && (kind === 'star' || kind === 'any' || kind === 'dirs' || kind === 'slashAny')) ||
      (!entry && kind === 'slashAny')
    )
      add(list, 2 * (i + 1));
  };
  stamp++;
  add(current, 0);
  for (let p = 0; p < path.length && current.length > 0; p++) {
    const c = path[p];
    const next: number[] = [];
    stamp++;
    for (const s of current) {
      const i = s >> 1;
      if (i >= n) continue;
      const t = tokens[i];
      const entry = (s & 1) === 0;
      switch (t.kind) {
        case 'char':
          if (c === t.c) add(next, 2 * (i + 1));
          break;
        case 'one':
          if (c !== '/') add(next, 2 * (i + 1));
          break;
        case 'class':
          if (t.re.test(c)) add(next, 2 * (i + 1));
          break;
        case 'star':
          if (c !== '/') add(next, s);
          break;
        case 'any':
          add(next, s);
          break;
        case 'dirs':
          add(next, 2 * i + 1);
          if (c === '/') add(next, 2 * (i + 1));
          break;
        case 'slashAny':
          if (!entry || c === '/') add(next, 2 * i + 1);
          break;
      }
    }
    current = next;
  }
  return current.includes(2 * n);
}
