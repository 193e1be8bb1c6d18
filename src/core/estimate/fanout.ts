// The static estimate (core/script/estimate.ts) evaluated with the actual `args`: how many agents
// each `agent(` call site starts, as a low–high range. Sizes and trip counts that `args` fix are
// exact (`parallel(args.files.map(…))` over 40 files is 40); conditions on `args` pick their
// branch; anything data-dependent becomes UNKNOWN_REPEAT; a `workflow()` child is walked with the
// args it is given (one level, as the runtime allows).
import type * as acorn from 'acorn';
import { evaluate, UNKNOWN, type Scope, type Value } from './evaluate';
import { childNodes } from '../script/walk';
import {
  addCounts,
  eitherCounts,
  exactly,
  none,
  one,
  scaleCounts,
  UNKNOWN_REPEAT,
  type Counts,
  type Range,
} from './range';

type Node = acorn.AnyNode;
type Fn = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;

/** One `agent(` call in a script (the parent's or a child workflow's). */
export interface AgentSite {
  id: number;
  /** The script it is in, as given to the walk. */
  file: string;
  line: number;
  /** `opts.phase`, else the last `phase()` before it; a child's agents take the caller's. */
  phase?: string;
  /** `opts.model` when known before the run. */
  model?: string;
  /** `opts.agentType` when known before the run (its definition may name the model). */
  agentType?: string;
  /** The label node (`opts.label`) and prompt node, for matching journal labels. */
  labelNode?: Node;
  promptNode?: Node;
  /** The workflow()'s name when the site is in a child workflow. */
  workflow?: string;
}

/** A child script workflow() reaches, loaded before the walk. */
export interface LoadedChild {
  file: string;
  program: acorn.Program;
}

export interface WalkContext {
  sites: AgentSite[];
  /** Children by the key `childKey` gives their reference. */
  children: Map<string, LoadedChild | { error: string }>;
  notes: string[];
}

/** The key a workflow() reference is loaded under: `name:x` or `path:<file>:<scriptPath>`. */
export function childKey(ref: Value, fromFile: string): string | undefined {
  if (typeof ref === 'string') return `name:${ref}`;
  if (ref && typeof ref === 'object' && typeof (ref as { scriptPath?: unknown }).scriptPath === 'string') {
    return `path:${fromFile}:${(ref as { scriptPath: string }).scriptPath}`;
  }
  return undefined;
}

