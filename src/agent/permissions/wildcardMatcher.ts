// Linear-time matching for Bash wildcard rules (`Bash(git * main)`). rules.ts builds a RegExp of
// `.*` runs; V8 backtracks on those, so a rule with three stars against a 3 000-character command
// from the model took 17 s, four stars against 1 000 characters 170 s, all on the main thread.
// This matcher has the same semantics (see rules.ts wildcard()) with indexOf scans only:
// segments between stars are matched leftmost-first, which is exact for `*`-only patterns.

export interface WildcardMatcher {
  test(text: string): boolean;
}

/** `*` matches any run of characters (spaces and newlines included); `\*` and `\\` are literal; a trailing ` *` also matches the bare command. */
export function compileWildcard(spec: string): WildcardMatcher {
  const segments: string[] = [''];
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '\\' && (spec[i + 1] === '*' || spec[i + 1] === '\\')) segments[segments.length - 1] += spec[++i];
    else if (c === '*') segments.push('');
    else segments[segments.length - 1] += c;
  }
  // `ls *`: an unescaped star at the very end after a space also accepts `ls` alone.
  const trailingSpaceStar =
    segments.length > 1 && segments[segments.length - 1] === '' && segments[segments.length - 2].endsWith(' ');
  const bare = trailingSpaceStar ? [...segments.slice(0, -2), segments[segments.length - 2].slice(0, -1)] : undefined;
  return {
    test: (text) => matchSegments(segments, text) || (bare !== undefined && matchSegments(bare, text)),
  };
}

/** Whether `text` is segments[0] * segments[1] * … * segments[n-1], anchored at both ends. */
function matchSegments(segments: string[], text: string): boolean {
  if (segments.length === 1) return text === segments[0];
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let pos = first.length;
  for (let k = 1; k < segments.length - 1; k++) {
    const at = text.indexOf(segments[k], pos);
    if (at === -1 || at + segments[k].length > end) return false;
    pos = at + segments[k].length;
  }
  return true;
}
