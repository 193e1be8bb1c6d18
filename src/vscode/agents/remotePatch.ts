// A remote agent's git patch turned into whole-file writes and deletes (issue 13), so the editor
// can apply it as WorkspaceEdits (undoable, in the agent's changes) instead of `git apply`. Text
// patches only: binary ones, copies and anything unparseable throw, and the conductor keeps the patch.

/** One file's change: its new full text, or its removal. Paths are relative to the workspace root. */
export type PatchWrite = { kind: 'write'; file: string; content: string } | { kind: 'delete'; file: string };

/** What the workspace holds now: a file's text, or undefined when it does not exist. */
export type ReadCurrent = (file: string) => Promise<string | undefined>;

interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
}

interface Hunk {
  oldStart: number;
  newStart: number;
  lines: HunkLine[];
  /** "\ No newline at end of file" after the old side's (or new side's) last line. */
  oldNoEol: boolean;
  newNoEol: boolean;
}

interface FilePatch {
  oldPath?: string;
  newPath?: string;
  hunks: Hunk[];
}

/** The patch cannot be taken as text edits; the message says why (it reaches agent()'s error). */
export class PatchNotApplicable extends Error {
  override name = 'PatchNotApplicable';
}

/**
 * The writes that make the workspace hold the patch's result, or 'already' when every file
 * already holds it (a conductor that applied it, then resumed). Throws PatchNotApplicable.
 */
export async function patchWrites(patch: string, read: ReadCurrent): Promise<PatchWrite[] | 'already'> {
  const files = parseGitPatch(patch);
  const writes: PatchWrite[] = [];
  let already = true;
  for (const f of files) {
    const forward = await applyFile(f, read);
    if (typeof forward !== 'string') {
      writes.push(...forward);
      already = false;
      continue;
    }
    const backward = await applyFile(reversed(f), read);
    if (typeof backward === 'string') throw new PatchNotApplicable(forward);
  }
  return already && files.length > 0 ? 'already' : writes;
}

/** The file patches of a `git diff` text; throws PatchNotApplicable for what is not a text change. */
export function parseGitPatch(patch: string): FilePatch[] {
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const files: FilePatch[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = lines[i];
    if (!header.startsWith('diff --git ')) {
      i++;
      continue;
    }
    const f: FilePatch = { hunks: [] };
    let created = false;
    let deleted = false;
    const fromHeader = headerPaths(header.slice('diff --git '.length));
    for (i++; i < lines.length && !lines[i].startsWith('diff --git ') && !lines[i].startsWith('@@'); i++) {
      const l = lines[i];
      if (l.startsWith('GIT binary patch') || l.startsWith('Binary files '))
        throw new PatchNotApplicable(`binary change to ${fromHeader?.[1] ?? 'a file'}`);
      if (l.startsWith('copy from ') || l.startsWith('copy to '))
        throw new PatchNotApplicable(`a copy (${l}) is not taken as an edit`);
      if (l.startsWith('new file mode')) created = true;
      else if (l.startsWith('deleted file mode')) deleted = true;
      else if (l.startsWith('rename from ')) f.oldPath = unquote(l.slice('rename from '.length));
      else if (l.startsWith('rename to ')) f.newPath = unquote(l.slice('rename to '.length));
      else if (l.startsWith('--- ')) f.oldPath = sidePath(l.slice(4), 'a/');
      else if (l.startsWith('+++ ')) f.newPath = sidePath(l.slice(4), 'b/');
    }
    // Empty new or deleted files have no ---/+++ lines: their name is the header's.
    if (f.oldPath === undefined && f.newPath === undefined) {
      if (!fromHeader) throw new PatchNotApplicable(`cannot read the file names in: ${header}`);
      f.oldPath = created ? undefined : fromHeader[0];
      f.newPath = deleted ? undefined : fromHeader[1];
    }
    if (created) f.oldPath = undefined;
    if (deleted) f.newPath = undefined;
    while (i < lines.length && lines[i].startsWith('@@')) {
      const parsed = parseHunk(lines, i);
      f.hunks.push(parsed.hunk);
      i = parsed.next;
    }
    files.push(f);
  }
  if (files.length === 0 && patch.trim()) throw new PatchNotApplicable('not a git patch');
  return files;
}

function parseHunk(lines: string[], at: number): { hunk: Hunk; next: number } {
  const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[at]);
  if (!m) throw new PatchNotApplicable(`unreadable hunk header: ${lines[at]}`);
  let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
  let newLeft = m[4] === undefined ? 1 : Number(m[4]);
  const hunk: Hunk = { oldStart: Number(m[1]), newStart: Number(m[3]), lines: [], oldNoEol: false, newNoEol: false };
  let i = at + 1;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i].startsWith('\\'))) {
    const l = lines[i];
    if (l.startsWith('\\')) {
      const last = hunk.lines.at(-1);
      if (last?.op !== '+') hunk.oldNoEol = true;
      if (last?.op !== '-') hunk.newNoEol = true;
      i++;
      continue;
    }
    if (oldLeft === 0 && newLeft === 0) break;
    const op = l === '' ? ' ' : l[0];
    if (op !== ' ' && op !== '-' && op !== '+') throw new PatchNotApplicable(`unexpected line in a hunk: ${l}`);
    hunk.lines.push({ op, text: l.slice(1) });
    if (op !== '+') oldLeft--;
    if (op !== '-') newLeft--;
    if (oldLeft < 0 || newLeft < 0) throw new PatchNotApplicable(`a hunk longer than its header says: ${lines[at]}`);
    i++;
  }
  if (oldLeft > 0 || newLeft > 0) throw new PatchNotApplicable(`a hunk cut short: ${lines[at]}`);
  return { hunk, next: i };
}

