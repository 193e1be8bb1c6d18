// Guest prelude: the JavaScript that runs inside QuickJS before the user's script and defines
// the workflow globals (spec §2.4, §3). It evaluates to a function that the worker calls with
// the single host door `host(op, ...strings|numbers)` and a config; nothing of the host is ever
// reachable from the script, only this closure holds it.
//
// Hardening: every intrinsic the prelude needs is captured before user code runs and invoked
// through Reflect.apply, so a script that patches prototypes (Array, Function.prototype.call,
// Map, JSON…) can only break itself — everything that leaves the guest is a string the host
// parses and validates on its own side.
//
// agent() makes no host call (one costs far more than the rest of agent() together): it appends
// a record to a guest-side queue, and the worker drains the queue once per VM entry (drain())
// or the guest flushes it before any synchronous host call (so ops keep their call order). The
// key of a queued call is not known in the guest, so the next call of that context chains on a
// reference '#<id>' that the worker resolves to the real key.

/** Settings the worker passes to one prelude instance (root script or one child workflow). */
export interface PreludeConfig {
  /** Chain seed of the root context (cache keys, spec §4.7). */
  seed: string;
  /** DAG position of the context: enclosing group/slot/stage, -1 when none. */
  g: number;
  s: number;
  t: number;
  /** First promise id of this context; ids of different contexts never collide. */
  idBase: number;
  /** Length of an agent key: what a '#id' chain reference stands for when seeds are measured. */
  keyLength: number;
  /** Random end mark of drained queue texts; the script never sees it (see takeQueue). */
  mark: string;
  /** Set for a child run by workflow(): phase() is a no-op, logs are prefixed, no nesting. */
  childName?: string;
  budgetTotal: number | null;
  argsJson: string | undefined;
  messages: {
    mathRandom: string;
    dateNow: string;
    codeGeneration: string;
    parallelNotArray: string;
    parallelNotFunction: string;
    pipelineNotArray: string;
    pipelineStage: string;
    workflowRef: string;
    workflowNesting: string;
    resultFunction: string;
  };
}

export const PRELUDE_FILE = '<workflow-runtime>';

