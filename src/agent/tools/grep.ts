// Grep: a JavaScript regular expression over the files under a path (ripgrep's options and output
// shapes, as in Claude Code), read from disk. Binary and very large files are skipped.
import * as fs from 'node:fs';
import type { ToolContext } from './context';
import { defineTool, messageOf, toolError } from './define';
import { extensionMatcher, FILE_TYPES } from './fileTypes';
import { resolvePath } from './resolvePath';
import { clipLine, looksBinary } from './text';
import { insideWorkspace, listFiles } from './walk';

/** Files above this are skipped (and counted in a note): generated bundles, data dumps, logs. */
export const GREP_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Matched lines are cut here, like Claude Code's `rg --max-columns 500`. */
export const GREP_MAX_LINE_CHARS = 500;

type OutputMode = 'content' | 'files_with_matches' | 'count';

interface GrepInput {
  pattern: string;
  path?: string;
  glob?: string;
  type?: string;
  output_mode?: OutputMode;
  '-i'?: boolean;
  '-n'?: boolean;
  '-A'?: number;
  '-B'?: number;
  '-C'?: number;
  head_limit?: number;
  offset?: number;
  multiline?: boolean;
}

export const grepTool = defineTool<GrepInput>({
  name: 'Grep',
  description: [
    'Searches file contents with a regular expression (JavaScript syntax, e.g. "log.*Error", "function\\s+\\w+").',
    '- output_mode: "files_with_matches" (default) lists matching files; "content" shows matching lines (with -n line numbers, -A/-B/-C context); "count" gives matching lines per file.',
    '- Narrow with path (a file or directory; default the working directory), glob (e.g. "*.ts", "**/*.{ts,tsx}", "!*.test.ts") or type (e.g. "ts", "py", "rust").',
    '- Patterns match within one line unless multiline is true (then . also matches newlines).',
    '- head_limit keeps the first N lines/entries, offset skips N first. node_modules, .git, binary files and files over 2 MB are skipped.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'The regular expression to search for in file contents' },
      path: { type: 'string', description: 'File or directory to search in. Defaults to the working directory' },
      glob: { type: 'string', description: 'Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}"); several separated by spaces; a leading ! excludes' },
      type: { type: 'string', description: `File type to search: ${Object.keys(FILE_TYPES).join(', ')}` },
      output_mode: { type: 'string', enum: ['content', 'files_with_matches', 'count'], description: 'Output mode (default files_with_matches)' },
      '-i': { type: 'boolean', description: 'Case insensitive search' },
      '-n': { type: 'boolean', description: 'Show line numbers in content mode (default true)' },
      '-A': { type: 'integer', minimum: 0, description: 'Lines to show after each match (content mode)' },
      '-B': { type: 'integer', minimum: 0, description: 'Lines to show before each match (content mode)' },
      '-C': { type: 'integer', minimum: 0, description: 'Lines to show before and after each match (content mode)' },
      head_limit: { type: 'integer', minimum: 0, description: 'Keep only the first N output lines or entries (0 = no limit)' },
      offset: { type: 'integer', minimum: 0, description: 'Skip the first N output lines or entries' },
      multiline: { type: 'boolean', description: 'Let patterns span lines; . matches newlines (default false)' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    let re: RegExp;
    try {
      re = new RegExp(input.pattern, (input.multiline ? 'gms' : '') + (input['-i'] ? 'i' : ''));
    } catch (e) {
      return toolError(`Invalid regular expression: ${messageOf(e)}`);
    }
    let ofType: ((f: string) => boolean) | undefined;
    if (input.type !== undefined) {
      ofType = extensionMatcher(input.type);
      if (!ofType) return toolError(`Unknown file type "${input.type}". Known types: ${Object.keys(FILE_TYPES).join(', ')}. Or use glob.`);
    }

    const resolved = resolvePath(ctx, input.path ?? ctx.cwd);
    if (!resolved.ok) return resolved.result;
    const target = resolved.real;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(target);
    } catch {
      return toolError(`Path does not exist: ${target}`);
    }
    let files: string[];
    if (stat.isDirectory()) {
      const { include, exclude } = globFilters(input.glob);
      files = (await listFiles(ctx, target, include, exclude)).filter((f) => insideWorkspace(ctx, f));
    } else {
      files = [target]; // an explicit file is searched whatever its name
    }
    if (ofType) files = files.filter(ofType);

    return search(ctx, re, files, input);
  },
});

/** ripgrep's --glob: a pattern without "/" matches the file name at any depth; "!" excludes. */
function globFilters(globs: string | undefined): { include: string[]; exclude: string[] } {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const raw of (globs ?? '').split(/\s+/).filter(Boolean)) {
    const negated = raw.startsWith('!');
    const g = negated ? raw.slice(1) : raw;
    const anchored = g.includes('/') ? g.replace(/^\//, '') : `**/${g}`;
    (negated ? exclude : include).push(anchored);
  }
  return { include: include.length ? include : ['**/*'], exclude };
}

