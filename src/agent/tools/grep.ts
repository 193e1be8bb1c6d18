// Grep: ripgrep over the files under a path, as in Claude Code (its regex syntax, .gitignore,
// hidden files searched, VCS folders skipped). ripgrep matches in linear time in its own process,
// so a pattern such as `^(a+)+$` cannot pin the host; a timeout and the agent's abort kill it.
// Output shapes, paging and caps are ours, and every file passes the path guard and Read rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ToolContext, ToolResult } from './context';
import { defineTool, toolError } from './define';
import { FILE_TYPES } from './fileTypes';
import { resolvePath } from './resolvePath';
import { specialFileMessage, specialKind } from './regularFile';
import { runRipgrep } from './ripgrep';
import { clipLine } from './text';
import { insideWorkspace } from './walk';

/** Files above this are not searched (generated bundles, data dumps, logs): ripgrep's --max-filesize. */
export const GREP_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Matched lines are cut here, like Claude Code's `rg --max-columns 500`. */
export const GREP_MAX_LINE_CHARS = 500;
/** A search still running after this is killed; what it found so far is shown, marked partial. */
export const GREP_TIMEOUT_MS = 30_000;
/** Skipped unless a glob names them, as Claude Code does for version-control folders. */
const SKIPPED_DIRS = ['.git', '.svn', '.hg', '.bzr', '.jj', '.sl', 'node_modules'];

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
    'Searches file contents with ripgrep. The pattern is a ripgrep (Rust) regular expression, e.g. "log.*Error", "function\\s+\\w+"; literal braces need escaping ("interface\\{\\}"); no look-around or backreferences.',
    '- output_mode: "files_with_matches" (default) lists matching files; "content" shows matching lines (with -n line numbers, -A/-B/-C context); "count" gives matching lines per file.',
    '- Narrow with path (a file or directory; default the working directory), glob (e.g. "*.ts", "**/*.{ts,tsx}", "!*.test.ts") or type (e.g. "ts", "py", "rust").',
    '- Patterns match within one line unless multiline is true (then . also matches newlines).',
    '- head_limit keeps the first N lines/entries, offset skips N first. Files in .gitignore, node_modules, .git, binary files and files over 2 MB are skipped; hidden files are searched.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'The regular expression to search for in file contents' },
      path: { type: 'string', description: 'File or directory to search in. Defaults to the working directory' },
      glob: {
        type: 'string',
        description:
          'Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}"); several separated by spaces; a leading ! excludes',
      },
      type: { type: 'string', description: `File type to search: ${Object.keys(FILE_TYPES).join(', ')}` },
      output_mode: {
        type: 'string',
        enum: ['content', 'files_with_matches', 'count'],
        description: 'Output mode (default files_with_matches)',
      },
      '-i': { type: 'boolean', description: 'Case insensitive search' },
      '-n': { type: 'boolean', description: 'Show line numbers in content mode (default true)' },
      '-A': { type: 'integer', minimum: 0, description: 'Lines to show after each match (content mode)' },
      '-B': { type: 'integer', minimum: 0, description: 'Lines to show before each match (content mode)' },
      '-C': { type: 'integer', minimum: 0, description: 'Lines to show before and after each match (content mode)' },
      head_limit: {
        type: 'integer',
        minimum: 0,
        description: 'Keep only the first N output lines or entries (0 = no limit)',
      },
      offset: { type: 'integer', minimum: 0, description: 'Skip the first N output lines or entries' },
      multiline: { type: 'boolean', description: 'Let patterns span lines; . matches newlines (default false)' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    if (input.type !== undefined && !FILE_TYPES[input.type]) {
      return toolError(
        `Unknown file type "${input.type}". Known types: ${Object.keys(FILE_TYPES).join(', ')}. Or use glob.`,
      );
    }
    const resolved = resolvePath(ctx, input.path ?? ctx.cwd);
    if (!resolved.ok) return resolved.result;
    const target = resolved.real;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(target); // stat, not open: a FIFO given as path must not block
    } catch {
      return toolError(`Path does not exist: ${target}`);
    }
    const special = specialKind(stat);
    if (special) return toolError(specialFileMessage(target, special));
    if (!stat.isDirectory()) {
      // An explicit file is searched whatever its name, but Read rules still apply to it.
      const access = ctx.access.readable(target);
      if (!access.allowed) return toolError(access.reason);
    }
    return search(ctx, target, stat.isDirectory() ? target : path.dirname(target), input);
  },
});

