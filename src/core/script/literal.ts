// Evaluates the `meta` initializer without running any code (spec §2.2, findings §5): only
// plain data is accepted, so reading a saved workflow's meta can never execute the script.
import type * as acorn from 'acorn';
import { MESSAGES } from '../errors';
import { fail, type ErrorSite } from './codeFrame';

export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [key: string]: LiteralValue };

// Keys that would reach or replace prototypes when the object is used later.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function reject(site: ErrorSite, node: acorn.Node, reason: string): never {
  fail(site, node.start, MESSAGES.metaNotLiteral(reason));
}

function describe(node: acorn.AnyNode): string {
  switch (node.type) {
    case 'Identifier':
      return `identifier '${node.name}' is not allowed (only literal values)`;
    case 'CallExpression':
    case 'NewExpression':
      return 'function calls are not allowed';
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'functions are not allowed';
    default:
      return `${node.type} is not allowed (only strings, numbers, booleans, null, arrays and objects)`;
  }
}

function propertyKey(site: ErrorSite, prop: acorn.Property): string {
  const key = prop.key;
  if (prop.computed && !(key.type === 'Literal' && typeof key.value === 'string')) {
    reject(site, key, 'computed keys are not allowed');
  }
  let name: string;
  if (key.type === 'Identifier') name = key.name;
  else if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    name = String(key.value);
  } else reject(site, key, `${key.type} keys are not allowed`);
  if (FORBIDDEN_KEYS.has(name)) reject(site, key, `key '${name}' is not allowed`);
  return name;
}

/** The value of a pure-literal expression; throws `meta must be a pure literal: <reason>` otherwise. */
export function evaluateLiteral(site: ErrorSite, node: acorn.AnyNode): LiteralValue {
  switch (node.type) {
    case 'Literal':
      if (node.regex) reject(site, node, 'regular expressions are not allowed');
      if (node.bigint !== undefined) reject(site, node, 'BigInt literals are not allowed');
      return node.value as string | number | boolean | null;
    case 'TemplateLiteral':
      if (node.expressions.length) reject(site, node.expressions[0], 'template interpolation (${…}) is not allowed');
      return node.quasis[0].value.cooked ?? node.quasis[0].value.raw;
    case 'UnaryExpression': {
      const arg = node.argument;
      if ((node.operator === '-' || node.operator === '+') && arg.type === 'Literal' && typeof arg.value === 'number') {
        return node.operator === '-' ? -arg.value : arg.value;
      }
      return reject(site, node, `the operator '${node.operator}' is not allowed (only a sign on a number)`);
    }
    case 'ArrayExpression':
      return node.elements.map((el) => {
        if (el === null) reject(site, node, 'sparse arrays (holes) are not allowed');
        if (el.type === 'SpreadElement') reject(site, el, 'spread (...) is not allowed');
        return evaluateLiteral(site, el);
      });
    case 'ObjectExpression': {
      const out: { [key: string]: LiteralValue } = {};
      for (const prop of node.properties) {
        if (prop.type === 'SpreadElement') reject(site, prop, 'spread (...) is not allowed');
        if (prop.kind !== 'init') reject(site, prop, 'getters and setters are not allowed');
        if (prop.method) reject(site, prop, 'methods are not allowed');
        if (prop.shorthand) reject(site, prop, `shorthand property '${propertyKey(site, prop)}' is not allowed`);
        const key = propertyKey(site, prop);
        out[key] = evaluateLiteral(site, prop.value as acorn.AnyNode);
      }
      return out;
    }
    default:
      return reject(site, node, describe(node));
  }
}