async function search(ctx: ToolContext, re: RegExp, files: string[], input: GrepInput) {
  const mode: OutputMode = input.output_mode ?? 'files_with_matches';
  const skip = input.offset ?? 0;
  const take = input.head_limit ? input.head_limit : Infinity;
  const budget = ctx.limits.outputChars;
  const entries: string[] = [];
  let produced = 0; // entries generated before offset/head_limit are applied
  let size = 0;
  let cutBySize = false;
  let moreEntries = false;
  let tooLarge = 0;
  let unreadable = 0;
  let matchingFiles = 0;
  let matchingLines = 0;

  /** Adds one output entry, honouring offset, head_limit and the character budget. */
  const emit = (entry: string): boolean => {
    produced++;
    if (produced <= skip) return true;
    if (entries.length >= take) { moreEntries = true; return false; }
    if (size + entry.length + 1 > budget && entries.length > 0) { cutBySize = true; return false; }
    entries.push(entry);
    size += entry.length + 1;
    return true;
  };

  scan: for (const file of files) {
    if (ctx.signal.aborted) throw new Error('the search was aborted');
    let data: Buffer;
    try {
      const st = await fs.promises.stat(file);
      if (st.size > GREP_MAX_FILE_BYTES) { tooLarge++; continue; }
      data = await fs.promises.readFile(file);
    } catch {
      unreadable++;
      continue;
    }
    if (looksBinary(data)) continue;
    const lines = data.toString('utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const hits = input.multiline ? multilineHits(re, data.toString('utf8')) : lineHits(re, lines);
    if (hits.length === 0) continue;
    matchingFiles++;
    matchingLines += hits.length;

    if (mode === 'files_with_matches') {
      if (!emit(file)) break scan;
    } else if (mode === 'count') {
      if (!emit(`${file}:${hits.length}`)) break scan;
    } else {
      for (const entry of contentLines(file, lines, hits, input)) if (!emit(entry)) break scan;
    }
  }

  const notes: string[] = [];
  if (cutBySize) notes.push(`[Output cut at ${budget} characters. Narrow the search (path, glob, type, a more specific pattern) or page with head_limit and offset=${skip + entries.length}.]`);
  else if (moreEntries) notes.push(`[Showing ${entries.length} entries from offset ${skip} (head_limit ${take}); more exist: continue with offset=${skip + entries.length}.]`);
  if (tooLarge > 0) notes.push(`[Skipped ${tooLarge} file(s) larger than ${GREP_MAX_FILE_BYTES / 1024 / 1024} MB.]`);
  if (unreadable > 0) notes.push(`[${unreadable} file(s) could not be read.]`);
  const finished = !cutBySize && !moreEntries;

  if (matchingFiles === 0) return { content: [mode === 'content' ? 'No matches found' : 'No files found', ...notes].join('\n') };
  if (mode === 'files_with_matches') {
    const head = finished ? `Found ${matchingFiles} file${matchingFiles === 1 ? '' : 's'}` : `Found at least ${matchingFiles} files`;
    return { content: [head, ...entries, ...notes].join('\n') };
  }
  if (mode === 'count') {
    const total = finished ? `\n\nFound ${matchingLines} matching line(s) across ${matchingFiles} file(s).` : '';
    return { content: [...entries, ...notes].join('\n') + total };
  }
  return { content: [...entries, ...notes].join('\n') };
}

/** 0-based indexes of lines the pattern matches, one line at a time (ripgrep's default). */
function lineHits(re: RegExp, lines: string[]): number[] {
  const hits: number[] = [];
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) hits.push(i);
  return hits;
}

/** 0-based indexes of every line a match spans, with the whole file as one string. */
function multilineHits(re: RegExp, text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  const hits = new Set<number>();
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const first = lineOf(m.index);
    const last = lineOf(m.index + Math.max(0, m[0].length - 1));
    for (let l = first; l <= last; l++) hits.add(l);
    if (m[0].length === 0) re.lastIndex++; // an empty match would loop forever
  }
  return [...hits].sort((a, b) => a - b);
}

/** ripgrep's content output: `file:n:line` for matches, `file-n-line` for context, `--` between groups. */
function* contentLines(file: string, lines: string[], hits: number[], input: GrepInput): Generator<string> {
  const after = input['-A'] ?? input['-C'] ?? 0;
  const before = input['-B'] ?? input['-C'] ?? 0;
  const numbers = input['-n'] ?? true;
  const isHit = new Set(hits);
  let printedUpTo = -1; // last line index already printed
  for (const hit of hits) {
    const from = Math.max(hit - before, printedUpTo + 1);
    const to = Math.min(lines.length - 1, hit + after);
    if (from > to) continue;
    if ((before > 0 || after > 0) && printedUpTo >= 0 && from > printedUpTo + 1) yield '--';
    for (let i = from; i <= to; i++) {
      const sep = isHit.has(i) ? ':' : '-';
      yield `${file}${sep}${numbers ? `${i + 1}${sep}` : ''}${clipLine(lines[i], GREP_MAX_LINE_CHARS)}`;
    }
    printedUpTo = to;
  }
}
