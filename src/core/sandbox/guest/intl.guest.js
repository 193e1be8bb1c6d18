// @ts-check
// Guest side of Intl (issue 8 item 9): `Intl` and the locale-aware built-ins, answered by the
// worker's V8 through one door `intl(op, …)` (intlHost.ts), so results are ICU's, as in the
// official runtime. Hardened like the main prelude: intrinsics are captured before user code runs
// and called through Reflect.apply, so a script that patches prototypes only breaks itself.
// The door's op names come from config.wire (guestWire.ts INTL_OP), not from this file.
//
// Values cross tagged ('s:' string, 'n:' number, 'b:' bigint, 'u:' undefined) inside JSON, which
// keeps NUL and lone surrogates (a plain string argument crosses as C text and would lose them).
// Only compare has a fast path with plain strings, for the strings where that is exact.
// Evaluated under the main prelude's file name, so its frames are left out of error locations.

/** @typedef {(op: string, ...args: (string | number)[]) => (string | number)} IntlDoor */
/** @typedef {(v: unknown) => unknown} IntlConverter */
/**
 * One Intl constructor: kind, callable (legacy constructors work without new), methods {name:
 * [argument converters…]}, bound (the getter returning a bound function: compare / format),
 * fast (that bound function's direct path), wrap (post-processing of a method's result).
 * @typedef {{
 *   kind: string, callable?: boolean, bound?: string,
 *   methods: Record<string, IntlConverter[]>,
 *   fast?: (id: number, a: unknown, b: unknown) => number,
 *   wrap?: Record<string, (result: unknown, args: unknown[], id: number) => unknown>,
 * }} IntlKindSpec
 */
/** @typedef {[segment: string, index: number, isWordLike: boolean | null]} SegmentItem */