const LOOPS = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
const PER_ELEMENT = new Set(['map', 'flatMap', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce']);

function isFn(n: Node | null | undefined): n is Fn {
  return (
    !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression')
  );
}

function memberCall(call: acorn.CallExpression): { object: Node; method: string } | undefined {
  const c = call.callee;
  if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier') return undefined;
  return { object: c.object as Node, method: c.property.name };
}

function optionNode(call: acorn.CallExpression, key: string): Node | undefined {
  const opts = call.arguments[1];
  if (opts?.type !== 'ObjectExpression') return undefined;
  for (const p of opts.properties) {
    if (p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === key)
      return p.value as Node;
  }
  return undefined;
}

/** Whether a statement can leave the block it is in (a `return` or `throw` outside nested functions). */
function canLeave(node: Node): boolean {
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (isFn(node)) return false;
  return childNodes(node).some(canLeave);
}

const MAX_WORK = 200_000;
/** Longest array walked element by element; longer ones are counted once and multiplied. */
const MAX_UNROLL = 200;

export class FanOutWalk implements Scope {
  private readonly functions = new Map<string, Fn>();
  private readonly decls = new Map<string, { init?: Node; kind: string; assignments: Node[] }>();
  private readonly parents = new Map<Node, Node>();
  private readonly frames: Map<string, Value>[] = [];
  private readonly active = new Set<Fn>();
  private readonly resolving = new Set<string>();
  private readonly siteOf = new Map<Node, AgentSite>();
  private phase: string | undefined;
  private work = 0;

  constructor(
    private readonly ctx: WalkContext,
    private readonly file: string,
    private readonly program: acorn.Program,
    readonly args: Value,
    /** Set for a child workflow: its agents belong to the caller's phase, and it may not nest. */
    private readonly asChild?: { name: string; phase?: string },
  ) {
    this.phase = asChild?.phase;
    this.collect(program, undefined);
  }

  /** Agents per site for the whole script. */
  walk(): Counts {
    return this.count(this.program);
  }

  binding(name: string, use: Node): { value: Value } | { init: Node } | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--)
      if (this.frames[i].has(name)) return { value: this.frames[i].get(name) };
    const d = this.decls.get(name);
    if (!d?.init) return undefined;
    if (d.assignments.length === 0 || this.resolving.has(name)) return { init: d.init };
    // `let files = args; if (!files.length) files = await agent(…)`: the init holds wherever
    // every reassignment sits in a branch the args rule out.
    this.resolving.add(name);
    try {
      return d.assignments.every((a) => this.dead(a) || this.later(a, use)) ? { init: d.init } : undefined;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** An assignment after `use` in the text, and in no loop around both, has not happened yet there. */
  private later(assignment: Node, use: Node): boolean {
    if (assignment.start < use.start) return false;
    for (let p = this.parents.get(assignment); p; p = this.parents.get(p)) {
      if (LOOPS.has(p.type) && p.start <= use.start && use.end <= p.end) return false;
    }
    return true;
  }

  private dead(node: Node): boolean {
    for (let child = node, parent = this.parents.get(node); parent; child = parent, parent = this.parents.get(parent)) {
      if (parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') {
        const test = evaluate(parent.test, this);
        if (test !== UNKNOWN && child === parent.consequent && !test) return true;
        if (test !== UNKNOWN && child === parent.alternate && test) return true;
      }
    }
    return false;
  }

  private collect(node: Node, parent: Node | undefined): void {
    if (parent) this.parents.set(node, parent);
    if (node.type === 'FunctionDeclaration' && node.id && !this.functions.has(node.id.name))
      this.functions.set(node.id.name, node);
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) {
        if (d.id.type !== 'Identifier') continue;
        if (isFn(d.init) && !this.functions.has(d.id.name)) this.functions.set(d.id.name, d.init);
        // Scopes are ignored: a name declared twice is not followed.
        const prev = this.decls.get(d.id.name);
        if (prev) prev.init = undefined;
        else this.decls.set(d.id.name, { init: d.init ?? undefined, kind: node.kind, assignments: [] });
      }
    }
    for (const c of childNodes(node)) this.collect(c, node);
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier')
      this.decls.get(node.left.name)?.assignments.push(node);
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier')
      this.decls.get(node.argument.name)?.assignments.push(node);
  }

  private isDefinition(child: Node, parent: Node): boolean {
    if (child.type === 'FunctionDeclaration') return true;
    if (!isFn(child)) return false;
    return (
      (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') ||
      parent.type === 'Property' ||
      parent.type === 'MethodDefinition' ||
      parent.type === 'AssignmentExpression'
    );
  }

  private count(node: Node | null | undefined): Counts {
    if (!node) return none();
    if (++this.work > MAX_WORK) return none();
    switch (node.type) {
      case 'CallExpression':
        return this.countCall(node);
      case 'BlockStatement':
      case 'Program':
        return this.block(node.body as Node[]);
      case 'IfStatement':
      case 'ConditionalExpression':
        return this.branch(node.test, node.consequent, node.alternate ?? undefined);
      case 'LogicalExpression': {
        const left = this.count(node.left);
        const l = evaluate(node.left, this);
        if (l === UNKNOWN) return addCounts(left, eitherCounts(this.count(node.right), none()));
        const runsRight = node.operator === '&&' ? !!l : node.operator === '||' ? !l : l === null || l === undefined;
        return runsRight ? addCounts(left, this.count(node.right)) : left;
      }
      case 'ForStatement': {
        const body = this.sum([node.test, node.body, node.update]);
        return addCounts(this.count(node.init), scaleCounts(body, this.tripCount(node)));
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        return scaleCounts(this.sum([node.test, node.body]), UNKNOWN_REPEAT);
      case 'ForOfStatement': {
        const head = this.count(node.right);
        const names =
          node.left.type === 'VariableDeclaration' && node.left.declarations[0]?.id.type === 'Identifier'
            ? [node.left.declarations[0].id.name]
            : [];
        const each = this.perElement(node.right, names, () => this.count(node.body));
        return addCounts(head, each ?? scaleCounts(this.count(node.body), this.size(node.right)));
      }
      case 'ForInStatement':
        return addCounts(this.count(node.right), scaleCounts(this.count(node.body), UNKNOWN_REPEAT));
      default:
        if (isFn(node)) return this.count(node.body);
        return this.sum(childNodes(node).filter((c) => !this.isDefinition(c, node)));
    }
  }

  /** Statements in order; after one that may leave early, the rest may not run. */
  private block(statements: Node[]): Counts {
    let total = none();
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (s.type === 'FunctionDeclaration') continue; // entered where it is called
      total = addCounts(total, this.count(s));
      if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return total;
      if (s.type === 'IfStatement' && canLeave(s)) {
        const test = evaluate(s.test, this);
        const taken = test === UNKNOWN ? undefined : test ? s.consequent : s.alternate;
        if (taken && canLeaveAlways(taken)) return total;
        if (test === UNKNOWN) return addCounts(total, eitherCounts(this.block(statements.slice(i + 1)), none()));
      }
    }
    return total;
  }

  private branch(test: Node, yes: Node, no: Node | undefined): Counts {
    const head = this.count(test);
    const t = evaluate(test, this);
    if (t !== UNKNOWN) return addCounts(head, this.count(t ? yes : no));
    return addCounts(head, eitherCounts(this.count(yes), this.count(no)));
  }

  private sum(nodes: (Node | null | undefined)[]): Counts {
    let t = none();
    for (const n of nodes) if (n) t = addCounts(t, this.count(n));
    return t;
  }

  private countCall(call: acorn.CallExpression): Counts {
    const name = call.callee.type === 'Identifier' ? call.callee.name : undefined;
    const args = call.arguments as Node[];
    if (name === 'phase' && !this.asChild) {
      const title = evaluate(args[0], this);
      if (typeof title === 'string') this.phase = title;
      return none();
    }
    if (name === 'agent') return addCounts(one(this.site(call).id), this.sum(args));
    if (name === 'workflow') return addCounts(this.sum(args), this.child(call));
    if (name === 'pipeline' && args[0])
      return addCounts(this.count(args[0]), scaleCounts(this.sum(args.slice(1)), this.size(args[0])));
    const m = memberCall(call);
    if (m && PER_ELEMENT.has(m.method)) {
      const callbacks = args.map((a) => (a.type === 'Identifier' && this.functions.get(a.name)) || a);
      const cb = callbacks[0];
      const names = isFn(cb) ? cb.params.map((p) => (p.type === 'Identifier' ? p.name : '')) : [];
      const unrolled = isFn(cb) ? this.perElement(m.object, names, () => this.count(cb.body)) : undefined;
      return addCounts(this.count(m.object), unrolled ?? scaleCounts(this.sum(callbacks), this.size(m.object)));
    }
    if (m && m.method === 'from' && m.object.type === 'Identifier' && m.object.name === 'Array' && args[1]) {
      const each = this.count((args[1].type === 'Identifier' && this.functions.get(args[1].name)) || args[1]);
      return addCounts(this.count(args[0]), scaleCounts(each, this.size(call)));
    }
    const fn = isFn(call.callee as Node)
      ? (call.callee as Fn)
      : name !== undefined
        ? this.functions.get(name)
        : undefined;
    if (fn) return addCounts(this.sum(args), this.enter(fn, args));
    return this.sum([call.callee as Node, ...args]);
  }

  /**
   * The body once per element of a known array, with the element (and index) bound: a child
   * workflow per batch gets each batch's files. Undefined when the array is not known or too long.
   */
  private perElement(list: Node, names: string[], body: () => Counts): Counts | undefined {
    const v = evaluate(list, this);
    if (!Array.isArray(v) || v.length > MAX_UNROLL) return undefined;
    let total = none();
    v.forEach((element: Value, index) => {
      const frame = new Map<string, Value>();
      if (names[0]) frame.set(names[0], element);
      if (names[1]) frame.set(names[1], index);
      this.frames.push(frame);
      try {
        total = addCounts(total, body());
      } finally {
        this.frames.pop();
      }
    });
    return total;
  }

  /** A helper's body with its parameters bound to what the caller passes (when known). */
  private enter(fn: Fn, args: Node[]): Counts {
    if (this.active.has(fn)) return scaleCounts(this.count(fn.body), UNKNOWN_REPEAT);
    const frame = new Map<string, Value>();
    fn.params.forEach((p, i) => {
      if (p.type === 'Identifier') frame.set(p.name, args[i] ? evaluate(args[i], this) : undefined);
    });
    this.active.add(fn);
    this.frames.push(frame);
    try {
      return this.count(fn.body);
    } finally {
      this.frames.pop();
      this.active.delete(fn);
    }
  }

  private site(call: acorn.CallExpression): AgentSite {
    const known = this.siteOf.get(call);
    if (known) return known;
    const phase = evaluate(optionNode(call, 'phase'), this);
    const model = evaluate(optionNode(call, 'model'), this);
    const agentType = evaluate(optionNode(call, 'agentType'), this);
    const site: AgentSite = {
      id: this.ctx.sites.length,
      file: this.file,
      line: lineOf(this.program, call.start),
      phase: this.asChild?.phase ?? (typeof phase === 'string' ? phase : this.phase),
      model: typeof model === 'string' ? model : undefined,
      agentType: typeof agentType === 'string' ? agentType : undefined,
      labelNode: optionNode(call, 'label'),
      promptNode: call.arguments[0] as Node | undefined,
      workflow: this.asChild?.name,
    };
    this.ctx.sites.push(site);
    this.siteOf.set(call, site);
    return site;
  }

  private child(call: acorn.CallExpression): Counts {
    const ref = evaluate(call.arguments[0] as Node, this);
    const shown = typeof ref === 'string' ? ref : 'a workflow';
    if (this.asChild) return none(); // the runtime rejects a grandchild before it starts agents
    const key = childKey(ref, this.file);
    const loaded = key ? this.ctx.children.get(key) : undefined;
    if (!loaded || 'error' in loaded) {
      note(
        this.ctx,
        `workflow(${typeof ref === 'string' ? JSON.stringify(ref) : '…'}) at line ${lineOf(this.program, call.start)}: ${loaded && 'error' in loaded ? loaded.error : 'not known before the run'}; its agents are not counted`,
      );
      return none();
    }
    const childArgs = call.arguments[1] ? evaluate(call.arguments[1] as Node, this) : undefined;
    return new FanOutWalk(this.ctx, loaded.file, loaded.program, childArgs, { name: shown, phase: this.phase }).walk();
  }

  /** Elements a fan-out iterates over: exact when args fix them, else UNKNOWN_REPEAT. */
  private size(node: Node): Range {
    const v = evaluate(node, this);
    if (Array.isArray(v)) return exactly(v.length);
    if (typeof v === 'string') return exactly([...v].length);
    if (node.type === 'CallExpression') {
      const m = memberCall(node);
      // filter keeps anywhere from none to all of them.
      if (m?.method === 'filter') return { low: 0, high: this.size(m.object).high };
      if (m && (m.method === 'map' || m.method === 'entries' || m.method === 'keys')) return this.size(m.object);
      if (
        m?.method === 'from' &&
        m.object.type === 'Identifier' &&
        m.object.name === 'Array' &&
        node.arguments[0]?.type === 'ObjectExpression'
      ) {
        for (const p of node.arguments[0].properties) {
          if (p.type === 'Property' && p.key.type === 'Identifier' && p.key.name === 'length') {
            const n = evaluate(p.value as Node, this);
            if (typeof n === 'number' && n >= 0) return exactly(Math.floor(n));
          }
        }
      }
    }
    return UNKNOWN_REPEAT;
  }

  /** `for (let i = A; i < B; i++)` with A and B known from literals or args. */
  private tripCount(node: acorn.ForStatement): Range {
    const { init, test, update } = node;
    if (!init || init.type !== 'VariableDeclaration' || init.declarations.length !== 1) return UNKNOWN_REPEAT;
    const d = init.declarations[0];
    if (
      d.id.type !== 'Identifier' ||
      !test ||
      test.type !== 'BinaryExpression' ||
      test.left.type !== 'Identifier' ||
      test.left.name !== d.id.name
    )
      return UNKNOWN_REPEAT;
    const from = evaluate(d.init, this);
    const to = evaluate(test.right, this);
    const byOne =
      (update?.type === 'UpdateExpression' && update.operator === '++') ||
      (update?.type === 'AssignmentExpression' &&
        update.operator === '+=' &&
        update.right.type === 'Literal' &&
        update.right.value === 1);
    if (!byOne || typeof from !== 'number' || typeof to !== 'number') return UNKNOWN_REPEAT;
    const n = test.operator === '<' ? to - from : test.operator === '<=' ? to - from + 1 : undefined;
    return n === undefined ? UNKNOWN_REPEAT : exactly(Math.max(0, Math.floor(n)));
  }
}

/** Whether every path through a statement leaves (a `return`/`throw` at its end). */
function canLeaveAlways(node: Node): boolean {
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (node.type === 'BlockStatement') return node.body.some((s) => canLeaveAlways(s as Node));
  if (node.type === 'IfStatement')
    return !!node.alternate && canLeaveAlways(node.consequent) && canLeaveAlways(node.alternate);
  return false;
}

function note(ctx: WalkContext, text: string): void {
  if (!ctx.notes.includes(text)) ctx.notes.push(text);
}

const lineCache = new WeakMap<acorn.Program, number[]>();

function lineOf(program: acorn.Program, offset: number): number {
  const starts = lineCache.get(program) ?? [0];
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Remembers where each line of `source` starts, for the sites' line numbers. */
export function indexLines(program: acorn.Program, source: string): void {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  lineCache.set(program, starts);
}