export const PRELUDE = String.raw`(function (host, config) {
  'use strict';
  const G = globalThis;
  const apply = Reflect.apply, construct = Reflect.construct;
  const defineProperty = Object.defineProperty, freeze = Object.freeze;
  const getPrototypeOf = Object.getPrototypeOf, setPrototypeOf = Object.setPrototypeOf, create = Object.create;
  const ArrayCtor = Array, isArray = Array.isArray;
  const stringify = JSON.stringify, parse = JSON.parse;
  const StringCtor = String, ErrorCtor = Error, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;
  const EvalErrorCtor = EvalError;
  const OrigPromise = Promise, origThen = Promise.prototype.then;
  const strSlice = String.prototype.slice, strSplit = String.prototype.split, strIndexOf = String.prototype.indexOf;
  const arrJoin = Array.prototype.join;
  const M = config.messages;
  const CHILD = config.childName !== undefined;

  // ---- the queue of operations the worker drains (see top) ----------------------------------
  // A flat array of primitives without a prototype: an index setter or a toJSON the script puts
  // on Array/Object.prototype cannot see or change it. Records (tag first):
  //   'a', id, prompt, optsJson|null, chain, g, s, t, site ('' = same as the previous record)
  //   'l', level, message     'p', title     'e', groupId, failedJson
  let q = setPrototypeOf([], null), qPrev = q, lastSite = '';
  // Joined with \u0001 (several times cheaper than JSON.stringify in QuickJS, and no per-field
  // check) between the field count and a random end mark the script cannot know: a field that
  // contains \u0001 adds fields, a NUL (the text crosses as a C string and ends there) cuts the
  // end mark off, and either way the worker asks for the same records as JSON instead
  // (drainJson, or 'j' from the 'q' host op). A script cannot forge records.
  const MARK = config.mark;
  function takeQueue() {
    qPrev = q; q = setPrototypeOf([], null); lastSite = '';
    return qPrev.length + '\u0001' + apply(arrJoin, qPrev, ['\u0001']) + '\u0001' + MARK;
  }
  // Runs before every synchronous host call: queued records first, so ops stay in call order,
  // agent counts are current (precheck) and '#id' references are resolvable (hash, workflow).
  // Answers whether the worker wants calls handed over early (see agent()): not when the batch
  // held no agent it has to start, e.g. on resume, where the journal settles them all.
  function flushQueue() {
    if (q.length === 0) return true;
    let r = host('q', takeQueue());
    if (r === 'j') r = host('q', stringify(qPrev));
    return r !== 'c';
  }
  const HAND_OVER = 576; // fields: 64 agent() records
  let handOver = HAND_OVER;

  // ---- chain contexts: which "async thread" of the script an agent() call belongs to -------
  // k: chain key so far (a key, a seed, or '#<id>' + suffix: a reference to a queued call's key),
  // n: length of k once resolved (a reference stands for keyLength characters), f: forks taken
  // from it, g/s/t: DAG position (group, slot, stage).
  const KEY_LENGTH = config.keyLength;
  let cur = { k: config.seed, n: config.seed.length, f: 0, g: config.g, s: config.s, t: config.t };
  // \u001f separates, not NUL: strings cross into the host as C strings, which end at NUL.
  // Long seeds are hashed; the length that decides is the resolved one, so keys stay what they
  // were before references existed.
  function fork(parent, kind, n, i, g, s, t) {
    return forkTail(parent, '\u001f' + kind + '#' + n + '\u001f' + i, g, s, t);
  }
  // fork() with the suffix given: a group builds its '\u001fkind#n\u001f' prefix once.
  function forkTail(parent, tail, g, s, t) {
    const len = parent.n + tail.length;
    if (len > 512) {
      flushQueue();
      return { k: host('hash', parent.k + tail), n: 64, f: 0, g: g, s: s, t: t };
    }
    return { k: parent.k + tail, n: len, f: 0, g: g, s: s, t: t };
  }
  // Helpers the parser's transform calls around every await and async function body.
  const helpers = freeze({
    e: function () { const p = cur; const c = fork(p, 'a', p.f++, 0, p.g, p.s, p.t); cur = c; return [c, p]; },
    s: function (tok, v) { cur = tok[1]; return v; },
    r: function (tok, v) { cur = tok[0]; return v; },
    x: function (tok) { cur = tok[1]; },
  });
  // .then callbacks run in the context that attached them (scripts chain agent().then(...)).
  function then(onFulfilled, onRejected) {
    const c = cur;
    return apply(origThen, this, [
      typeof onFulfilled === 'function' ? function (v) { cur = c; return onFulfilled(v); } : onFulfilled,
      typeof onRejected === 'function' ? function (e) { cur = c; return onRejected(e); } : onRejected,
    ]);
  }
  defineProperty(OrigPromise.prototype, 'then', { value: then, writable: false, configurable: false, enumerable: false });

  // ---- pending host calls ------------------------------------------------------------------
  const waiting = create(null);
  let nextId = config.idBase;
  // One executor for every pending call (no closure per call): it hands out the capability.
  let capResolve, capReject;
  function capture(resolve, reject) { capResolve = resolve; capReject = reject; }
  function pend(id, site) {
    const p = new OrigPromise(capture);
    waiting[id] = [capResolve, capReject, site];
    return p;
  }
  function rejected(e) { return new OrigPromise(function (_, reject) { reject(e); }); }
  function resolved(v) { return new OrigPromise(function (resolve) { resolve(v); }); }
  const PromiseProto = OrigPromise.prototype;
  // A promise of this realm (what agent() and async functions return) is followed directly:
  // adopting it through a new promise costs two more promises, a job and the then() wrappers
  // per slot. Anything else (plain values, thenables, subclasses, a Proxy) is adopted first.
  function whenSettled(value, onOk, onErr) {
    if (value !== null && typeof value === 'object' && getPrototypeOf(value) === PromiseProto) {
      try { apply(origThen, value, [onOk, onErr]); return; } catch (_) { /* not a real promise: adopt it */ }
    }
    apply(origThen, resolved(value), [onOk, onErr]);
  }
  // The user's frames of a captured stack (drops this prelude's own frames).
  function userFrames(stack) {
    if (typeof stack !== 'string') return '';
    const lines = apply(strSplit, stack, ['\n']);
    const keep = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l && apply(strIndexOf, l, ['${PRELUDE_FILE}']) < 0) keep[keep.length] = l;
    }
    return apply(arrJoin, keep, ['\n']);
  }
  // A data descriptor without a prototype: an Object.prototype.get/set the script added must
  // not turn it into an accessor descriptor (defineProperty would throw).
  function dataDesc(v) {
    const d = create(null);
    d.value = v; d.writable = true; d.configurable = true;
    return d;
  }
  function makeError(info, site) {
    const e = info.name === 'TypeError' ? new TypeErrorCtor(info.message) : new ErrorCtor(info.message);
    if (e.name !== info.name) defineProperty(e, 'name', dataDesc(info.name));
    const frames = userFrames(site);
    defineProperty(e, 'stack', dataDesc(frames ? frames + '\n' : ''));
    return e;
  }
  // JSON built from primitives only: an Object.prototype.toJSON the script added cannot alter it.
  function infoJson(name, message, stack) {
    return '{"name":' + stringify(name) + ',"message":' + stringify(message) + ',"stack":' + stringify(stack) + '}';
  }
  function numbersJson(a) { return '[' + apply(arrJoin, a, [',']) + ']'; }
  // One flat JSON array per batch with the results inline (protocol settlementJson), so the guest
  // parses once per batch and builds no array per result: id, 1, value | id, 2, 0 (undefined)
  // | id, 0, ErrorInfo.
  function settle(batchJson) {
    const items = parse(batchJson);
    for (let i = 0; i + 2 < items.length; i += 3) {
      const w = waiting[items[i]];
      if (w === undefined) continue;
      delete waiting[items[i]];
      const code = items[i + 1];
      if (code === 1) w[0](items[i + 2]);
      else if (code === 2) w[0](undefined);
      else w[1](makeError(items[i + 2], w[2]));
    }
  }
  function errorMessage(e) {
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') return e.message;
    try { return StringCtor(e); } catch (_) { return 'unknown error'; }
  }
  // A host refusal ('!' + ErrorInfo JSON) as an Error whose stack is the caller's own frames.
  function hostError(r) { return makeError(parse(apply(strSlice, r, [1])), new ErrorCtor().stack); }

  // ---- primitives (spec §3) -------------------------------------------------------------------
  function queueLog(level, message) {
    const i = q.length;
    q[i] = 'l'; q[i + 1] = level; q[i + 2] = message;
  }
  function queueGroupEnd(gid, failed) {
    const i = q.length;
    q[i] = 'e'; q[i + 1] = gid; q[i + 2] = numbersJson(failed);
  }
  function agent(prompt, opts) {
    let p;
    if (typeof prompt === 'string') p = prompt;
    else if (typeof prompt === 'function') p = '[function]';
    else if (prompt !== null && typeof prompt === 'object') p = '[object]';
    else p = StringCtor(prompt);
    let optsJson;
    if (opts !== undefined && opts !== null) {
      if (typeof opts !== 'object' || isArray(opts)) {
        return rejected(new TypeErrorCtor('agent() options must be an object, e.g. agent(prompt, { label: "…" })'));
      }
      try { optsJson = stringify(opts); } catch (e) {
        return rejected(new TypeErrorCtor('agent() options must be plain data: ' + errorMessage(e)));
      }
    }
    let site = new ErrorCtor().stack;
    if (typeof site !== 'string') site = '';
    const c = cur;
    const id = nextId++;
    // Index assignment on the prototype-less queue (see above), never a patchable push().
    const i = q.length;
    q[i] = 'a'; q[i + 1] = id; q[i + 2] = p; q[i + 3] = optsJson === undefined ? null : optsJson;
    q[i + 4] = c.k; q[i + 5] = c.g; q[i + 6] = c.s; q[i + 7] = c.t;
    // A loop calls agent() from one place: its stack goes over once per batch, not per call.
    q[i + 8] = site === lastSite ? '' : site;
    lastSite = site;
    // The worker resolves the reference to the key (GuestBookkeeping.resolve).
    c.k = '#' + id;
    c.n = KEY_LENGTH;
    const promise = pend(id, site);
    // A long synchronous burst (a big parallel) hands over every 64 calls, so the run starts
    // them while the script goes on queuing, instead of after the whole burst.
    if (q.length >= handOver && !flushQueue()) handOver = Infinity;
    return promise;
  }
  function precheck(kind, n) {
    flushQueue();
    const r = host('precheck', kind, n);
    return r[0] === '!' ? hostError(r) : undefined;
  }
  function parallel(thunks) {
    if (!isArray(thunks)) return rejected(new TypeErrorCtor(M.parallelNotArray));
    const n = thunks.length;
    for (let i = 0; i < n; i++) if (typeof thunks[i] !== 'function') return rejected(new TypeErrorCtor(M.parallelNotFunction));
    const err = precheck('parallel', n);
    if (err) return rejected(err);
    if (n === 0) return resolved([]);
    const parent = cur;
    flushQueue();
    const gid = host('group', 'parallel', n, 0, parent.g, parent.s, parent.t, new ErrorCtor().stack);
    const slotTail = '\u001fparallel#' + parent.f++ + '\u001f';
    let resolve, reject;
    const all = new OrigPromise(function (res, rej) { resolve = res; reject = rej; });
    // The slots start outside the executor: every agent() stack is two frames shorter for it.
    try {
      const results = new ArrayCtor(n);
      const failed = [];
      let left = n, budgetDropped = 0;
      function done(i, ok, v) {
        if (ok) results[i] = v;
        else {
          results[i] = null;
          failed[failed.length] = i;
          if (v !== null && typeof v === 'object' && v.name === 'WorkflowBudgetExceededError') budgetDropped++;
          else queueLog('warn', 'parallel[' + i + '] failed: ' + errorMessage(v));
        }
        if (--left === 0) {
          if (budgetDropped) queueLog('warn', 'parallel: ' + budgetDropped + ' slots dropped — token budget exceeded');
          queueGroupEnd(gid, failed);
          resolve(results);
        }
      }
      for (let i = 0; i < n; i++) {
        const c = forkTail(parent, slotTail + i, gid, i, -1);
        let r, threw = false;
        cur = c;
        try { r = thunks[i](); } catch (e) { threw = true; r = e; } finally { cur = parent; }
        if (threw) done(i, false, r);
        else whenSettled(r, function (v) { done(i, true, v); }, function (e) { done(i, false, e); });
      }
    } catch (e) { reject(e); }
    return all;
  }
  function pipeline(items) {
    if (!isArray(items)) return rejected(new TypeErrorCtor(M.pipelineNotArray));
    const stages = [];
    for (let a = 1; a < arguments.length; a++) {
      if (typeof arguments[a] !== 'function') return rejected(new TypeErrorCtor(M.pipelineStage));
      stages[stages.length] = arguments[a];
    }
    const n = items.length;
    const err = precheck('pipeline', n);
    if (err) return rejected(err);
    if (n === 0) return resolved([]);
    const parent = cur;
    flushQueue();
    const gid = host('group', 'pipeline', n, stages.length, parent.g, parent.s, parent.t, new ErrorCtor().stack, itemLabels(items, n));
    const slotTail = '\u001fpipeline#' + parent.f++ + '\u001f';
    return new OrigPromise(function (resolve) {
      const results = new ArrayCtor(n);
      const failed = [];
      let left = n;
      function done(i, ok, v) {
        if (ok) results[i] = v;
        else {
          results[i] = null;
          failed[failed.length] = i;
          queueLog('warn', 'pipeline[' + i + '] failed: ' + errorMessage(v));
        }
        if (--left === 0) {
          queueGroupEnd(gid, failed);
          resolve(results);
        }
      }
      function runSlot(i) {
        const c = forkTail(parent, slotTail + i, gid, i, 0);
        let item, stage = 0;
        function step(v) {
          // Exactly null ends the slot early (a null agent short-circuits); undefined does not.
          if (v === null || stage >= stages.length) return done(i, true, v);
          const s = stage++;
          c.t = s;
          let r, threw = false;
          cur = c;
          try { r = stages[s](v, item, i); } catch (e) { threw = true; r = e; } finally { cur = parent; }
          if (threw) done(i, false, r);
          else whenSettled(r, step, function (e) { done(i, false, e); });
        }
        whenSettled(items[i], function (v) { item = v; step(v); }, function (e) { done(i, false, e); });
      }
      for (let i = 0; i < n; i++) runSlot(i);
    });
  }
  // Short names of pipeline items for the Runs view's slots (a file name, a topic): a string or
  // number, or an object's own name/title/topic/file/path/id/label data property (no getter runs).
  const ITEM_KEYS = freeze(['name', 'title', 'topic', 'file', 'path', 'id', 'label']);
  const getOwnDesc = Object.getOwnPropertyDescriptor;
  function itemLabel(x, deep) {
    if (typeof x === 'string') return apply(strSlice, x, [0, 80]);
    if (typeof x === 'number') return StringCtor(x);
    if (deep || x === null || typeof x !== 'object') return '';
    for (let k = 0; k < ITEM_KEYS.length; k++) {
      let d;
      try { d = getOwnDesc(x, ITEM_KEYS[k]); } catch (e) { return ''; } // a Proxy's trap may throw
      if (d && 'value' in d) { const l = itemLabel(d.value, true); if (l) return l; }
    }
    return '';
  }
  function itemLabels(items, n) {
    const out = setPrototypeOf([], null);
    for (let i = 0; i < n; i++) out[i] = itemLabel(items[i], false);
    return stringify(out);
  }
  function workflow(ref, args) {
    if (CHILD) return rejected(new ErrorCtor(M.workflowNesting));
    let refJson;
    if (typeof ref === 'string') refJson = '{"name":' + stringify(ref) + '}';
    else if (ref !== null && typeof ref === 'object' && typeof ref.scriptPath === 'string') refJson = '{"scriptPath":' + stringify(ref.scriptPath) + '}';
    else return rejected(new TypeErrorCtor(M.workflowRef));
    let argsJson;
    try { argsJson = args === undefined ? undefined : stringify(args); } catch (e) {
      return rejected(new TypeErrorCtor('workflow() args must be plain data: ' + errorMessage(e)));
    }
    const c = cur;
    const seed = fork(c, 'workflow', c.f++, 0, -1, -1, -1).k;
    const site = new ErrorCtor().stack;
    const id = nextId++;
    flushQueue();
    const r = host('workflow', id, refJson, argsJson, seed, c.g, c.s, c.t, site);
    if (r[0] === '!') return rejected(hostError(r));
    return pend(id, site);
  }
  function phase(title) {
    if (CHILD) return;
    const t = StringCtor(title);
    const i = q.length;
    q[i] = 'p'; q[i + 1] = t;
  }
  function text(v, json) {
    if (typeof v === 'string') return v;
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      if (!json || typeof v === 'function') return typeof v === 'function' ? '[function]' : '[object]';
      try { const s = stringify(v); return s === undefined ? StringCtor(v) : s; } catch (_) { return '[object]'; }
    }
    return StringCtor(v);
  }
  function line(args, json) {
    const parts = [];
    for (let i = 0; i < args.length; i++) parts[parts.length] = text(args[i], json);
    const s = apply(arrJoin, parts, [' ']);
    return CHILD ? '[' + config.childName + '] ' + s : s;
  }
  function log() { queueLog('info', line(arguments, false)); }
  const console = freeze({
    log: function () { queueLog('info', line(arguments, true)); },
    info: function () { queueLog('info', line(arguments, true)); },
    debug: function () { queueLog('info', line(arguments, true)); },
    warn: function () { queueLog('warn', '[warn] ' + line(arguments, true)); },
    error: function () { queueLog('error', '[error] ' + line(arguments, true)); },
  });
  const total = config.budgetTotal;
  const budget = freeze({
    total: total,
    spent: function () { return host('spent'); },
    remaining: function () {
      if (total === null) return Infinity;
      const r = total - host('spent');
      return r > 0 ? r : 0;
    },
  });
  // Timers: the worker keeps the real timer; the callback runs in the caller's context.
  function setTimeout(fn, ms) {
    const extra = [];
    for (let a = 2; a < arguments.length; a++) extra[extra.length] = arguments[a];
    const id = nextId++;
    const c = cur;
    waiting[id] = [function () {
      if (typeof fn !== 'function') return;
      cur = c;
      try { apply(fn, undefined, extra); } catch (_) { /* spec §3.9: callback errors are swallowed */ }
    }, function () {}, ''];
    host('timer', id, +ms > 0 ? +ms : 0);
    return id;
  }
  function clearTimeout(id) {
    if (typeof id === 'number' && waiting[id] !== undefined) {
      delete waiting[id];
      host('clearTimer', id);
    }
  }

  // ---- determinism shims and code generation (spec §2.3–2.4) --------------------------------
  const OrigDate = Date;
  function SafeDate() {
    if (new.target === undefined || arguments.length === 0) throw new ErrorCtor(M.dateNow);
    const a = [];
    for (let i = 0; i < arguments.length; i++) a[i] = arguments[i];
    return construct(OrigDate, a, new.target);
  }
  defineProperty(SafeDate, 'prototype', { value: OrigDate.prototype, writable: false });
  defineProperty(SafeDate, 'now', { value: function now() { throw new ErrorCtor(M.dateNow); } });
  defineProperty(SafeDate, 'parse', { value: OrigDate.parse });
  defineProperty(SafeDate, 'UTC', { value: OrigDate.UTC });
  defineProperty(OrigDate.prototype, 'constructor', { value: SafeDate, writable: false, configurable: false });
  freeze(SafeDate);
  defineProperty(Math, 'random', { value: function random() { throw new ErrorCtor(M.mathRandom); }, writable: false, configurable: false });
  function noCodegen() { throw new EvalErrorCtor(M.codeGeneration); }
  const FunctionProto = Function.prototype;
  defineProperty(noCodegen, 'prototype', { value: FunctionProto, writable: false });
  const fnProtos = [FunctionProto,
    getPrototypeOf(async function () {}),
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function* () {})];
  for (let i = 0; i < fnProtos.length; i++) {
    defineProperty(fnProtos[i], 'constructor', { value: noCodegen, writable: false, configurable: false });
  }
  defineProperty(G, 'Function', { value: noCodegen, writable: false, configurable: false });
  defineProperty(G, 'eval', { value: noCodegen, writable: false, configurable: false });
  defineProperty(G, 'Date', { value: SafeDate, writable: false, configurable: false });
  if (ErrorCtor.captureStackTrace) delete ErrorCtor.captureStackTrace;

  // ---- globals: ordinary writable bindings so scripts may shadow them (spec §2.4) ----------------
  const globals = {
    agent: agent, parallel: parallel, pipeline: pipeline, workflow: workflow, phase: phase, log: log,
    console: console, budget: budget, setTimeout: setTimeout, clearTimeout: clearTimeout,
    args: config.argsJson === undefined ? undefined : parse(config.argsJson),
  };
  const names = ['agent', 'parallel', 'pipeline', 'workflow', 'phase', 'log', 'console', 'budget', 'setTimeout', 'clearTimeout', 'args'];
  for (let i = 0; i < names.length; i++) {
    defineProperty(G, names[i], { value: globals[names[i]], writable: true, configurable: true, enumerable: false });
  }

  // What the worker keeps: the settle door, the transform helpers, and result/error encoders.
  // finish(v) → '1' + result JSON ('1' alone for undefined), or '0' + ErrorInfo JSON.
  function finish(v) {
    if (typeof v === 'function') return '0' + infoJson('TypeError', M.resultFunction, '');
    try {
      const json = stringify(v);
      return typeof json === 'string' ? '1' + json : '1';
    } catch (e) {
      return '0' + infoJson('TypeError', 'workflow result must be JSON data: ' + errorMessage(e), '');
    }
  }
  function describe(e) {
    const message = e !== null && typeof e === 'object' ? e.message : undefined;
    if (typeof message === 'string') {
      let name = 'Error';
      try { name = StringCtor(e.name); } catch (_) {}
      const stack = e.stack;
      return infoJson(name, message, typeof stack === 'string' ? userFrames(stack) : '');
    }
    let m;
    try { m = typeof e === 'string' ? e : stringify(e); } catch (_) { m = '[unserialisable value]'; }
    return infoJson('Error', 'Uncaught ' + StringCtor(m), '');
  }
  // drain(): the queued records ('' when none); drainJson(): the last drained ones again, as JSON.
  function drain() {
    handOver = HAND_OVER;
    return q.length === 0 ? '' : takeQueue();
  }
  function drainJson() { return stringify(qPrev); }
  return freeze({ settle: settle, helpers: helpers, finish: finish, describe: describe, drain: drain, drainJson: drainJson });
})`;
