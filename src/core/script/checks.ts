// Compile-time rejections (spec §2.3) and the inline-script determinism pre-check (spec §2.4).
import type * as acorn from 'acorn';
import { MESSAGES } from '../errors';
import { fail, type ErrorSite } from './codeFrame';
import { positionAt } from './positions';
import { walk } from './walk';

export const RESERVED_PREFIX = '__wRg$';

/**
 * `import` declarations: a script is one self-contained file. Checked before the meta rule so
 * that a script starting with an import gets the more useful import message.
 */
export function checkNoImports(site: ErrorSite, program: acorn.Program): void {
  for (const stmt of program.body) {
    if (stmt.type === 'ImportDeclaration') fail(site, stmt.start, MESSAGES.staticImport);
  }
}

/** Only the leading `export const meta` may be exported: the body runs as a function, not a module. */
export function checkNoOtherExports(site: ErrorSite, program: acorn.Program): void {
  for (const stmt of program.body.slice(1)) {
    if (
      stmt.type === 'ExportNamedDeclaration' ||
      stmt.type === 'ExportDefaultDeclaration' ||
      stmt.type === 'ExportAllDeclaration'
    ) {
      fail(site, stmt.start, MESSAGES.otherExport);
    }
  }
}

function isName(node: acorn.AnyNode, name: string): boolean {
  return node.type === 'Identifier' && node.name === name;
}

/** What a determinism violation is called in the message, or undefined. */
function nonDeterministic(node: acorn.AnyNode): string | undefined {
  if (node.type === 'MemberExpression' && !node.computed) {
    if (isName(node.object, 'Date') && isName(node.property, 'now')) return 'Date.now()';
    if (isName(node.object, 'Math') && isName(node.property, 'random')) return 'Math.random()';
  }
  if (node.type === 'NewExpression' && isName(node.callee, 'Date') && node.arguments.length === 0) return 'new Date()';
  return undefined;
}

/**
 * One walk over the whole program for the rejections that can sit anywhere: `import()`,
 * `import.meta`, `with` (when acorn let it through), `await using`, reserved identifiers and,
 * for inline scripts only, Date.now / Math.random / new Date().
 */
export function checkBody(site: ErrorSite, program: acorn.Program, inline: boolean): void {
  walk(program, (node) => {
    switch (node.type) {
      case 'ImportExpression':
        fail(site, node.start, MESSAGES.dynamicImport);
        break; // fail() throws; the break keeps the cases apart for readers and the linter
      case 'MetaProperty':
        if (node.meta.name === 'import') fail(site, node.start, MESSAGES.importMeta);
        break;
      case 'WithStatement':
        fail(site, node.start, MESSAGES.withStatement);
        break;
      case 'VariableDeclaration':
        if (node.kind === 'await using') fail(site, node.start, MESSAGES.awaitUsing);
        break;
      case 'Identifier':
        if (node.name.startsWith(RESERVED_PREFIX)) fail(site, node.start, MESSAGES.reservedIdentifier(node.name));
        break;
    }
    if (inline) {
      const what = nonDeterministic(node);
      if (what) fail(site, node.start, MESSAGES.nonDeterministic(what, positionAt(site.source, node.start).line));
    }
  });
}
