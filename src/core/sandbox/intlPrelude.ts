// Guest side of Intl (issue 8 item 9): `Intl` and the locale-aware built-ins, answered by the
// worker's V8 through one door `intl(op, …)` (intlHost.ts), so results are ICU's, as in the
// official runtime. Hardened like the main prelude: intrinsics are captured before user code runs
// and called through Reflect.apply, so a script that patches prototypes only breaks itself.
//
// Values cross tagged ('s:' string, 'n:' number, 'b:' bigint, 'u:' undefined) inside JSON, which
// keeps NUL and lone surrogates (a plain string argument crosses as C text and would lose them).
// Only compare has a fast path with plain strings, for the strings where that is exact.
// Evaluated under the main prelude's file name, so its frames are left out of error locations.

export const INTL_PRELUDE = String.raw`(function (intl, dateNowMessage) {
  'use strict';
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
  function fail(r) {
    const e = parse(apply(strSlice, r, [1]));
    const C = e.name === 'RangeError' ? RangeErrorCtor : e.name === 'TypeError' ? TypeErrorCtor : e.name === 'SyntaxError' ? SyntaxErrorCtor : ErrorCtor;
    throw new C(e.message);
  }
  function checked(r) {
    if (typeof r === 'string' && r.length > 0 && r[0] === '!') fail(r);
    return r;
  }
  function tag(v) {
    switch (typeof v) {
      case 'number': return v === 0 && 1 / v < 0 ? 'n:-0' : 'n:' + StringCtor(v);
      case 'bigint': return 'b:' + StringCtor(v);
      case 'string': return 's:' + v;
      case 'undefined': return 'u:';
      default: return v;
    }
  }
  function call(id, method, args) {
    return parse(checked(intl('call', id, method, stringify(args))));
  }
  function statics(name, kind, args) {
    return parse(checked(intl('static', name, kind, stringify(args))));
  }

  // One id per distinct configuration, remembered here too: toLocaleString or localeCompare in a
  // loop asks the host for its formatter once.
  const ids = new MapCtor();
  function configId(kind, locales, options, variant) {
    const config = {};
    if (locales !== undefined) config.l = locales;
    if (options !== undefined) config.o = options;
    if (variant !== undefined) config.d = variant;
    const text = stringify(config);
    const key = kind + text;
    let id = apply(mapGet, ids, [key]);
    if (id === undefined) {
      id = checked(intl('new', kind, text));
      apply(mapSet, ids, [key, id]);
    }
    return id;
  }

  function compareWith(id, a, b) {
    if (apply(regTest, UNSAFE, [a]) || apply(regTest, UNSAFE, [b])) return call(id, 'compare', ['s:' + a, 's:' + b]);
    return checked(intl('c', id, a, b));
  }
  function toNumberTag(v) { return tag(+v); }
  function dateTag(d) {
    if (d === undefined) throw new ErrorCtor(dateNowMessage);
    return tag(+d);
  }
  function mathValueTag(v) {
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) v = +v;
    return tag(v);
  }
  function stringList(list) {
    if (list === undefined) return [];
    const out = arrayFrom(list);
    for (let i = 0; i < out.length; i++) {
      if (typeof out[i] !== 'string') throw new TypeErrorCtor('Iterable yielded ' + StringCtor(out[i]) + ' which is not a string');
    }
    return out;
  }

  function method(obj, name, fn) {
    defineProperty(obj, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }

  // ---- constructors ----------------------------------------------------------------------------
  // spec: kind, callable (legacy constructors work without new), methods {name: [host method,
  // argument converters…]}, bound (the getter returning a bound function: compare / format).
  const IntlObj = create(ObjectProto);
  // Collator.prototype.compare functions handed out, with their Collator's id (fast sorts).
  const collatorOf = new WeakMapCtor();
  function defineKind(spec) {
    const slots = new WeakMapCtor();
    const kind = spec.kind;
    function idOf(self, name) {
      if ((typeof self !== 'object' && typeof self !== 'function') || self === null || !apply(wmHas, slots, [self])) {
        throw new TypeErrorCtor('Method Intl.' + kind + '.prototype.' + name + ' called on an incompatible receiver');
      }
      return apply(wmGet, slots, [self]);
    }
    const Ctor = function (locales, options) {
      if (new.target === undefined && !spec.callable) throw new TypeErrorCtor("Constructor Intl." + kind + " requires 'new'");
      const self = new.target === undefined ? create(Ctor.prototype) : this;
      apply(wmSet, slots, [self, configId(kind, locales, options)]);
      return self;
    };
    defineProperty(Ctor, 'name', { value: kind });
    const proto = Ctor.prototype;
    defineProperty(proto, TO_STRING_TAG, { value: 'Intl.' + kind, configurable: true });
    method(proto, 'resolvedOptions', function resolvedOptions() { return call(idOf(this, 'resolvedOptions'), 'resolvedOptions', []); });
    const names = objectKeys(spec.methods);
    for (let i = 0; i < names.length; i++) {
      const name = names[i], converters = spec.methods[name];
      const impl = function () {
        const id = idOf(this, name);
        const args = [];
        for (let j = 0; j < converters.length; j++) args[j] = converters[j](arguments[j]);
        return spec.wrap && spec.wrap[name] ? spec.wrap[name](call(id, name, args), args, id) : call(id, name, args);
      };
      defineProperty(impl, 'name', { value: name });
      defineProperty(impl, 'length', { value: converters.length });
      if (name === spec.bound) {
        const bound = new WeakMapCtor();
        defineProperty(proto, name, {
          get: function () {
            const id = idOf(this, name);
            let fn = apply(wmGet, bound, [this]);
            if (fn === undefined) {
              fn = spec.fast ? function (a, b) { return spec.fast(id, a, b); } : function (v) { return call(id, name, [converters[0](v)]); };
              if (spec.fast) apply(wmSet, collatorOf, [fn, id]);
              apply(wmSet, bound, [this, fn]);
            }
            return fn;
          },
          configurable: true, enumerable: false,
        });
      } else method(proto, name, impl);
    }
    method(Ctor, 'supportedLocalesOf', function supportedLocalesOf(locales, options) { return statics('supportedLocalesOf', kind, [tag(locales), tag(options)]); });
    defineProperty(IntlObj, kind, { value: Ctor, writable: true, configurable: true, enumerable: false });
    return Ctor;
  }

  const str = function (v) { return tag(StringCtor(v)); };
  defineKind({
    kind: 'Collator', callable: true, bound: 'compare',
    methods: { compare: [str, str] },
    fast: function (id, a, b) { return compareWith(id, StringCtor(a), StringCtor(b)); },
  });
  defineKind({
    kind: 'NumberFormat', callable: true, bound: 'format',
    methods: { format: [mathValueTag], formatToParts: [mathValueTag], formatRange: [mathValueTag, mathValueTag], formatRangeToParts: [mathValueTag, mathValueTag] },
  });
  defineKind({
    kind: 'DateTimeFormat', callable: true, bound: 'format',
    methods: { format: [dateTag], formatToParts: [dateTag], formatRange: [toNumberTagOrU, toNumberTagOrU], formatRangeToParts: [toNumberTagOrU, toNumberTagOrU] },
  });
  function toNumberTagOrU(v) { return v === undefined ? 'u:' : tag(+v); }
  defineKind({ kind: 'PluralRules', methods: { select: [toNumberTag], selectRange: [toNumberTagOrU, toNumberTagOrU] } });
  defineKind({ kind: 'RelativeTimeFormat', methods: { format: [toNumberTag, str], formatToParts: [toNumberTag, str] } });
  defineKind({ kind: 'ListFormat', methods: { format: [stringList], formatToParts: [stringList] } });
  defineKind({
    kind: 'Segmenter', methods: { segment: [str] },
    wrap: { segment: function (list, args) { return segments(list, apply(strSlice, args[0], [2])); } },
  });

  // Segmenter.prototype.segment's result: iterable segment data plus containing(index).
  const SegmentsProto = create(ObjectProto);
  const segmentsData = new WeakMapCtor();
  function segmentData(item, input) {
    const d = { segment: item[0], index: item[1], input: input };
    if (item[2] !== null) d.isWordLike = item[2];
    return d;
  }
  function segments(list, input) {
    const s = create(SegmentsProto);
    apply(wmSet, segmentsData, [s, [list, input]]);
    return s;
  }
  function dataOf(s) {
    const d = typeof s === 'object' && s !== null ? apply(wmGet, segmentsData, [s]) : undefined;
    if (d === undefined) throw new TypeErrorCtor('not a Segments object');
    return d;
  }
  method(SegmentsProto, 'containing', function containing(index) {
    const d = dataOf(this), list = d[0];
    let n = +index;
    n = n !== n ? 0 : n < 0 ? -MathFloor(-n) : MathFloor(n);
    if (n < 0 || n >= d[1].length) return undefined;
    let lo = 0, hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid][1] <= n) lo = mid; else hi = mid - 1;
    }
    return segmentData(list[lo], d[1]);
  });
  method(SegmentsProto, ITERATOR, function () {
    const d = dataOf(this);
    let i = 0;
    const it = create(ObjectProto);
    method(it, 'next', function next() {
      if (i >= d[0].length) return { value: undefined, done: true };
      return { value: segmentData(d[0][i++], d[1]), done: false };
    });
    method(it, ITERATOR, function () { return this; });
    return it;
  });

  method(IntlObj, 'getCanonicalLocales', function getCanonicalLocales(locales) { return statics('getCanonicalLocales', '', [tag(locales)]); });
  method(IntlObj, 'supportedValuesOf', function supportedValuesOf(key) { return statics('supportedValuesOf', '', [tag(StringCtor(key))]); });
  defineProperty(IntlObj, TO_STRING_TAG, { value: 'Intl', configurable: true });
  defineProperty(G, 'Intl', { value: IntlObj, writable: true, configurable: true, enumerable: false });

  // ---- locale-aware built-ins --------------------------------------------------------------------
  let defaultCollator;
  function defaultCollatorId() {
    return defaultCollator === undefined ? (defaultCollator = configId('Collator')) : defaultCollator;
  }
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
  const comparatorKind = new WeakMapCtor(); // fn → 0 unknown, 1 ascending, 2 descending
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
  function sortedCopy(list, how) {
    const copy = [];
    for (let i = 0; i < list.length; i++) copy[i] = list[i];
    return call(how[0], 'sort', [copy, how[1]]);
  }
  method(Array.prototype, 'sort', function sort(compareFn) {
    const how = wholeSort(this, compareFn);
    if (how === undefined) return apply(origSort, this, [compareFn]);
    const sorted = sortedCopy(this, how);
    for (let i = 0; i < sorted.length; i++) this[i] = sorted[i];
    return this;
  });
  if (typeof origToSorted === 'function') {
    method(Array.prototype, 'toSorted', function toSorted(compareFn) {
      const how = wholeSort(this, compareFn);
      return how === undefined ? apply(origToSorted, this, [compareFn]) : sortedCopy(this, how);
    });
  }
  function caseMap(name) {
    return function (locales) {
      if (this === undefined || this === null) throw new TypeErrorCtor('String.prototype.' + name + ' called on null or undefined');
      return statics(name, '', [tag(StringCtor(this)), tag(locales)]);
    };
  }
  method(StringCtor.prototype, 'toLocaleUpperCase', caseMap('toLocaleUpperCase'));
  method(StringCtor.prototype, 'toLocaleLowerCase', caseMap('toLocaleLowerCase'));
  function formatNumber(x, locales, options) {
    return call(configId('NumberFormat', locales, options), 'format', [tag(x)]);
  }
  method(Number.prototype, 'toLocaleString', function toLocaleString(locales, options) {
    return formatNumber(apply(numValueOf, this, []), locales, options);
  });
  method(BigInt.prototype, 'toLocaleString', function toLocaleString(locales, options) {
    return formatNumber(apply(bigValueOf, this, []), locales, options);
  });
  function dateMethod(name, variant) {
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
  const joining = [];
  method(Array.prototype, 'toLocaleString', function toLocaleString(locales, options) {
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
})`;
