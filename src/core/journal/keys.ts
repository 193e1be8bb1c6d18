// Cache keys of agent() calls (spec §4.7 `v2`). Called once per agent() call, so the option
// subset is serialised straight to its canonical string without building an intermediate object.
import { hash } from 'node:crypto';

/** The options that change what an agent does; label, phase, stallMs, sharedHeadLength do not. */
const KEY_FIELDS = [
  'agentType',
  'bashCommandClamp',
  'disallowedTools',
  'effort',
  'isolation',
  'model',
  'schema',
] as const; // already in sorted order, so canonical output needs no sort

/**
 * JSON.stringify with object keys sorted recursively (code-unit order, like Array#sort).
 * Like JSON.stringify, functions/undefined/symbols are dropped in objects and become null in
 * arrays, non-finite numbers become null, toJSON is honoured, BigInt and cycles throw.
 * A top-level value that JSON cannot represent gives "null" so the result is always a string.
 */
export function canonicalJSON(value: unknown): string {
  return write(value, []) ?? 'null';
}

function write(value: unknown, ancestors: object[]): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJSON: BigInt value cannot be serialised');
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return 'null';
  if (ancestors.includes(value)) throw new TypeError('canonicalJSON: circular structure');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], ancestors) ?? 'null';
    }
    out += ']';
  } else {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    out = '{';
    let first = true;
    for (const k of keys) {
      const v = write(obj[k], ancestors);
      if (v === undefined) continue;
      out += (first ? '' : ',') + JSON.stringify(k) + ':' + v;
      first = false;
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}

/** The key-relevant subset of agent options; absent (undefined) ones are omitted. */
export function keyOptions(opts: object | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts == null) return out;
  const o = opts as Record<string, unknown>;
  for (const k of KEY_FIELDS) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** canonicalJSON(keyOptions(opts)) without the intermediate object; "{}" for the common no-option case. */
function optionsJSON(opts: object | null | undefined): string {
  if (opts == null) return '{}';
  const o = opts as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of KEY_FIELDS) {
    const v = o[k];
    if (v === undefined) continue;
    const s = write(v, []);
    if (s === undefined) continue; // functions are dropped, as canonicalJSON would
    out += (first ? '"' : ',"') + k + '":' + s;
    first = false;
  }
  return out + '}';
}

// One-shot crypto.hash is about twice as fast as createHash().update().digest() for the short
// inputs keys are made of, and keys are computed on every agent() call.
const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** "v2:" + sha256hex(prevKey + "\0" + prompt + "\0" + canonicalJSON(keyOptions(opts))). */
export function agentKey(prevKey: string, prompt: string, opts: object | null | undefined): string {
  return 'v2:' + sha256(prevKey + '\0' + prompt + '\0' + optionsJSON(opts));
}

/** What the call asks for, independent of where it sits: tells "changed" from "chain-changed". */
export function contentHash(prompt: string, opts: object | null | undefined): string {
  return sha256(prompt + '\0' + optionsJSON(opts)).slice(0, 32);
}

/** Where the call sits in the program (its chain), independent of what it asks for. */
export function positionHash(prevKey: string): string {
  return sha256('pos\0' + prevKey).slice(0, 32);
}

/** sha256 hex of a text; compresses long chain seeds. */
export function hashText(text: string): string {
  return sha256(text);
}
