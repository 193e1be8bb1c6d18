// The `export const meta = {…}` statement: finding it (it must come first) and turning its
// literal value into a WorkflowMeta (spec §2.2 field rules).
import type * as acorn from 'acorn';
import { MESSAGES } from '../errors';
import type { PhaseSpec, WorkflowMeta } from '../types';
import { fail, type ErrorSite } from './codeFrame';
import { evaluateLiteral, type LiteralValue } from './literal';

export interface MetaStatement {
  /** The `export …` statement (its `export ` keyword is blanked when compiling). */
  statement: acorn.ExportNamedDeclaration;
  declaration: acorn.VariableDeclaration;
  init: acorn.ObjectExpression;
}

/** The first statement if it is exactly `export const meta = { … }`; throws metaFirst otherwise. */
export function findMetaStatement(site: ErrorSite, program: acorn.Program): MetaStatement {
  const first = program.body[0];
  const where = first ? first.start : program.end;
  if (!first || first.type !== 'ExportNamedDeclaration') fail(site, where, MESSAGES.metaFirst);
  const decl = first.declaration;
  if (!decl || decl.type !== 'VariableDeclaration' || decl.kind !== 'const' || decl.declarations.length !== 1) {
    fail(site, where, MESSAGES.metaFirst);
  }
  const { id, init } = decl.declarations[0];
  if (id.type !== 'Identifier' || id.name !== 'meta' || !init || init.type !== 'ObjectExpression') {
    fail(site, where, MESSAGES.metaFirst);
  }
  return { statement: first, declaration: decl, init };
}

type LiteralObject = { [key: string]: LiteralValue };

function isObject(value: LiteralValue | undefined): value is LiteralObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where to point for a bad field: its property, else the whole object. */
function fieldOffset(init: acorn.ObjectExpression, field: string): number {
  for (let i = init.properties.length - 1; i >= 0; i--) {
    const p = init.properties[i];
    if (p.type !== 'Property') continue;
    const k = p.key;
    const name = k.type === 'Identifier' ? k.name : k.type === 'Literal' ? String(k.value) : undefined;
    if (name === field) return p.start;
  }
  return init.start;
}

function phases(value: LiteralValue | undefined): PhaseSpec[] {
  if (!Array.isArray(value)) return [];
  const out: PhaseSpec[] = [];
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.title !== 'string') continue;
    const phase: PhaseSpec = { title: entry.title };
    if (typeof entry.detail === 'string') phase.detail = entry.detail;
    if (typeof entry.model === 'string') phase.model = entry.model;
    out.push(phase);
  }
  return out;
}

/**
 * Validates and normalises the literal. name/description are required; the optional fields are
 * lenient (a wrong-typed title/whenToUse is dropped, like a phase without a title) so that
 * every script the official runtime accepts is accepted here too. Unknown keys are dropped.
 */
export function normalizeMeta(site: ErrorSite, init: acorn.ObjectExpression, value: LiteralObject): WorkflowMeta {
  for (const field of ['name', 'description'] as const) {
    const v = value[field];
    if (typeof v !== 'string' || v.trim() === '') fail(site, fieldOffset(init, field), MESSAGES.metaField(field));
  }
  const { title, whenToUse } = value;
  return {
    name: value.name as string,
    description: value.description as string,
    ...(typeof title === 'string' && title.trim() !== '' ? { title } : {}),
    ...(typeof whenToUse === 'string' ? { whenToUse } : {}),
    phases: phases(value.phases),
  };
}

/** Pure-literal evaluation plus normalisation of a meta object expression. */
export function metaFromNode(site: ErrorSite, init: acorn.ObjectExpression): WorkflowMeta {
  return normalizeMeta(site, init, evaluateLiteral(site, init) as LiteralObject);
}
