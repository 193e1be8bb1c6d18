// Live checks beyond syntax (issue 12): mistakes the runtime would only report once the run reaches
// them — an unknown agentType, an option value agent() rejects, Date.now() / Math.random() /
// new Date(), a workflow() that resolves to nothing — found in the source, with the runtime's own
// message for the same mistake. Only literal values are judged, never computed ones, and a name the
// script declares itself (a local `agent`, `Date`, …) is not the global and is left alone.
import * as acorn from 'acorn';
import { ScriptError, MESSAGES } from '../errors';
import { validateAgentOptions } from '../run/agentOptions';
import type { WorkflowRef, WorkflowResolver } from '../run/runTypes';
import { evaluateLiteral, type LiteralValue } from './literal';
import { LineIndex } from './positions';
import { isBound, walkScoped, type Scope } from './scopes';
import { normalizeSource } from './source';
import { ACORN_OPTIONS } from './syntax';

type Node = acorn.AnyNode;

export type AuthoringCode =
  | 'unknownAgentType'
  | 'badOptionValue'
  | 'undefinedOptionValue'
  | 'nonDeterministic'
  | 'workflowNotFound'
  | 'workflowRef';

/** 1-based lines and columns; the end is exclusive. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type AuthoringFix =
  | ({ kind: 'replace'; title: string; text: string } & SourceRange)
  | { kind: 'createAgentFile'; title: string; name: string };

export interface AuthoringProblem extends SourceRange {
  message: string;
  code: AuthoringCode;
  fixes: AuthoringFix[];
}

export interface AuthoringContext {
  /** The agent types a run of this script can name; without it agentType is not judged. */
  agentTypes?: readonly string[];
  /** The runtime's error for workflow(ref) from this script, or undefined when it resolves. */
  workflowProblem?: (ref: WorkflowRef) => string | undefined;
}

// The sandbox's own globals (prelude.guest.js) besides the standard ones this process also has.
const WORKFLOW_GLOBALS = new Set([
  'agent',
  'parallel',
  'pipeline',
  'workflow',
  'phase',
  'log',
  'console',
  'budget',
  'setTimeout',
  'clearTimeout',
  'args',
]);
// Options whose value is a string: an undeclared bare word there was meant to be quoted.
const STRING_OPTIONS = new Set(['label', 'phase', 'model', 'agentType', 'effort', 'isolation']);
// Where the runtime accepts a fixed set of strings, the nearest one is the obvious replacement.
const CHOICES: Record<string, readonly string[]> = {
  effort: ['low', 'medium', 'high', 'xhigh', 'max'],
  isolation: ['worktree', 'remote'],
};
// An agent file name that Claude Code reads back as the same agent type (no folders, no plugin prefix).
const AGENT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** QuickJS's ReferenceError for a name the script never declared (what the run would throw). */
export function notDefinedMessage(name: string): string {
  return `'${name}' is not defined`;
}

/** Every problem found; a script that does not parse has none here (the syntax check reports it). */
export function authoringProblems(source: string, context: AuthoringContext = {}): AuthoringProblem[] {
  const text = normalizeSource(source);
  let program: acorn.Program;
  try {
    program = acorn.parse(text, ACORN_OPTIONS);
  } catch {
    return [];
  }
  const checker = new Checker(text, context);
  walkScoped(program, (node, _parent, scope) => checker.visit(node, scope));
  return checker.problems;
}

class Checker {
  readonly problems: AuthoringProblem[] = [];
  private readonly lines: LineIndex;

  constructor(
    private readonly source: string,
    private readonly context: AuthoringContext,
  ) {
    this.lines = new LineIndex(source);
  }

  visit(node: Node, scope: Scope | undefined): void {
    if (node.type === 'CallExpression') this.call(node, scope);
    else if (node.type === 'NewExpression') {
      if (this.isGlobal(node.callee, 'Date', scope) && node.arguments.length === 0)
        this.report(node, MESSAGES.dateNow, 'nonDeterministic');
    }
  }

