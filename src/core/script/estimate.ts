// A static estimate of the agents a script may start, for the pre-run dialog (spec §6.4 and §7
// row 7: Claude Code groups `agent(` calls as "step", "parallel × N" or "loop <cond>" with the
// first prompts). Nothing runs: the AST is read, sizes are known only for array literals (or
// consts bound to them) and counted `for` loops; everything data-dependent is counted once and
// marks the estimate open ("about 3+ agents").
import * as acorn from 'acorn';
import { ACORN_OPTIONS } from './syntax';
import { LineIndex } from './positions';
import { childNodes } from './walk';

export type EstimateKind = 'step' | 'parallel' | 'pipeline' | 'map' | 'loop' | 'workflow';

/** One top-level construct that starts agents, in the order the script reaches it. */
export interface EstimateGroup {
  kind: EstimateKind;
  /** "step", "parallel × 3", "pipeline × N", "loop while (round < 3)", "workflow review". */
  label: string;
  /** 1-based line of the construct. */
  line: number;
  /** Agents it may start; a lower bound when `open`. */
  agents: number;
  /** Some size or trip count is only known at run time. */
  open: boolean;
  /** The expression a data-dependent fan-out iterates over (`files`), when there is one. */
  over?: string;
  /** The first prompts of the agent() calls inside, as written (template literals keep `${…}`). */
  prompts: string[];
}

export interface AgentEstimate {
  groups: EstimateGroup[];
  agents: number;
  open: boolean;
  /** Number of `agent(` call sites in the file. */
  callSites: number;
  /** "about 7+ agents: 2 steps, parallel × 3, loop while (round < 3)". */
  summary: string;
}

type Node = acorn.AnyNode;
type Fn = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;

interface Tally {
  agents: number;
  open: boolean;
  prompts: string[];
  over?: string;
}

