// A tool call's input as a reader wants it in a transcript: an Edit as a diff, a Write as the new
// file, a Bash command as shell, Read/Grep/Glob as one short line, anything else as JSON. Pure.
//
// Every string here comes from the model: it goes in a fence (markdownFence) or a code span, and a
// file path becomes a link only through the PathLinker, whose target we build, never the model.
import * as path from 'node:path';
import { markdownCode as code, markdownFence } from '../../core';

/** A Write's content past this many lines is cut, with a marker saying how many are left out. */
export const MAX_WRITE_LINES = 200;

/** The same cap for each side of an Edit's diff (both strings in full can be megabytes). */
export const MAX_DIFF_LINES = 400;

/** How a tool's file path is shown: the text, and a link target when the file is in the workspace. */
export type PathLinker = (filePath: string) => { shown: string; target?: string };

/** No workspace known: every path as plain code. */
export const plainPaths: PathLinker = (filePath) => ({ shown: filePath });

/**
 * `filePath` relative to `root` (POSIX separators) when it lies inside it, else undefined: a path
 * outside the workspace, or one that climbs out with `..`, never gets a link.
 */
export function workspacePath(root: string, filePath: string): string | undefined {
  const abs = path.resolve(root, filePath);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** A Markdown link destination that cannot end early: parentheses, angle brackets, spaces and backslashes percent-encoded. */
function destination(target: string): string {
  return target.replace(/[()<>\s\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function pathText(filePath: string, link: PathLinker): string {
  const { shown, target } = link(filePath);
  return target ? `[${code(shown)}](${destination(target)})` : code(shown);
}

function lines(s: string): string[] {
  return s === '' ? [] : s.replace(/\r\n/g, '\n').split('\n');
}

/** The first `max` lines, and a visible count of the rest. */
function capped(rows: string[], max: number): { rows: string[]; more: number } {
  return rows.length > max ? { rows: rows.slice(0, max), more: rows.length - max } : { rows, more: 0 };
}

function moreLine(more: number, what: string): string {
  return more > 0
    ? `_… ${more} more line${more === 1 ? '' : 's'} of the ${what} not shown (the transcript file has them all)._\n`
    : '';
}

/**
 * An Edit as a unified-style diff: lines the two strings share at the start and end as context,
 * the rest as removed and added lines.
 */
export function editDiff(oldText: string, newText: string): { diff: string; more: number } {
  const a = lines(oldText);
  const b = lines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = capped(a.slice(head, a.length - tail), MAX_DIFF_LINES);
  const added = capped(b.slice(head, b.length - tail), MAX_DIFF_LINES);
  const rows = [
    ...a.slice(0, head).map((l) => ` ${l}`),
    ...removed.rows.map((l) => `-${l}`),
    ...added.rows.map((l) => `+${l}`),
    ...a.slice(a.length - tail).map((l) => ` ${l}`),
  ];
  return { diff: rows.join('\n'), more: removed.more + added.more };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function json(value: unknown): string {
  return markdownFence(JSON.stringify(value, null, 2) ?? String(value), 'json');
}

/** The Markdown for a tool call's input (after its heading). */
export function toolInputText(name: string, input: unknown, link: PathLinker): string {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const file = str(o.file_path);
  if (name === 'Edit' && file !== undefined && str(o.old_string) !== undefined && str(o.new_string) !== undefined) {
    const { diff, more } = editDiff(str(o.old_string)!, str(o.new_string)!);
    return `Edit ${pathText(file, link)}${o.replace_all === true ? ' (every occurrence)' : ''}\n\n${markdownFence(diff, 'diff')}${moreLine(more, 'change')}`;
  }
  if (name === 'Write' && file !== undefined && str(o.content) !== undefined) {
    const all = lines(str(o.content)!);
    const { rows, more } = capped(all, MAX_WRITE_LINES);
    return `Write ${pathText(file, link)} · ${all.length} line${all.length === 1 ? '' : 's'}\n\n${markdownFence(rows.map((l) => `+${l}`).join('\n'), 'diff')}${moreLine(more, 'new file')}`;
  }
  if (name === 'Bash' && str(o.command) !== undefined) {
    return `${str(o.description) ? `${code(str(o.description)!)}\n\n` : ''}${markdownFence(str(o.command)!, 'sh')}`;
  }
  if (name === 'Read' && file !== undefined) {
    const offset = num(o.offset);
    const limit = num(o.limit);
    return `Read ${pathText(file, link)}${offset !== undefined ? ` · from line ${offset}` : ''}${limit !== undefined ? ` · ${limit} lines` : ''}\n`;
  }
  if ((name === 'Grep' || name === 'Glob') && str(o.pattern) !== undefined) {
    const where = str(o.path) !== undefined ? pathText(str(o.path)!, link) : 'the workspace';
    const extras = ['glob', 'type', 'output_mode', '-i']
      .filter((k) => o[k] !== undefined)
      .map((k) => `${k} ${code(String(o[k]))}`);
    return `${name} ${code(str(o.pattern)!)} in ${where}${extras.length ? ` · ${extras.join(' · ')}` : ''}\n`;
  }
  return json(input);
}
