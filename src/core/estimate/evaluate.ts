// Evaluates the few expressions a fan-out's size hangs on (`args.files`, `files.length`,
// `typeof args === 'string' ? JSON.parse(args) : args`, `Math.min(args.rounds, 5)`) against the
// actual `args`, without running the script. Anything else, or anything an agent's result feeds,
// is unknown: the estimate gives a range there instead of a guess.
import type * as acorn from 'acorn';

type Node = acorn.AnyNode;

/** A value known before the run, or UNKNOWN. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Known = unknown;
export type Value = Known | typeof UNKNOWN;

/** How names reach values: `args`, and consts/lets whose value the evaluator may follow. */
export interface Scope {
  args: Value;
  /** A parameter's value, or the initializer of a binding nothing reassigns in live code. */
  binding(name: string, use: Node): { value: Value } | { init: Node } | undefined;
}

const MAX_DEPTH = 40;
const METHODS_KEEPING_LENGTH = new Set(['map', 'entries', 'keys', 'values']);

export function evaluate(
  node: Node | null | undefined,
  scope: Scope,
  depth = 0,
  naming: ReadonlySet<string> = new Set(),
): Value {
  if (!node || depth > MAX_DEPTH) return UNKNOWN;
  const ev = (n: Node | null | undefined) => evaluate(n, scope, depth + 1, naming);
  switch (node.type) {
    case 'Literal':
      return node.regex ? UNKNOWN : node.value;
    case 'TemplateLiteral': {
      let s = node.quasis[0].value.cooked ?? '';
      for (let i = 0; i < node.expressions.length; i++) {
        const v = ev(node.expressions[i]);
        if (v === UNKNOWN || (v !== null && typeof v === 'object')) return UNKNOWN;
        s += String(v) + (node.quasis[i + 1].value.cooked ?? '');
      }
      return s;
    }
    case 'Identifier': {
      if (node.name === 'args') return scope.args;
      if (node.name === 'undefined') return undefined;
      if (naming.has(node.name)) return UNKNOWN;
      const b = scope.binding(node.name, node);
      if (!b) return UNKNOWN;
      return 'value' in b ? b.value : evaluate(b.init, scope, depth + 1, new Set([...naming, node.name]));
    }
    case 'ChainExpression':
      return ev(node.expression);
    case 'AwaitExpression':
      return UNKNOWN;
    case 'MemberExpression': {
      const obj = ev(node.object as Node);
      if (obj === UNKNOWN) return UNKNOWN;
      if (obj === null || obj === undefined) return node.optional ? undefined : UNKNOWN;
      const key = node.computed
        ? ev(node.property as Node)
        : node.property.type === 'Identifier'
          ? node.property.name
          : UNKNOWN;
      if (key === UNKNOWN || (typeof key !== 'string' && typeof key !== 'number')) return UNKNOWN;
      if (typeof obj === 'string' || Array.isArray(obj))
        return key === 'length' ? obj.length : typeof key === 'number' ? obj[key] : UNKNOWN;
      if (typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key))
        return (obj as Record<string, unknown>)[key];
      return typeof obj === 'object' ? undefined : UNKNOWN;
    }
    case 'UnaryExpression': {
      const v = ev(node.argument);
      if (node.operator === 'typeof')
        return v === UNKNOWN ? UNKNOWN : v === null ? 'object' : Array.isArray(v) ? 'object' : typeof v;
      if (v === UNKNOWN) return UNKNOWN;
      if (node.operator === '!') return !v;
      if (node.operator === '-' && typeof v === 'number') return -v;
      if (node.operator === '+') return Number(v);
      return UNKNOWN;
    }
    case 'LogicalExpression': {
      const l = ev(node.left);
      if (l === UNKNOWN) return UNKNOWN;
      if (node.operator === '&&') return l ? ev(node.right) : l;
      if (node.operator === '||') return l ? l : ev(node.right);
      return l === null || l === undefined ? ev(node.right) : l;
    }
    case 'ConditionalExpression': {
      const t = ev(node.test);
      return t === UNKNOWN ? UNKNOWN : ev(t ? node.consequent : node.alternate);
    }
    case 'BinaryExpression':
      return binary(node.operator, ev(node.left as Node), ev(node.right));
    case 'ArrayExpression': {
      const out: unknown[] = [];
      for (const e of node.elements) {
        if (!e) return UNKNOWN;
        if (e.type === 'SpreadElement') {
          const v = ev(e.argument);
          if (!Array.isArray(v)) return UNKNOWN;
          out.push(...v);
        } else {
          const v = ev(e);
          // An element we cannot compute still counts toward the length (and stays unknown).
          out.push(v);
        }
      }
      return out;
    }
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const p of node.properties) {
        if (p.type === 'SpreadElement') {
          const v = ev(p.argument);
          if (v === UNKNOWN || v === null || typeof v !== 'object') return UNKNOWN;
          Object.assign(out, v);
          continue;
        }
        const key = p.computed
          ? ev(p.key as Node)
          : p.key.type === 'Identifier'
            ? p.key.name
            : p.key.type === 'Literal'
              ? p.key.value
              : UNKNOWN;
        if (typeof key !== 'string' && typeof key !== 'number') return UNKNOWN;
        const v = ev(p.value as Node);
        // A part computed at run time stays unknown; the object's other parts may still be needed.
        out[key] = v;
      }
      return out;
    }
    case 'CallExpression':
      return call(node, scope, depth, naming);
    default:
      return UNKNOWN;
  }
}