/** ripgrep's arguments for everything but the output mode. */
function commonArgs(input: GrepInput): string[] {
  const args = ['--color=never', '--with-filename', '--sort=path', '--hidden', `--max-filesize=${GREP_MAX_FILE_BYTES}`];
  const globs = (input.glob ?? '').split(/\s+/).filter(Boolean);
  // Ours first: a later --glob wins, so a model's glob naming node_modules can still reach into it.
  for (const dir of SKIPPED_DIRS) if (!globs.some((g) => g.includes(dir))) args.push(`--glob=!${dir}`);
  for (const g of globs) args.push(`--glob=${g}`);
  if (input.type !== undefined) {
    for (const ext of FILE_TYPES[input.type]) args.push(`--type-add=dwfselected:*.${ext}`);
    args.push('--type=dwfselected');
  }
  if (input['-i']) args.push('--ignore-case');
  if (input.multiline) args.push('--multiline', '--multiline-dotall');
  return args;
}

interface Paging {
  entries: string[];
  emit(entry: string): boolean;
  cutBySize: boolean;
  moreEntries: boolean;
}

/** offset, head_limit and the character budget over a stream of output entries. */
function paging(ctx: ToolContext, input: GrepInput): Paging {
  const skip = input.offset ?? 0;
  const take = input.head_limit ? input.head_limit : Infinity;
  const budget = ctx.limits.outputChars;
  let produced = 0;
  let size = 0;
  const p: Paging = {
    entries: [],
    cutBySize: false,
    moreEntries: false,
    emit(entry) {
      produced++;
      if (produced <= skip) return true;
      if (p.entries.length >= take) {
        p.moreEntries = true;
        return false;
      }
      if (size + entry.length + 1 > budget && p.entries.length > 0) {
        p.cutBySize = true;
        return false;
      }
      p.entries.push(entry);
      size += entry.length + 1;
      return true;
    },
  };
  return p;
}

async function search(ctx: ToolContext, target: string, cwd: string, input: GrepInput): Promise<ToolResult> {
  const mode: OutputMode = input.output_mode ?? 'files_with_matches';
  const page = paging(ctx, input);
  // Guard and Read rules per file. Refused files are dropped without a word: a count of hidden
  // matches would tell the model whether a denied file (say .env) matches its pattern.
  const verdicts = new Map<string, boolean>();
  const allowed = (file: string): boolean => {
    let ok = verdicts.get(file);
    if (ok === undefined) {
      ok = insideWorkspace(ctx, file) && ctx.access.readable(file).allowed;
      verdicts.set(file, ok);
    }
    return ok;
  };

  let matchingFiles = 0;
  let matchingLines = 0;
  let args: string[];
  let separator: '\n' | '\0';
  let onRecord: (record: string) => boolean;

  if (mode === 'files_with_matches') {
    args = ['--files-with-matches', '--null'];
    separator = '\0';
    onRecord = (file) => {
      if (!file || !allowed(file)) return true;
      matchingFiles++;
      return page.emit(file);
    };
  } else if (mode === 'count') {
    args = ['--count', '--null'];
    separator = '\n';
    onRecord = (record) => {
      const nul = record.lastIndexOf('\0');
      const file = record.slice(0, nul);
      const n = Number(record.slice(nul + 1));
      if (nul < 0 || !allowed(file)) return true;
      matchingFiles++;
      matchingLines += n;
      return page.emit(`${file}:${n}`);
    };
  } else {
    const after = input['-A'] ?? input['-C'] ?? 0;
    const before = input['-B'] ?? input['-C'] ?? 0;
    args = ['--json', `--after-context=${after}`, `--before-context=${before}`];
    separator = '\n';
    const content = contentPrinter(input['-n'] ?? true, after > 0 || before > 0);
    onRecord = (record) => {
      const event = parseEvent(record);
      if (!event || !allowed(event.file)) return true;
      if (event.kind === 'begin') {
        matchingFiles++;
        return true;
      }
      for (const entry of content(event)) if (!page.emit(entry)) return false;
      return true;
    };
  }

  const end = await runRipgrep({
    // `--` ends the options: a pattern or path starting with "-" is taken as text.
    args: [...commonArgs(input), ...args, '--regexp', input.pattern, '--', target],
    cwd,
    signal: ctx.signal,
    timeoutMs: GREP_TIMEOUT_MS,
    separator,
    onRecord,
  });
  if (ctx.signal.aborted) throw new Error('the search was aborted');
  if (end.missing) return toolError(end.stderr); // how to install ripgrep, or why DWF_RG is wrong
  const firstError = end.stderr.trim();
  if (end.code === 2 && !end.stopped && page.entries.length === 0 && matchingFiles === 0 && firstError) {
    if (/regex parse error|error parsing|regex.*size limit|size limit/i.test(firstError)) {
      return toolError(`Invalid regular expression (ripgrep syntax): ${firstError.replace(/\s+/g, ' ')}`);
    }
    return toolError(`Grep failed: ${firstError}`);
  }
  return format(mode, page, matchingFiles, matchingLines, end.timedOut, input.offset ?? 0, ctx.limits.outputChars);
}

