// What a shell word means before it runs: its value after quote removal when that is known
// statically, and whether running it would execute something (command or process substitution).
import { forEachChild, type SyntaxNode, type Word, type WordPart } from 'unbash';

export interface WordInfo {
  /** The value after quote removal when `static`; otherwise the word as written. */
  value: string;
  /** No expansion, glob or brace pattern: the shell passes exactly `value`. */
  static: boolean;
  /** Contains $(…), `…` or <(…)/>(…), directly or nested in another expansion. */
  substitutes: boolean;
  /** Unquoted leading `~` (tilde expansion applies). */
  tilde: boolean;
  /** Always expands to exactly one word: static, or only quoted parts with no "$@" / "${a[@]}". */
  single: boolean;
}

/** Parts whose value the shell computes at run time. */
const EXPANSIONS = new Set<WordPart['type']>([
  'SimpleExpansion',
  'ParameterExpansion',
  'CommandExpansion',
  'ArithmeticExpansion',
  'ProcessSubstitution',
  'Glob',
  'ExtendedGlob',
  'BraceExpansion',
]);

export function describeWord(word: Word): WordInfo {
  const parts = word.parts;
  // A word without parts is a plain literal; unbash has already removed its backslashes.
  const tilde = word.text.startsWith('~') && (!parts || parts[0]?.type === 'Literal');
  if (!parts) return { value: word.value, static: true, substitutes: false, tilde, single: true };
  const isStatic = parts.every(partIsStatic);
  const single = isStatic || parts.every(partIsOneWord);
  return { value: isStatic ? word.value : word.text, static: isStatic, substitutes: substitutes(word), tilde, single };
}

function partIsOneWord(part: WordPart): boolean {
  if (part.type === 'Literal' || part.type === 'SingleQuoted' || part.type === 'AnsiCQuoted') return true;
  if (part.type !== 'DoubleQuoted' && part.type !== 'LocaleString') return false;
  return part.parts.every((p) => {
    if (p.type === 'SimpleExpansion') return p.text !== '$@';
    if (p.type === 'ParameterExpansion')
      return p.parameter !== '@' && p.index?.text !== '@' && !(p.prefix === '!' && p.operation?.type === 'Names');
    return true;
  });
}

function partIsStatic(part: WordPart): boolean {
  if (EXPANSIONS.has(part.type)) return false;
  if (part.type === 'DoubleQuoted' || part.type === 'LocaleString')
    return part.parts.every((p) => p.type === 'Literal');
  return true; // Literal, SingleQuoted, AnsiCQuoted
}

/** True when anything under `node` runs a command when expanded. */
export function substitutes(node: SyntaxNode): boolean {
  let found = false;
  const visit = (n: SyntaxNode): void => {
    if (found) return;
    if (n.type === 'CommandExpansion' || n.type === 'ProcessSubstitution' || n.type === 'ArithmeticCommandExpansion') {
      found = true;
      return;
    }
    forEachChild(n, visit);
  };
  visit(node);
  return found;
}