function binary(op: string, l: Value, r: Value): Value {
  if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
  const n = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
  switch (op) {
    case '===':
      return l === r;
    case '!==':
      return l !== r;
    case '==':
      return l == r; // eslint-disable-line eqeqeq
    case '!=':
      return l != r; // eslint-disable-line eqeqeq
    case '<':
      return n(l) < n(r);
    case '<=':
      return n(l) <= n(r);
    case '>':
      return n(l) > n(r);
    case '>=':
      return n(l) >= n(r);
    case '+':
      return typeof l === 'number' && typeof r === 'number'
        ? l + r
        : typeof l === 'string' || typeof r === 'string'
          ? String(l) + String(r)
          : UNKNOWN;
    case '-':
      return n(l) - n(r);
    case '*':
      return n(l) * n(r);
    case '/':
      return n(l) / n(r);
    case '%':
      return n(l) % n(r);
    default:
      return UNKNOWN;
  }
}

function call(node: acorn.CallExpression, scope: Scope, depth: number, naming: ReadonlySet<string>): Value {
  const ev = (n: Node | null | undefined) => evaluate(n, scope, depth + 1, naming);
  const c = node.callee;
  if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier') {
    if (c.type === 'Identifier' && (c.name === 'Number' || c.name === 'String' || c.name === 'Boolean')) {
      const v = ev(node.arguments[0] as Node);
      return v === UNKNOWN ? UNKNOWN : c.name === 'Number' ? Number(v) : c.name === 'String' ? String(v) : Boolean(v);
    }
    return UNKNOWN;
  }
  const method = c.property.name;
  const argv = node.arguments as Node[];
  if (c.object.type === 'Identifier') {
    const ns = c.object.name;
    if (ns === 'JSON' && method === 'parse') {
      const v = ev(argv[0]);
      if (typeof v !== 'string') return UNKNOWN;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return UNKNOWN;
      }
    }
    if (ns === 'Array' && method === 'isArray') {
      const v = ev(argv[0]);
      return v === UNKNOWN ? UNKNOWN : Array.isArray(v);
    }
    if (
      ns === 'Math' &&
      (method === 'min' || method === 'max' || method === 'ceil' || method === 'floor' || method === 'round')
    ) {
      const vs = argv.map(ev);
      if (vs.some((v) => typeof v !== 'number')) return UNKNOWN;
      return (Math[method] as (...xs: number[]) => number)(...(vs as number[]));
    }
    if (ns === 'Object' && (method === 'keys' || method === 'values' || method === 'entries')) {
      const v = ev(argv[0]);
      return v !== null && typeof v === 'object' ? Object[method](v) : UNKNOWN;
    }
  }
  const obj = ev(c.object as Node);
  if (obj === UNKNOWN) return UNKNOWN;
  if (Array.isArray(obj)) {
    // The elements a callback maps to are not needed for a count: only the length survives.
    if (METHODS_KEEPING_LENGTH.has(method)) return obj.map(() => UNKNOWN);
    if (method === 'slice') {
      const [a, b] = argv.map(ev);
      if ((a !== undefined && typeof a !== 'number') || (b !== undefined && typeof b !== 'number')) return UNKNOWN;
      return obj.slice(a, b);
    }
    if (method === 'concat') {
      const rest = argv.map(ev);
      return rest.every((r) => r !== UNKNOWN) ? obj.concat(...rest) : UNKNOWN;
    }
    if (method === 'filter' && argv[0]?.type === 'Identifier' && argv[0].name === 'Boolean') return obj.filter(Boolean);
    if (method === 'includes') {
      const v = ev(argv[0]);
      return v === UNKNOWN ? UNKNOWN : obj.includes(v);
    }
    return UNKNOWN;
  }
  if (typeof obj === 'string') {
    const a = argv[0] ? ev(argv[0]) : undefined;
    if (method === 'split' && (typeof a === 'string' || argv[0]?.type === 'Literal')) {
      const sep =
        argv[0].type === 'Literal' && argv[0].regex ? new RegExp(argv[0].regex.pattern, argv[0].regex.flags) : a;
      return typeof sep === 'string' || sep instanceof RegExp ? obj.split(sep) : UNKNOWN;
    }
    if (method === 'trim') return obj.trim();
    return UNKNOWN;
  }
  return UNKNOWN;
}

/** Whether a value is known (a `Value` other than UNKNOWN). */
export function isKnown(v: Value): v is Known {
  return v !== UNKNOWN;
}