(/**
 * @param {IntlDoor} intl
 * @param {import('../guestWire').IntlPreludeConfig} config
 */
function (intl, config) {
  'use strict';
  const dateNowMessage = config.dateNowMessage;
  const OP = config.wire.intlOp, REFUSAL = config.wire.refusal;
  const G = globalThis;
  const apply = Reflect.apply, defineProperty = Object.defineProperty, create = Object.create;
  const ObjectCtor = Object, ObjectProto = Object.prototype, objectKeys = Object.keys, arrayFrom = Array.from, isArrayFn = Array.isArray;
  const stringify = JSON.stringify, parse = JSON.parse;
  const StringCtor = String, strSlice = String.prototype.slice, MathFloor = Math.floor, MathMin = Math.min;
  const ErrorCtor = Error, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, SyntaxErrorCtor = SyntaxError;
  const regTest = RegExp.prototype.test, UNSAFE = /[\0\ud800-\udfff]/;
  const numValueOf = Number.prototype.valueOf, bigValueOf = BigInt.prototype.valueOf, dateGetTime = Date.prototype.getTime;
  const WeakMapCtor = WeakMap, wmGet = WeakMap.prototype.get, wmSet = WeakMap.prototype.set, wmHas = WeakMap.prototype.has;
  const MapCtor = Map, mapGet = Map.prototype.get, mapSet = Map.prototype.set;
  const fnToString = Function.prototype.toString, getOwnDescriptor = Object.getOwnPropertyDescriptor;
  const origSort = Array.prototype.sort, origToSorted = Array.prototype.toSorted;
  const arrIndexOf = Array.prototype.indexOf, arrPush = Array.prototype.push, arrPop = Array.prototype.pop;
  const ITERATOR = Symbol.iterator, TO_STRING_TAG = Symbol.toStringTag;

  // ---- the door ------------------------------------------------------------------------------
  /** @param {string} r @returns {never} */
  function fail(r) {
    const e = parse(apply(strSlice, r, [1]));
    const C = e.name === 'RangeError' ? RangeErrorCtor : e.name === 'TypeError' ? TypeErrorCtor : e.name === 'SyntaxError' ? SyntaxErrorCtor : ErrorCtor;
    throw new C(e.message);
  }
  /** @template T @param {T} r @returns {T} */
  function checked(r) {
    if (typeof r === 'string' && r.length > 0 && r[0] === REFUSAL) fail(r);
    return r;
  }
  /** @param {unknown} v @returns {unknown} */
  function tag(v) {
    switch (typeof v) {
      case 'number': return v === 0 && 1 / v < 0 ? 'n:-0' : 'n:' + StringCtor(v);
      case 'bigint': return 'b:' + StringCtor(v);
      case 'string': return 's:' + v;
      case 'undefined': return 'u:';
      default: return v;
    }
  }
  /** @param {number} id @param {string} method @param {unknown[]} args @returns {unknown} */
  function call(id, method, args) {
    return parse(/** @type {string} */ (checked(intl(OP.call, id, method, stringify(args)))));
  }
  /** @param {string} name @param {string} kind @param {unknown[]} args @returns {unknown} */
  function statics(name, kind, args) {
    return parse(/** @type {string} */ (checked(intl(OP.statics, name, kind, stringify(args)))));
  }

  // One id per distinct configuration, remembered here too: toLocaleString or localeCompare in a
  // loop asks the host for its formatter once.
  /** @type {Map<string, number>} */
  const ids = new MapCtor();
  /** @param {string} kind @param {unknown} [locales] @param {unknown} [options] @param {string} [variant] @returns {number} */
  function configId(kind, locales, options, variant) {
    /** @type {{ l?: unknown, o?: unknown, d?: string }} */
    const settings = {};
    if (locales !== undefined) settings.l = locales;
    if (options !== undefined) settings.o = options;
    if (variant !== undefined) settings.d = variant;
    const text = stringify(settings);
    const key = kind + text;
    let id = apply(mapGet, ids, [key]);
    if (id === undefined) {
      id = /** @type {number} */ (checked(intl(OP.create, kind, text)));
      apply(mapSet, ids, [key, id]);
    }
    return id;
  }

  /** @param {number} id @param {string} a @param {string} b @returns {number} */
  function compareWith(id, a, b) {
    if (apply(regTest, UNSAFE, [a]) || apply(regTest, UNSAFE, [b])) return /** @type {number} */ (call(id, 'compare', ['s:' + a, 's:' + b]));
    return /** @type {number} */ (checked(intl(OP.compare, id, a, b)));
  }
  /** @param {unknown} v */
  function toNumberTag(v) { return tag(+(/** @type {number} */ (v))); }
  /** @param {unknown} d */
  function dateTag(d) {
    if (d === undefined) throw new ErrorCtor(dateNowMessage);
    return tag(+(/** @type {number} */ (d)));
  }
  /** @param {unknown} v */
  function mathValueTag(v) {
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) v = +v;
    return tag(v);
  }
  /** @param {unknown} list @returns {string[]} */
  function stringList(list) {
    if (list === undefined) return [];
    const out = arrayFrom(/** @type {Iterable<unknown>} */ (list));
    for (let i = 0; i < out.length; i++) {
      if (typeof out[i] !== 'string') throw new TypeErrorCtor('Iterable yielded ' + StringCtor(out[i]) + ' which is not a string');
    }
    return /** @type {string[]} */ (out);
  }

  /** @param {object} obj @param {PropertyKey} name @param {Function} fn */
  function method(obj, name, fn) {
    defineProperty(obj, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }

  // ---- constructors ----------------------------------------------------------------------------
  // spec: IntlKindSpec (above).
  const IntlObj = create(ObjectProto);
  // Collator.prototype.compare functions handed out, with their Collator's id (fast sorts).
  /** @type {WeakMap<Function, number>} */
  const collatorOf = new WeakMapCtor();
  /** @param {IntlKindSpec} spec */
  function defineKind(spec) {
    /** @type {WeakMap<object, number>} */
    const slots = new WeakMapCtor();
    const kind = spec.kind;
    /** @param {unknown} self @param {string} name @returns {number} */
    function idOf(self, name) {
      if ((typeof self !== 'object' && typeof self !== 'function') || self === null || !apply(wmHas, slots, [self])) {
        throw new TypeErrorCtor('Method Intl.' + kind + '.prototype.' + name + ' called on an incompatible receiver');
      }
      return apply(wmGet, slots, [self]);
    }
    /** @this {object} @param {unknown} locales @param {unknown} options */
    const Ctor = function (locales, options) {
      if (new.target === undefined && !spec.callable) throw new TypeErrorCtor("Constructor Intl." + kind + " requires 'new'");
      const self = new.target === undefined ? create(Ctor.prototype) : this;
      apply(wmSet, slots, [self, configId(kind, locales, options)]);
      return self;
    };
    defineProperty(Ctor, 'name', { value: kind });
    const proto = Ctor.prototype;
    defineProperty(proto, TO_STRING_TAG, { value: 'Intl.' + kind, configurable: true });
    method(proto, 'resolvedOptions', /** @this {unknown} */ function resolvedOptions() { return call(idOf(this, 'resolvedOptions'), 'resolvedOptions', []); });
    const names = objectKeys(spec.methods);
    for (let i = 0; i < names.length; i++) {
      const name = names[i], converters = spec.methods[name];
      /** @this {unknown} */
      const impl = function () {
        const id = idOf(this, name);
        /** @type {unknown[]} */
        const args = [];
        for (let j = 0; j < converters.length; j++) args[j] = converters[j](arguments[j]);
        const wrap = spec.wrap && spec.wrap[name];
        return wrap ? wrap(call(id, name, args), args, id) : call(id, name, args);
      };
      defineProperty(impl, 'name', { value: name });
      defineProperty(impl, 'length', { value: converters.length });
      if (name === spec.bound) {
        /** @type {WeakMap<object, Function>} */
        const bound = new WeakMapCtor();
        const fast = spec.fast;
        defineProperty(proto, name, {
          /** @this {object} */
          get: function () {
            const id = idOf(this, name);
            let fn = apply(wmGet, bound, [this]);
            if (fn === undefined) {
              fn = fast ? /** @param {unknown} a @param {unknown} b */ function (a, b) { return fast(id, a, b); } : /** @param {unknown} v */ function (v) { return call(id, name, [converters[0](v)]); };
              if (fast) apply(wmSet, collatorOf, [fn, id]);
              apply(wmSet, bound, [this, fn]);
            }
            return fn;
          },
          configurable: true, enumerable: false,
        });
      } else method(proto, name, impl);
    }
    method(Ctor, 'supportedLocalesOf', /** @param {unknown} locales @param {unknown} options */ function supportedLocalesOf(locales, options) { return statics('supportedLocalesOf', kind, [tag(locales), tag(options)]); });
    defineProperty(IntlObj, kind, { value: Ctor, writable: true, configurable: true, enumerable: false });
    return Ctor;
  }

  /** @param {unknown} v */
  const str = function (v) { return tag(StringCtor(v)); };
  defineKind({
    kind: 'Collator', callable: true, bound: 'compare',
    methods: { compare: [str, str] },
    fast: /** @param {number} id @param {unknown} a @param {unknown} b */ function (id, a, b) { return compareWith(id, StringCtor(a), StringCtor(b)); },
  });
  defineKind({
    kind: 'NumberFormat', callable: true, bound: 'format',
    methods: { format: [mathValueTag], formatToParts: [mathValueTag], formatRange: [mathValueTag, mathValueTag], formatRangeToParts: [mathValueTag, mathValueTag] },
  });
  defineKind({
    kind: 'DateTimeFormat', callable: true, bound: 'format',
    methods: { format: [dateTag], formatToParts: [dateTag], formatRange: [toNumberTagOrU, toNumberTagOrU], formatRangeToParts: [toNumberTagOrU, toNumberTagOrU] },
  });
  /** @param {unknown} v */
  function toNumberTagOrU(v) { return v === undefined ? 'u:' : tag(+(/** @type {number} */ (v))); }
  defineKind({ kind: 'PluralRules', methods: { select: [toNumberTag], selectRange: [toNumberTagOrU, toNumberTagOrU] } });
  defineKind({ kind: 'RelativeTimeFormat', methods: { format: [toNumberTag, str], formatToParts: [toNumberTag, str] } });
  defineKind({ kind: 'ListFormat', methods: { format: [stringList], formatToParts: [stringList] } });
  defineKind({
    kind: 'Segmenter', methods: { segment: [str] },
    wrap: { segment: /** @param {unknown} list @param {unknown[]} args */ function (list, args) { return segments(/** @type {SegmentItem[]} */ (list), apply(strSlice, args[0], [2])); } },
  });

  // Segmenter.prototype.segment's result: iterable segment data plus containing(index).
  const SegmentsProto = create(ObjectProto);
  /** @type {WeakMap<object, [SegmentItem[], string]>} */
  const segmentsData = new WeakMapCtor();
  /** @param {SegmentItem} item @param {string} input */
  function segmentData(item, input) {
    /** @type {{ segment: string, index: number, input: string, isWordLike?: boolean }} */
    const d = { segment: item[0], index: item[1], input: input };
    if (item[2] !== null) d.isWordLike = item[2];
    return d;
  }
  /** @param {SegmentItem[]} list @param {string} input */
  function segments(list, input) {
    const s = create(SegmentsProto);
    apply(wmSet, segmentsData, [s, [list, input]]);
    return s;
  }
  /** @param {unknown} s @returns {[SegmentItem[], string]} */
  function dataOf(s) {
    const d = typeof s === 'object' && s !== null ? apply(wmGet, segmentsData, [s]) : undefined;
    if (d === undefined) throw new TypeErrorCtor('not a Segments object');
    return d;
  }
  method(SegmentsProto, 'containing', /** @this {unknown} @param {unknown} index */ function containing(index) {
    const d = dataOf(this), list = d[0];
    let n = +(/** @type {number} */ (index));
    n = n !== n ? 0 : n < 0 ? -MathFloor(-n) : MathFloor(n);
    if (n < 0 || n >= d[1].length) return undefined;
    let lo = 0, hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid][1] <= n) lo = mid; else hi = mid - 1;
    }
    return segmentData(list[lo], d[1]);
  });
  method(SegmentsProto, ITERATOR, /** @this {unknown} */ function () {
    const d = dataOf(this);
    let i = 0;
    const it = create(ObjectProto);
    method(it, 'next', function next() {
      if (i >= d[0].length) return { value: undefined, done: true };
      return { value: segmentData(d[0][i++], d[1]), done: false };
    });
    method(it, ITERATOR, /** @this {unknown} */ function () { return this; });
    return it;
  });

  method(IntlObj, 'getCanonicalLocales', /** @param {unknown} locales */ function getCanonicalLocales(locales) { return statics('getCanonicalLocales', '', [tag(locales)]); });
  method(IntlObj, 'supportedValuesOf', /** @param {unknown} key */ function supportedValuesOf(key) { return statics('supportedValuesOf', '', [tag(StringCtor(key))]); });
  defineProperty(IntlObj, TO_STRING_TAG, { value: 'Intl', configurable: true });
  defineProperty(G, 'Intl', { value: IntlObj, writable: true, configurable: true, enumerable: false });

  // ---- locale-aware built-ins --------------------------------------------------------------------
  /** @type {number | undefined} */
  let defaultCollator;
  function defaultCollatorId() {
    return defaultCollator === undefined ? (defaultCollator = configId('Collator')) : defaultCollator;
  }
  /** @this {unknown} @param {unknown} that @param {unknown} locales @param {unknown} options */
  const localeCompare = function localeCompare(that, locales, options) {
    if (this === undefined || this === null) throw new TypeErrorCtor('String.prototype.localeCompare called on null or undefined');
    const id = locales === undefined && options === undefined ? defaultCollatorId() : configId('Collator', locales, options);
    return compareWith(id, StringCtor(this), StringCtor(that));
  };
  method(StringCtor.prototype, 'localeCompare', localeCompare);

  // ---- whole sorts in one call -------------------------------------------------------------------
  // Each compare crosses into the worker (µs each), so a sort of many strings with a comparator
  // that is exactly (a, b) => a.localeCompare(b) (or b.localeCompare(a), or a Collator's compare)
  // goes to V8 whole. Both sorts are stable and the comparator consistent, so the order is the one
  // QuickJS would produce; anything else (other comparators, non-strings) sorts as before.
  const ID = '([A-Za-z_$][\\w$]*)';
  const CALL = ID + '\\.localeCompare\\(\\s*' + ID + '\\s*\\)';
  const PARAMS = '\\(\\s*' + ID + '\\s*,\\s*' + ID + '\\s*\\)\\s*';
  const COMPARATORS = [
    new RegExp('^' + PARAMS + '=>\\s*' + CALL + '$'),
    new RegExp('^' + PARAMS + '=>\\s*\\{\\s*return\\s+' + CALL + '\\s*;?\\s*\\}$'),
    new RegExp('^function\\s*[\\w$]*\\s*' + PARAMS + '\\{\\s*return\\s+' + CALL + '\\s*;?\\s*\\}$'),
  ];
  const regExec = RegExp.prototype.exec;
  /** @type {WeakMap<Function, number>} */
  const comparatorKind = new WeakMapCtor(); // fn → 0 unknown, 1 ascending, 2 descending
  /** @param {Function} fn @returns {number} */
  function recognise(fn) {
    let kind = apply(wmGet, comparatorKind, [fn]);
    if (kind !== undefined) return kind;
    kind = 0;
    let text = '';
    try { text = apply(fnToString, fn, []); } catch (_) {}
    for (let i = 0; i < COMPARATORS.length && kind === 0; i++) {
      const m = apply(regExec, COMPARATORS[i], [text]);
      if (m && m[1] !== m[2]) kind = m[3] === m[1] && m[4] === m[2] ? 1 : m[3] === m[2] && m[4] === m[1] ? 2 : 0;
    }
    apply(wmSet, comparatorKind, [fn, kind]);
    return kind;
  }
  // [collator id, descending] when the whole sort can go to V8, else undefined.
  /** @param {unknown} list @param {unknown} fn @returns {[number, boolean] | undefined} */
  function wholeSort(list, fn) {
    if (typeof fn !== 'function' || !isArrayFn(list) || list.length < 2) return undefined;
    let id = apply(wmGet, collatorOf, [fn]), descending = false;
    if (id === undefined) {
      const kind = recognise(fn);
      if (kind === 0) return undefined;
      const d = getOwnDescriptor(StringCtor.prototype, 'localeCompare');
      if (!d || d.value !== localeCompare) return undefined;
      id = defaultCollatorId();
      descending = kind === 2;
    }
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return undefined;
    return [id, descending];
  }
  /** @param {ArrayLike<unknown>} list @param {[number, boolean]} how @returns {unknown[]} */
  function sortedCopy(list, how) {
    /** @type {unknown[]} */
    const copy = [];
    for (let i = 0; i < list.length; i++) copy[i] = list[i];
    return /** @type {unknown[]} */ (call(how[0], 'sort', [copy, how[1]]));
  }
  method(Array.prototype, 'sort', /** @this {unknown[]} @param {(a: unknown, b: unknown) => number} [compareFn] */ function sort(compareFn) {
    const how = wholeSort(this, compareFn);
    if (how === undefined) return apply(origSort, this, [compareFn]);
    const sorted = sortedCopy(this, how);
    for (let i = 0; i < sorted.length; i++) this[i] = sorted[i];
    return this;
  });
  if (typeof origToSorted === 'function') {
    method(Array.prototype, 'toSorted', /** @this {unknown[]} @param {(a: unknown, b: unknown) => number} [compareFn] */ function toSorted(compareFn) {
      const how = wholeSort(this, compareFn);
      return how === undefined ? apply(origToSorted, this, [compareFn]) : sortedCopy(this, how);
    });
  }
  /** @param {string} name */
  function caseMap(name) {
    return /** @this {unknown} @param {unknown} locales */ function (locales) {
      if (this === undefined || this === null) throw new TypeErrorCtor('String.prototype.' + name + ' called on null or undefined');
      return statics(name, '', [tag(StringCtor(this)), tag(locales)]);
    };
  }
  method(StringCtor.prototype, 'toLocaleUpperCase', caseMap('toLocaleUpperCase'));
  method(StringCtor.prototype, 'toLocaleLowerCase', caseMap('toLocaleLowerCase'));
  /** @param {number | bigint} x @param {unknown} locales @param {unknown} options */
  function formatNumber(x, locales, options) {
    return call(configId('NumberFormat', locales, options), 'format', [tag(x)]);
  }
  method(Number.prototype, 'toLocaleString', /** @this {number} @param {unknown} locales @param {unknown} options */ function toLocaleString(locales, options) {
    return formatNumber(apply(numValueOf, this, []), locales, options);
  });
  method(BigInt.prototype, 'toLocaleString', /** @this {bigint} @param {unknown} locales @param {unknown} options */ function toLocaleString(locales, options) {
    return formatNumber(apply(bigValueOf, this, []), locales, options);
  });
  /** @param {string} name @param {string} variant */
  function dateMethod(name, variant) {
    /** @this {Date} @param {unknown} locales @param {unknown} options */
    const fn = function (locales, options) {
      const t = apply(dateGetTime, this, []);
      if (t !== t) return 'Invalid Date';
      return call(configId('DateTimeFormat', locales, options, variant), 'format', [tag(t)]);
    };
    defineProperty(fn, 'name', { value: name });
    method(Date.prototype, name, fn);
  }
  dateMethod('toLocaleString', 'any');
  dateMethod('toLocaleDateString', 'date');
  dateMethod('toLocaleTimeString', 'time');
  // As V8: each element's own toLocaleString(locales, options), joined by ','; a cycle gives ''.
  /** @type {object[]} */
  const joining = [];
  method(Array.prototype, 'toLocaleString', /** @this {unknown} @param {unknown} locales @param {unknown} options */ function toLocaleString(locales, options) {
    const a = ObjectCtor(this);
    if (apply(arrIndexOf, joining, [a]) !== -1) return '';
    apply(arrPush, joining, [a]);
    try {
      const len = MathMin(+a.length || 0, 4294967295);
      let out = '';
      for (let i = 0; i < len; i++) {
        if (i > 0) out += ',';
        const e = a[i];
        if (e !== undefined && e !== null) out += StringCtor(e.toLocaleString(locales, options));
      }
      return out;
    } finally {
      apply(arrPop, joining, []);
    }
  });
});