const MAX_PROMPTS = 3;
const MAX_TEXT = 48;
/** Node visits before giving up (helpers calling helpers can multiply the walk). */
const MAX_WORK = 200_000;
/** Array methods whose callback runs once per element. */
const PER_ELEMENT = new Set(['map', 'flatMap', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce']);

const zero = (): Tally => ({ agents: 0, open: false, prompts: [] });

function isFn(n: Node | null | undefined): n is Fn {
  return (
    !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression')
  );
}

/** `Array.from(spec, fn)`: fn runs once per element of spec. */
function isArrayFrom(n: Node): boolean {
  if (n.type !== 'CallExpression') return false;
  const m = memberCall(n);
  return !!m && m.method === 'from' && m.object.type === 'Identifier' && m.object.name === 'Array';
}

function calleeName(call: acorn.CallExpression): string | undefined {
  return call.callee.type === 'Identifier' ? call.callee.name : undefined;
}

function memberCall(call: acorn.CallExpression): { object: Node; method: string } | undefined {
  const c = call.callee;
  if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier') return undefined;
  return { object: c.object, method: c.property.name };
}

class Estimator {
  readonly groups: EstimateGroup[] = [];
  private readonly functions = new Map<string, Fn>();
  private readonly arrays = new Map<string, acorn.ArrayExpression>();
  private readonly seenAgents = new Set<Node>();
  private readonly active = new Set<Fn>();
  private readonly lines: LineIndex;
  private work = 0;
  exhausted = false;

  constructor(
    private readonly source: string,
    private readonly program: acorn.Program,
  ) {
    this.lines = new LineIndex(source);
    this.collectNames(program);
  }

  run(): void {
    this.scan(this.program);
    // Agents reached only through something this scan cannot follow (an object's method, a
    // callback stored and called later) still count, once each.
    for (const call of this.agentCalls(this.program)) {
      if (!this.seenAgents.has(call)) this.emit('step', 'step', call, this.count(call));
    }
  }

  agentCalls(root: Node): acorn.CallExpression[] {
    const out: acorn.CallExpression[] = [];
    const visit = (n: Node) => {
      if (n.type === 'CallExpression' && calleeName(n) === 'agent') out.push(n);
      for (const c of childNodes(n)) visit(c);
    };
    visit(root);
    return out;
  }

  /** Named functions and consts bound to array literals, wherever declared (scopes are ignored). */
  private collectNames(root: Node): void {
    const visit = (n: Node) => {
      if (n.type === 'FunctionDeclaration' && n.id && !this.functions.has(n.id.name)) this.functions.set(n.id.name, n);
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) {
        if (isFn(n.init) && !this.functions.has(n.id.name)) this.functions.set(n.id.name, n.init);
        if (n.init.type === 'ArrayExpression') this.arrays.set(n.id.name, n.init);
      }
      for (const c of childNodes(n)) visit(c);
    };
    visit(root);
  }

  private line(offset: number): number {
    return this.lines.positionAt(offset).line;
  }

  private text(node: Node): string {
    const t = this.source.slice(node.start, node.end).replace(/\s+/g, ' ').trim();
    return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
  }

  private tick(): boolean {
    if (++this.work > MAX_WORK) this.exhausted = true;
    return !this.exhausted;
  }

  private emit(kind: EstimateKind, label: string, node: Node, t: Tally): void {
    if (t.agents === 0 && !t.open) return;
    this.groups.push({
      kind,
      label,
      line: this.line(node.start),
      agents: t.agents,
      open: t.open,
      ...(t.over ? { over: t.over } : {}),
      prompts: t.prompts,
    });
  }

  /** A function's body is entered where it is called or handed over, not where it is defined. */
  private isDefinition(child: Node, parent: Node): boolean {
    if (child.type === 'FunctionDeclaration') return true;
    if (!isFn(child)) return false;
    return (
      (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') ||
      parent.type === 'Property' ||
      parent.type === 'MethodDefinition' ||
      parent.type === 'PropertyDefinition' ||
      parent.type === 'AssignmentExpression'
    );
  }

  // ---- top level: each construct that starts agents becomes a group ----

  private scan(node: Node): void {
    if (!this.tick()) return;
    const construct = this.construct(node);
    if (construct) {
      this.emit(construct.kind, construct.label, node, construct.tally());
      return;
    }
    if (node.type === 'CallExpression') {
      const fn = this.calledFunction(node);
      if (fn) {
        for (const a of node.arguments) this.scan(a);
        if (this.active.has(fn)) return;
        this.active.add(fn);
        this.scan(fn.body);
        this.active.delete(fn);
        return;
      }
    }
    if (isFn(node)) {
      this.scan(node.body);
      return;
    }
    for (const c of childNodes(node)) if (!this.isDefinition(c, node)) this.scan(c);
  }

  /** The groups the dialog names; undefined for anything else. */
  private construct(node: Node): { kind: EstimateKind; label: string; tally: () => Tally } | undefined {
    if (node.type === 'CallExpression') {
      const name = calleeName(node);
      if (name === 'agent') return { kind: 'step', label: 'step', tally: () => this.count(node) };
      if (name === 'parallel' || name === 'pipeline') {
        const items = node.arguments[0];
        const size = items && (name === 'parallel' ? this.parallelSize(items) : this.size(items));
        return { kind: name, label: `${name} × ${size ?? 'N'}`, tally: () => this.count(node) };
      }
      if (name === 'workflow') {
        const ref = node.arguments[0];
        const label = ref?.type === 'Literal' && typeof ref.value === 'string' ? `workflow ${ref.value}` : 'workflow';
        return { kind: 'workflow', label, tally: () => this.count(node) };
      }
      const m = memberCall(node);
      if (m && PER_ELEMENT.has(m.method) && node.arguments.some((a) => isFn(a) || a.type === 'Identifier')) {
        const size = this.size(m.object);
        return { kind: 'map', label: `${m.method} × ${size ?? 'N'}`, tally: () => this.count(node) };
      }
      return undefined;
    }
    const loop = this.loopLabel(node);
    if (loop) return { kind: 'loop', label: loop, tally: () => this.count(node) };
    return undefined;
  }

  private loopLabel(node: Node): string | undefined {
    switch (node.type) {
      case 'WhileStatement':
      case 'DoWhileStatement':
        return `loop while (${this.text(node.test)})`;
      case 'ForStatement': {
        if (!node.test) return 'loop for (;;)';
        const n = this.tripCount(node);
        return n === undefined ? `loop while (${this.text(node.test)})` : `loop × ${n} (${this.text(node.test)})`;
      }
      case 'ForOfStatement':
      case 'ForInStatement': {
        const n = node.type === 'ForOfStatement' ? this.size(node.right) : undefined;
        const head = `${this.text(node.left)} ${node.type === 'ForOfStatement' ? 'of' : 'in'} ${this.text(node.right)}`;
        return n === undefined ? `loop for (${head})` : `loop × ${n} (${head})`;
      }
      default:
        return undefined;
    }
  }

  // ---- counting: how many agents a subtree starts ----

  count(node: Node): Tally {
    const t = zero();
    if (!this.tick()) return { ...t, open: true };
    switch (node.type) {
      case 'CallExpression':
        return this.countCall(node);
      case 'ForStatement': {
        // The init runs once; test, body and update once per iteration.
        const n = node.test ? this.tripCount(node) : undefined;
        return this.add(
          node.init ? this.count(node.init) : zero(),
          this.times(this.sum([node.test, node.body, node.update]), n),
        );
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        return this.times(this.sum([node.test, node.body]), undefined);
      case 'ForOfStatement':
      case 'ForInStatement': {
        const n = node.type === 'ForOfStatement' ? this.size(node.right) : undefined;
        return this.add(this.count(node.right), this.times(this.count(node.body), n));
      }
      default:
        if (isFn(node)) return this.count(node.body);
        return this.sum(childNodes(node).filter((c) => !this.isDefinition(c, node)));
    }
  }

  private countCall(call: acorn.CallExpression): Tally {
    const name = calleeName(call);
    const args = call.arguments;
    if (name === 'agent') {
      this.seenAgents.add(call);
      const own: Tally = { agents: 1, open: false, prompts: args[0] ? [this.prompt(args[0])] : [] };
      return this.add(own, this.sum(args));
    }
    if (name === 'workflow') return { ...this.sum(args), open: true };
    if (name === 'parallel' && args[0]) {
      const items = args[0];
      if (items.type === 'ArrayExpression' && items.elements.every((e) => e && e.type !== 'SpreadElement')) {
        return this.sum(items.elements as Node[]);
      }
      // A list of thunks built elsewhere was counted where it was built (`files.map(f => () => …)`).
      return this.count(items);
    }
    if (name === 'pipeline' && args[0]) {
      return this.add(this.count(args[0]), this.times(this.sum(args.slice(1)), this.size(args[0]), this.text(args[0])));
    }
    const m = memberCall(call);
    if (m && PER_ELEMENT.has(m.method)) {
      const each = this.sum(args.map((a) => (a.type === 'Identifier' && this.functions.get(a.name)) || a));
      return this.add(this.count(m.object), this.times(each, this.size(m.object), this.text(m.object)));
    }
    if (isArrayFrom(call) && args[1]) {
      const each = this.count((args[1].type === 'Identifier' && this.functions.get(args[1].name)) || args[1]);
      return this.add(this.count(args[0]), this.times(each, this.size(call), this.text(args[0])));
    }
    const fn = this.calledFunction(call);
    if (fn) {
      if (this.active.has(fn)) return { ...this.sum(args), open: true };
      this.active.add(fn);
      const body = this.count(fn.body);
      this.active.delete(fn);
      return this.add(this.sum(args), body);
    }
    return this.sum([call.callee, ...args]);
  }

  /** `xs.map(...)`: a parallel over it has one slot per element. */
  private perElement(node: Node): boolean {
    if (node.type !== 'CallExpression') return false;
    const m = memberCall(node);
    return (!!m && (m.method === 'map' || m.method === 'flatMap')) || isArrayFrom(node);
  }

  private calledFunction(call: acorn.CallExpression): Fn | undefined {
    if (isFn(call.callee)) return call.callee;
    const name = calleeName(call);
    return name === undefined ? undefined : this.functions.get(name);
  }

  private parallelSize(items: Node): number | undefined {
    if (items.type === 'ArrayExpression' || isArrayFrom(items)) return this.size(items);
    const m = items.type === 'CallExpression' && this.perElement(items) ? memberCall(items) : undefined;
    return m ? this.size(m.object) : undefined;
  }

  /** Elements of an array expression when statically known. */
  private size(node: Node): number | undefined {
    if (node.type === 'ArrayExpression')
      return node.elements.every((e) => !e || e.type !== 'SpreadElement') ? node.elements.length : undefined;
    if (node.type === 'Identifier') {
      const bound = this.arrays.get(node.name);
      return bound ? this.size(bound) : undefined;
    }
    if (node.type === 'CallExpression') {
      const m = memberCall(node);
      // map keeps the length; Array.from({ length: 3 }, …) has it spelled out.
      if (m && (m.method === 'map' || m.method === 'entries' || m.method === 'keys')) return this.size(m.object);
      if (isArrayFrom(node)) {
        const spec = node.arguments[0];
        if (spec?.type === 'ObjectExpression') {
          for (const p of spec.properties) {
            if (
              p.type === 'Property' &&
              p.key.type === 'Identifier' &&
              p.key.name === 'length' &&
              p.value.type === 'Literal' &&
              typeof p.value.value === 'number'
            )
              return p.value.value;
          }
        }
        return spec ? this.size(spec) : undefined;
      }
    }
    return undefined;
  }

  /** `for (let i = a; i < b; i++)` with numeric literals. */
  private tripCount(node: acorn.ForStatement): number | undefined {
    const { init, test, update } = node;
    if (!init || init.type !== 'VariableDeclaration' || init.declarations.length !== 1) return undefined;
    const d = init.declarations[0];
    if (d.id.type !== 'Identifier' || d.init?.type !== 'Literal' || typeof d.init.value !== 'number') return undefined;
    const v = d.id.name;
    if (!test || test.type !== 'BinaryExpression' || test.left.type !== 'Identifier' || test.left.name !== v)
      return undefined;
    if (test.right.type !== 'Literal' || typeof test.right.value !== 'number') return undefined;
    const stepsByOne =
      (update?.type === 'UpdateExpression' && update.operator === '++') ||
      (update?.type === 'AssignmentExpression' &&
        update.operator === '+=' &&
        update.right.type === 'Literal' &&
        update.right.value === 1);
    if (!stepsByOne) return undefined;
    const n =
      test.operator === '<'
        ? test.right.value - d.init.value
        : test.operator === '<='
          ? test.right.value - d.init.value + 1
          : undefined;
    return n === undefined ? undefined : Math.max(0, Math.floor(n));
  }

  private prompt(node: Node): string {
    if (node.type === 'Literal' && typeof node.value === 'string') return clip(node.value.replace(/\s+/g, ' ').trim());
    if (node.type === 'TemplateLiteral')
      return clip(
        this.source
          .slice(node.start + 1, node.end - 1)
          .replace(/\s+/g, ' ')
          .trim(),
      );
    return this.text(node);
  }

  private sum(nodes: (Node | null | undefined)[]): Tally {
    let t = zero();
    for (const n of nodes) if (n) t = this.add(t, this.count(n));
    return t;
  }

  private add(a: Tally, b: Tally): Tally {
    const prompts = [...a.prompts];
    for (const p of b.prompts) if (prompts.length < MAX_PROMPTS && !prompts.includes(p)) prompts.push(p);
    return { agents: a.agents + b.agents, open: a.open || b.open, prompts, over: a.over ?? b.over };
  }

  /** `t` once per element or iteration; unknown `n` counts once and opens the estimate. */
  private times(t: Tally, n: number | undefined, over?: string): Tally {
    if (t.agents === 0 && !t.open) return t;
    if (n === undefined) return { ...t, open: true, over: over ?? t.over };
    return { ...t, agents: t.agents * n, open: t.open && n > 0 };
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** Consecutive steps merge ("3 steps"); the list stops after 6 entries. */
function summarize(groups: EstimateGroup[], agents: number, open: boolean): string {
  if (groups.length === 0) return 'no agents (the script has no agent() call)';
  const labels: string[] = [];
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j].label === groups[i].label) j++;
    const n = j - i;
    labels.push(n === 1 ? groups[i].label : groups[i].label === 'step' ? `${n} steps` : `${groups[i].label} (${n}×)`);
    i = j;
  }
  const shown = labels.length > 6 ? [...labels.slice(0, 6), '…'] : labels;
  const head =
    agents === 0 && open
      ? 'an unknown number of agents'
      : `about ${agents}${open ? '+' : ''} agent${agents === 1 && !open ? '' : 's'}`;
  return `${head}: ${shown.join(', ')}`;
}

/** Reads `source` (a workflow script, module syntax) and estimates its agents. Throws on a syntax error. */
export function estimateAgents(source: string): AgentEstimate {
  const program = acorn.parse(source.replace(/\r\n/g, '\n'), ACORN_OPTIONS);
  const e = new Estimator(source.replace(/\r\n/g, '\n'), program);
  e.run();
  const agents = e.groups.reduce((n, g) => n + g.agents, 0);
  const open = e.exhausted || e.groups.some((g) => g.open);
  return {
    groups: e.groups,
    agents,
    open,
    callSites: e.agentCalls(program).length,
    summary: summarize(e.groups, agents, open),
  };
}
