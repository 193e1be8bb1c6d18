// Entry point of core/script: source text → checked meta + compiled body (spec §2).
import { createHash } from 'node:crypto';
import type { WorkflowMeta } from '../types';
import type { ErrorSite } from './codeFrame';
import { checkBody, checkNoImports, checkNoOtherExports } from './checks';
import { findMetaStatement, metaFromNode } from './meta';
import { checkControlChars, checkSize, MAX_SCRIPT_BYTES, normalizeSource } from './source';
import { parseModule } from './syntax';
import { compileScript } from './transform';
import { checkNoHtmlComments, checkSameProgram } from './sameProgram';

export { MAX_SCRIPT_BYTES };

export interface ParsedScript {
  meta: WorkflowMeta;
  /** The source after CRLF→LF normalisation. */
  source: string;
  /** Display name given by the caller (a path or 'workflow.js'). */
  file: string;
  /** Evaluates (as a global strict script) to `(h) => Promise<result>`; see transform.ts. */
  compiled: string;
  /** sha256 hex of `source`. */
  hash: string;
}

export interface ParseOptions {
  /** An inline `script` (not a file): also run the static determinism check (spec §2.4). */
  inline?: boolean;
}

/**
 * Parses, checks and compiles a workflow script. Throws ScriptError (with file, line, column and
 * a code frame) for anything the official runtime refuses before running.
 */
export function parseWorkflowScript(source: string, file: string, options: ParseOptions = {}): ParsedScript {
  checkSize({ source, file });
  const site: ErrorSite = { source: normalizeSource(source), file };
  checkControlChars(site);
  const comments: string[] = [];
  const program = parseModule(site, comments);
  checkNoHtmlComments(site);
  checkNoImports(site, program);
  const meta = findMetaStatement(site, program);
  checkNoOtherExports(site, program);
  const value = metaFromNode(site, meta.init);
  checkBody(site, program, options.inline === true);
  const compiled = compileScript(site.source, program, meta.statement.start, meta.declaration.start);
  checkSameProgram(site, compiled, comments);
  return {
    meta: value,
    source: site.source,
    file,
    compiled,
    hash: createHash('sha256').update(site.source, 'utf8').digest('hex'),
  };
}