  private call(node: acorn.CallExpression, scope: Scope | undefined): void {
    const callee = node.callee;
    if (this.isGlobal(callee, 'agent', scope)) this.agentOptions(node.arguments[1], scope);
    else if (this.isGlobal(callee, 'workflow', scope)) this.workflowRef(node.arguments[0]);
    else if (this.isGlobal(callee, 'Date', scope)) this.report(node, MESSAGES.dateNow, 'nonDeterministic');
    else if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
      const method = callee.property.name;
      if (method === 'now' && this.isGlobal(callee.object, 'Date', scope))
        this.report(node, MESSAGES.dateNow, 'nonDeterministic');
      else if (method === 'random' && this.isGlobal(callee.object, 'Math', scope))
        this.report(node, MESSAGES.mathRandom, 'nonDeterministic');
    }
  }

  private isGlobal(node: Node, name: string, scope: Scope | undefined): boolean {
    return node.type === 'Identifier' && node.name === name && !isBound(scope, name);
  }

  /** agent(prompt, { … }): each literal option the runtime's validation would reject. */
  private agentOptions(opts: Node | undefined, scope: Scope | undefined): void {
    if (opts?.type !== 'ObjectExpression') return;
    const props = opts.properties;
    props.forEach((prop, i) => {
      if (prop.type !== 'Property' || prop.kind !== 'init' || prop.method || prop.shorthand) return;
      const key = propertyName(prop);
      // A later property of the same name, or a spread after it, decides the value instead.
      if (key === undefined || props.slice(i + 1).some((p) => p.type === 'SpreadElement' || propertyName(p) === key))
        return;
      const value = prop.value as Node;
      if (value.type === 'Identifier') this.bareWord(key, value, scope);
      else this.literalOption(key, value);
    });
  }

  /** `effort: high` with `high` declared nowhere: the run throws a ReferenceError; quoting is the fix. */
  private bareWord(key: string, value: acorn.Identifier, scope: Scope | undefined): void {
    const name = value.name;
    if (!STRING_OPTIONS.has(key) || isBound(scope, name) || WORKFLOW_GLOBALS.has(name) || name in globalThis) return;
    this.report(value, notDefinedMessage(name), 'undefinedOptionValue', [
      { kind: 'replace', title: 'Quote the value', text: quote(name), ...this.range(value) },
    ]);
  }

  private literalOption(key: string, node: Node): void {
    const value = literalValue(this.source, node);
    if (value === undefined) return;
    const checked = validateAgentOptions({ [key]: value }, key === 'agentType' ? this.agentTypes() : undefined);
    if (!('error' in checked)) return;
    const message = checked.error.message;
    const fixes: AuthoringFix[] = [];
    const types = this.agentTypes();
    const unknownType =
      key === 'agentType' &&
      typeof value === 'string' &&
      !!types &&
      message === MESSAGES.unknownAgentType(value, types);
    if (typeof value === 'string') {
      const choices = unknownType ? types : CHOICES[key];
      const nearest = choices && nearestChoice(value, choices);
      if (nearest)
        fixes.push({
          kind: 'replace',
          title: `Replace with ${quote(nearest)}`,
          text: quote(nearest),
          ...this.range(node),
        });
    } else if ((key === 'label' || key === 'phase') && (typeof value === 'number' || typeof value === 'boolean')) {
      fixes.push({
        kind: 'replace',
        title: 'Quote the value',
        text: quote(this.source.slice(node.start, node.end)),
        ...this.range(node),
      });
    }
    if (unknownType && AGENT_FILE_NAME.test(value as string)) {
      fixes.push({
        kind: 'createAgentFile',
        title: `Create .claude/agents/${value as string}.md`,
        name: value as string,
      });
    }
    this.report(node, message, unknownType ? 'unknownAgentType' : 'badOptionValue', fixes);
  }

  private agentTypes(): string[] | undefined {
    return this.context.agentTypes && [...this.context.agentTypes];
  }

  /** workflow('name') / workflow({ scriptPath: '…' }) with literals: does it resolve? */
  private workflowRef(arg: Node | undefined): void {
    if (!arg || arg.type === 'SpreadElement') return;
    let ref: WorkflowRef | undefined;
    if (arg.type === 'ObjectExpression') {
      const path = arg.properties.find((p) => propertyName(p) === 'scriptPath');
      if (!path || path.type !== 'Property' || arg.properties.some((p) => p.type === 'SpreadElement')) return;
      const value = literalValue(this.source, path.value as Node);
      if (typeof value === 'string') ref = { scriptPath: value };
      else if (value !== undefined) return this.report(arg, MESSAGES.workflowRef, 'workflowRef');
    } else {
      const value = literalValue(this.source, arg);
      if (value === undefined) return;
      if (typeof value !== 'string') return this.report(arg, MESSAGES.workflowRef, 'workflowRef');
      ref = { name: value };
    }
    if (!ref) return;
    const problem = this.context.workflowProblem?.(ref);
    if (problem) this.report(arg, problem, 'workflowNotFound');
  }

  private range(node: Node): SourceRange {
    const start = this.lines.positionAt(node.start);
    const end = this.lines.positionAt(node.end);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  private report(node: Node, message: string, code: AuthoringCode, fixes: AuthoringFix[] = []): void {
    this.problems.push({ message, code, fixes, ...this.range(node) });
  }
}

/** A non-computed (or string-literal computed) property's name. */
function propertyName(prop: Node): string | undefined {
  if (prop.type !== 'Property') return undefined;
  const key = prop.key;
  if (!prop.computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

/** The value of a pure literal (strings, numbers, booleans, null, arrays, objects); undefined otherwise. */
function literalValue(source: string, node: Node): LiteralValue | undefined {
  try {
    return evaluateLiteral({ source, file: '' }, node);
  } catch (e) {
    if (e instanceof ScriptError) return undefined;
    throw e;
  }
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The choice a mistyped value most likely meant: same letters in another case, or a typo or two away. */
export function nearestChoice(value: string, choices: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const sameCase = choices.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of choices) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(2, Math.floor((best?.length ?? 0) / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Edits (insert, delete, change, swap of neighbours) from `a` to `b`: 'hihg' is one swap from 'high'. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The run's own resolver asked, ahead of time, about each literal workflow() reference of the
 * script: its answers (the runtime's error, or none) for a later authoringProblems().
 */
export async function workflowProblemsOf(
  source: string,
  resolve: WorkflowResolver,
  fromFile: string,
): Promise<(ref: WorkflowRef) => string | undefined> {
  const refs: WorkflowRef[] = [];
  authoringProblems(source, { workflowProblem: (ref) => void refs.push(ref) });
  const answers = new Map<string, string | undefined>();
  for (const ref of refs) {
    const key = JSON.stringify(ref);
    if (answers.has(key)) continue;
    try {
      await resolve(ref, fromFile);
      answers.set(key, undefined);
    } catch (e) {
      answers.set(key, e instanceof Error ? e.message : String(e));
    }
  }
  return (ref) => answers.get(JSON.stringify(ref));
}
