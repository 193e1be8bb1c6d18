// The worker's side of the guest's Intl (issue 8 item 9): QuickJS has no Intl, so the guest's
// Intl objects are handles to real ICU objects of the worker's own V8, answered synchronously.
// Instances are cached by kind + locales + options, so sorting with localeCompare builds one
// Collator, not one per comparison. Only listed methods of listed kinds can be called.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { INTL_OP, REFUSAL } from './guestWire';

/** The run's defaults: the host's locale and time zone when it started, reused on resume. */
export interface IntlDefaults {
  locale: string;
  timeZone: string;
}

/** The process's own locale and time zone (what V8 would use in the official runtime). */
export function hostIntlDefaults(): IntlDefaults {
  const o = new Intl.DateTimeFormat().resolvedOptions();
  return { locale: o.locale, timeZone: o.timeZone };
}

type Kind =
  'Collator' | 'NumberFormat' | 'DateTimeFormat' | 'PluralRules' | 'RelativeTimeFormat' | 'ListFormat' | 'Segmenter';
type Instance =
  | Intl.Collator
  | Intl.NumberFormat
  | Intl.DateTimeFormat
  | Intl.PluralRules
  | Intl.RelativeTimeFormat
  | Intl.ListFormat
  | Intl.Segmenter;
type Ctor = new (locales?: string | string[], options?: object) => Instance;

const CTORS: Record<Kind, Ctor & { supportedLocalesOf(l: string | string[], o?: object): string[] }> = {
  Collator: Intl.Collator,
  NumberFormat: Intl.NumberFormat,
  DateTimeFormat: Intl.DateTimeFormat,
  PluralRules: Intl.PluralRules,
  RelativeTimeFormat: Intl.RelativeTimeFormat,
  ListFormat: Intl.ListFormat,
  Segmenter: Intl.Segmenter,
} as Record<Kind, Ctor & { supportedLocalesOf(l: string | string[], o?: object): string[] }>;

/** Methods the guest may call per kind (besides resolvedOptions, which all have). */
const METHODS: Record<Kind, readonly string[]> = {
  Collator: ['compare', 'sort'],
  NumberFormat: ['format', 'formatToParts', 'formatRange', 'formatRangeToParts'],
  DateTimeFormat: ['format', 'formatToParts', 'formatRange', 'formatRangeToParts'],
  PluralRules: ['select', 'selectRange'],
  RelativeTimeFormat: ['format', 'formatToParts'],
  ListFormat: ['format', 'formatToParts'],
  Segmenter: ['segment'],
};

/** Distinct Intl configurations one run may create: each one is an ICU object held for the run. */
export const MAX_INTL_INSTANCES = 2000;
/** Longest text Segmenter.segment takes: its segments come back whole, as one JSON array. */
export const MAX_SEGMENT_CHARS = 1_000_000;

/**
 * A whole guest sort with a locale comparator in one call (see guest/intl.guest.js): V8's sort and
 * QuickJS's are both stable, so with the same consistent comparator the order is the same.
 */
function sortStrings(collator: Intl.Collator, list: unknown, descending: boolean): string[] {
  if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string'))
    throw new TypeError('sort expects a list of strings');
  return descending ? list.sort((a, b) => collator.compare(b, a)) : list.sort(collator.compare);
}

interface IntlConfig {
  l?: unknown;
  o?: unknown;
  d?: 'any' | 'date' | 'time';
}

const DATE_FIELDS = ['weekday', 'year', 'month', 'day'];
const TIME_FIELDS = ['dayPeriod', 'hour', 'minute', 'second', 'fractionalSecondDigits'];

/**
 * The run's time zone unless the script names one; for Date.prototype.toLocale*String the
 * defaults ECMA-402 ToDateTimeOptions adds (date and/or time fields when none is asked for).
 */