function reversed(f: FilePatch): FilePatch {
  const flip = { ' ': ' ', '-': '+', '+': '-' } as const;
  return {
    oldPath: f.newPath,
    newPath: f.oldPath,
    hunks: f.hunks.map((h) => ({
      oldStart: h.newStart,
      newStart: h.oldStart,
      lines: h.lines.map((l) => ({ op: flip[l.op], text: l.text })),
      oldNoEol: h.newNoEol,
      newNoEol: h.oldNoEol,
    })),
  };
}

/** The writes for one file, or why they cannot be made (a string). */
async function applyFile(f: FilePatch, read: ReadCurrent): Promise<PatchWrite[] | string> {
  const name = f.newPath ?? f.oldPath ?? '?';
  const current = f.oldPath === undefined ? undefined : await read(f.oldPath);
  if (f.oldPath !== undefined && current === undefined) return `${f.oldPath} does not exist in the workspace`;
  if (f.oldPath === undefined && f.newPath !== undefined && (await read(f.newPath)) !== undefined)
    return `${f.newPath} already exists in the workspace`;
  if (f.oldPath !== undefined && f.newPath !== undefined && f.oldPath !== f.newPath) {
    if ((await read(f.newPath)) !== undefined) return `${f.newPath} already exists in the workspace`;
  }
  const result = applyHunks(current ?? '', f.hunks);
  if (result === undefined) return `the changes to ${name} do not match its current text`;
  if (f.newPath === undefined) {
    if (result !== '') return `${name} holds more than the deletion removes`;
    return [{ kind: 'delete', file: f.oldPath ?? name }];
  }
  const writes: PatchWrite[] = [{ kind: 'write', file: f.newPath, content: result }];
  if (f.oldPath !== undefined && f.oldPath !== f.newPath) writes.push({ kind: 'delete', file: f.oldPath });
  return writes;
}

/** `text` with the hunks applied (each at its line, or the nearest place its old lines match); undefined when one does not match. */
export function applyHunks(text: string, hunks: readonly Hunk[]): string | undefined {
  const endsWithNewline = text === '' || text.endsWith('\n');
  const lines = text === '' ? [] : (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  let eol = endsWithNewline;
  let shift = 0;
  let searchFrom = 0;
  for (const h of hunks) {
    const old = h.lines.filter((l) => l.op !== '+').map((l) => l.text);
    const neu = h.lines.filter((l) => l.op !== '-').map((l) => l.text);
    const want = Math.max(0, (old.length === 0 ? h.oldStart : h.oldStart - 1) + shift);
    const at = findBlock(lines, old, want, searchFrom);
    if (at === undefined) return undefined;
    const touchesEnd = at + old.length === lines.length;
    if (touchesEnd && old.length > 0 && h.oldNoEol === eol && lines.length > 0) return undefined;
    lines.splice(at, old.length, ...neu);
    if (touchesEnd) eol = !h.newNoEol;
    shift += neu.length - old.length;
    searchFrom = at + neu.length;
  }
  if (lines.length === 0) return '';
  return lines.join('\n') + (eol ? '\n' : '');
}

function findBlock(lines: readonly string[], block: readonly string[], want: number, from: number): number | undefined {
  const fits = (at: number) =>
    at >= from && at + block.length <= lines.length && block.every((b, k) => lines[at + k] === b);
  for (let d = 0; d <= lines.length; d++) {
    if (fits(want - d)) return want - d;
    if (fits(want + d)) return want + d;
  }
  return undefined;
}

/** `a/x b/x` of the header (both names), undefined when it cannot be split unambiguously. */
function headerPaths(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    const a = unquote(rest.slice(0, end + 1));
    const b = unquote(rest.slice(end + 2));
    return [strip(a, 'a/'), strip(b, 'b/')];
  }
  // Unquoted and the same name on both sides (new or deleted files): the middle splits them.
  const half = (rest.length - 1) / 2;
  if (!Number.isInteger(half)) return undefined;
  const a = rest.slice(0, half);
  const b = rest.slice(half + 1);
  if (!a.startsWith('a/') || !b.startsWith('b/') || a.slice(2) !== b.slice(2)) return undefined;
  return [a.slice(2), b.slice(2)];
}

function sidePath(raw: string, prefix: string): string | undefined {
  const name = unquote(raw.replace(/\t.*$/, ''));
  return name === '/dev/null' ? undefined : strip(name, prefix);
}

function strip(name: string, prefix: string): string {
  if (!name.startsWith(prefix)) throw new PatchNotApplicable(`unexpected file name in the patch: ${name}`);
  return name.slice(prefix.length);
}

function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  throw new PatchNotApplicable(`unterminated quoted name: ${s}`);
}

/** git's C-style quoted name (`"a/caf\303\251"`) as text; unquoted names as they are. */
export function unquote(name: string): string {
  if (!name.startsWith('"')) return name;
  const body = name.slice(1, closingQuote(name));
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (n in simple) bytes.push(simple[n]);
    else throw new PatchNotApplicable(`unknown escape in a quoted name: ${name}`);
  }
  return Buffer.from(bytes).toString('utf8');
}