function format(
  mode: OutputMode,
  page: Paging,
  matchingFiles: number,
  matchingLines: number,
  timedOut: boolean,
  skip: number,
  budget: number,
): ToolResult {
  const notes: string[] = [];
  if (page.cutBySize)
    notes.push(
      `[Output cut at ${budget} characters. Narrow the search (path, glob, type, a more specific pattern) or page with head_limit and offset=${skip + page.entries.length}.]`,
    );
  else if (page.moreEntries)
    notes.push(
      `[Showing ${page.entries.length} entries from offset ${skip} (head_limit ${page.entries.length}); more exist: continue with offset=${skip + page.entries.length}.]`,
    );
  if (timedOut)
    notes.push(
      `[The search was stopped after ${GREP_TIMEOUT_MS / 1000} s: results are partial. Narrow it with path, glob or type.]`,
    );
  const finished = !page.cutBySize && !page.moreEntries && !timedOut;

  if (matchingFiles === 0)
    return { content: [mode === 'content' ? 'No matches found' : 'No files found', ...notes].join('\n') };
  if (mode === 'files_with_matches') {
    const head = finished
      ? `Found ${matchingFiles} file${matchingFiles === 1 ? '' : 's'}`
      : `Found at least ${matchingFiles} files`;
    return { content: [head, ...page.entries, ...notes].join('\n') };
  }
  if (mode === 'count') {
    const total = finished ? `\n\nFound ${matchingLines} matching line(s) across ${matchingFiles} file(s).` : '';
    return { content: [...page.entries, ...notes].join('\n') + total };
  }
  return { content: [...page.entries, ...notes].join('\n') };
}

type GrepEvent =
  { kind: 'begin'; file: string } | { kind: 'match' | 'context'; file: string; line: number; text: string };

interface RgText {
  text?: string;
  bytes?: string;
}

/** One line of `rg --json`; summary and end events are not needed. */
function parseEvent(record: string): GrepEvent | undefined {
  let parsed: { type?: string; data?: { path?: RgText; lines?: RgText; line_number?: number } };
  try {
    parsed = JSON.parse(record) as typeof parsed;
  } catch {
    return undefined;
  }
  const data = parsed.data;
  const file = data?.path && textOf(data.path);
  if (!file) return undefined;
  if (parsed.type === 'begin') return { kind: 'begin', file };
  if ((parsed.type === 'match' || parsed.type === 'context') && data?.lines && typeof data.line_number === 'number') {
    return { kind: parsed.type, file, line: data.line_number, text: textOf(data.lines) };
  }
  return undefined;
}

/** ripgrep gives UTF-8 as `text` and anything else as base64 `bytes`. */
function textOf(t: RgText): string {
  return t.text ?? Buffer.from(t.bytes ?? '', 'base64').toString('utf8');
}

/** ripgrep's content output: `file:n:line` for matches, `file-n-line` for context, `--` between groups of one file. */
function contentPrinter(
  numbers: boolean,
  withContext: boolean,
): (event: GrepEvent & { kind: 'match' | 'context' }) => string[] {
  let file = '';
  let printedUpTo = 0; // last line number printed in `file`
  return (event) => {
    if (event.file !== file) {
      file = event.file;
      printedUpTo = 0;
    }
    const lines = event.text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const out: string[] = [];
    const sep = event.kind === 'match' ? ':' : '-';
    for (let k = 0; k < lines.length; k++) {
      const n = event.line + k;
      if (n <= printedUpTo) continue; // a multiline match can overlap the one before
      if (withContext && printedUpTo > 0 && n > printedUpTo + 1) out.push('--');
      const line = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
      out.push(`${file}${sep}${numbers ? `${n}${sep}` : ''}${clipLine(line, GREP_MAX_LINE_CHARS)}`);
      printedUpTo = n;
    }
    return out;
  };
}