function dateOptions(options: unknown, variant: IntlConfig['d'], timeZone: string): unknown {
  if (options === null || (options !== undefined && typeof options !== 'object')) return options;
  const o: Record<string, unknown> = { ...(options as Record<string, unknown> | undefined) };
  if (o.timeZone === undefined) o.timeZone = timeZone;
  if (!variant) return o;
  if (variant === 'date' && o.timeStyle !== undefined) throw new TypeError('Invalid option : timeStyle');
  if (variant === 'time' && o.dateStyle !== undefined) throw new TypeError('Invalid option : dateStyle');
  const has = (fields: string[]) => fields.some((f) => o[f] !== undefined);
  const needDefaults =
    !(variant !== 'time' && has(DATE_FIELDS)) &&
    !(variant !== 'date' && has(TIME_FIELDS)) &&
    o.dateStyle === undefined &&
    o.timeStyle === undefined;
  if (needDefaults && variant !== 'time') Object.assign(o, { year: 'numeric', month: 'numeric', day: 'numeric' });
  if (needDefaults && variant !== 'date') Object.assign(o, { hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return o;
}

/**
 * Values cross tagged, so what JSON cannot carry survives: 'n:' number (NaN, -0, Infinity),
 * 'b:' bigint, 's:' string, 'u:' undefined; anything else is JSON data (locales, options, lists).
 */
export function untag(v: unknown): unknown {
  if (typeof v !== 'string' || v.length < 2 || v[1] !== ':') return v;
  const body = v.slice(2);
  switch (v[0]) {
    case 'n':
      return Number(body);
    case 'b':
      return BigInt(body);
    case 's':
      return body;
    case 'u':
      return undefined;
    default:
      return v;
  }
}

export class IntlHost {
  private readonly ids = new Map<string, number>();
  private readonly instances: { kind: Kind; obj: Instance }[] = [];

  constructor(private readonly defaults: IntlDefaults) {}

  /**
   * A new (or the cached) instance of `kind` for the config JSON {l: locales, o: options, d?}
   * (an absent l/o is undefined, so null still throws as in V8); returns its id. `d` marks the
   * formatter of a Date.prototype.toLocale*String method: 'any' | 'date' | 'time'.
   */
  create(kind: string, configJson: string): number {
    const k = this.kind(kind);
    const key = k + '\u0000' + configJson;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.instances.length >= MAX_INTL_INSTANCES) {
      throw new RangeError(
        `The script created more than ${MAX_INTL_INSTANCES} differently configured Intl objects; reuse formatters instead of creating one per value.`,
      );
    }
    const config = JSON.parse(configJson) as IntlConfig;
    let options = config.o;
    if (k === 'DateTimeFormat') options = dateOptions(options, config.d, this.defaults.timeZone);
    const obj = new CTORS[k](this.locales(config.l) as string | string[], options as object | undefined);
    const id = this.instances.length;
    this.instances.push({ kind: k, obj });
    this.ids.set(key, id);
    return id;
  }

  /** The hot path: Collator.compare on two strings. */
  compare(id: number, a: string, b: string): number {
    const inst = this.instance(id);
    if (inst.kind !== 'Collator') throw new TypeError('compare called on a non-Collator');
    return (inst.obj as Intl.Collator).compare(a, b);
  }

  /** Calls an allowed method with tagged arguments; the result as JSON text. */
  call(id: number, method: string, argsJson: string): string {
    const inst = this.instance(id);
    const args = (JSON.parse(argsJson) as unknown[]).map(untag);
    if (method === 'resolvedOptions') return JSON.stringify(inst.obj.resolvedOptions());
    if (!METHODS[inst.kind].includes(method))
      throw new TypeError(`Intl.${inst.kind}.prototype.${method} is not supported here`);
    if (method === 'segment') return JSON.stringify(this.segments(inst.obj as Intl.Segmenter, args[0]));
    if (method === 'sort') return JSON.stringify(sortStrings(inst.obj as Intl.Collator, args[0], args[1] === true));
    const fn = (inst.obj as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
    return JSON.stringify(fn.apply(inst.obj, args)) ?? 'null';
  }

  /** Static functions: supportedLocalesOf, getCanonicalLocales, supportedValuesOf. */
  statics(name: string, kind: string, argsJson: string): string {
    const args = (JSON.parse(argsJson) as unknown[]).map(untag);
    switch (name) {
      case 'supportedLocalesOf':
        return JSON.stringify(
          CTORS[this.kind(kind)].supportedLocalesOf(
            args[0] as string | string[],
            (args[1] ?? undefined) as object | undefined,
          ),
        );
      case 'getCanonicalLocales':
        return JSON.stringify(Intl.getCanonicalLocales(args[0] as string | string[]));
      case 'supportedValuesOf':
        return JSON.stringify(
          (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(String(args[0])),
        );
      case 'toLocaleUpperCase':
      case 'toLocaleLowerCase': {
        const locales = this.locales(args[1]) as string | string[];
        return JSON.stringify(
          name === 'toLocaleUpperCase'
            ? String(args[0]).toLocaleUpperCase(locales)
            : String(args[0]).toLocaleLowerCase(locales),
        );
      }
      default:
        throw new TypeError(`unknown Intl operation ${name}`);
    }
  }

  private segments(seg: Intl.Segmenter, input: unknown): [string, number, boolean | null][] {
    const text = String(input);
    if (text.length > MAX_SEGMENT_CHARS)
      throw new RangeError(
        `Intl.Segmenter here takes at most ${MAX_SEGMENT_CHARS} characters at once; segment the text in parts.`,
      );
    const out: [string, number, boolean | null][] = [];
    for (const s of seg.segment(text)) out.push([s.segment, s.index, s.isWordLike ?? null]);
    return out;
  }

  private instance(id: number): { kind: Kind; obj: Instance } {
    const inst = this.instances[id];
    if (!inst) throw new TypeError('not an Intl object of this run');
    return inst;
  }

  private kind(kind: string): Kind {
    if (!Object.prototype.hasOwnProperty.call(CTORS, kind)) throw new TypeError(`unknown Intl kind ${kind}`);
    return kind as Kind;
  }

  /** No locale given: the run's recorded locale, not the process's (a resume elsewhere agrees). */
  private locales(locales: unknown): unknown {
    if (locales === undefined) return this.defaults.locale;
    if (Array.isArray(locales) && locales.length === 0) return this.defaults.locale;
    return locales;
  }
}

/**
 * The guest's `intl(op, …)` door (the ops: guestWire.ts INTL_OP). A failure returns
 * REFUSAL + {name, message}, which the guest throws as an error of that name.
 */
export function intlDoor(host: IntlHost, ctx: QuickJSContext, args: QuickJSHandle[]): QuickJSHandle {
  const str = (i: number): string => (args[i] ? ctx.getString(args[i]) : '');
  const num = (i: number): number => (args[i] ? ctx.getNumber(args[i]) : NaN);
  try {
    switch (ctx.getString(args[0])) {
      case INTL_OP.compare:
        return ctx.newNumber(host.compare(num(1), str(2), str(3)));
      case INTL_OP.create:
        return ctx.newNumber(host.create(str(1), str(2)));
      case INTL_OP.call:
        return ctx.newString(host.call(num(1), str(2), str(3)));
      case INTL_OP.statics:
        return ctx.newString(host.statics(str(1), str(2), str(3)));
      default:
        return ctx.newString(REFUSAL + JSON.stringify({ name: 'TypeError', message: 'unknown Intl operation' }));
    }
  } catch (e) {
    const err = e as Error;
    const name =
      err instanceof RangeError
        ? 'RangeError'
        : err instanceof TypeError
          ? 'TypeError'
          : err instanceof SyntaxError
            ? 'SyntaxError'
            : 'Error';
    return ctx.newString(REFUSAL + JSON.stringify({ name, message: String(err.message) }));
  }
}
