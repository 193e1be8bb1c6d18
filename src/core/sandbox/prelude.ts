// Guest prelude: the JavaScript that runs inside QuickJS before the user's script and defines
// the workflow globals (spec §2.4, §3). It evaluates to a function that the worker calls with
// the single host door `host(op, ...strings|numbers)` and a config; nothing of the host is ever
// reachable from the script, only this closure holds it.
//
// Hardening: every intrinsic the prelude needs is captured before user code runs and invoked
// through Reflect.apply, so a script that patches prototypes (Array, Function.prototype.call,
// Map, JSON…) can only break itself — everything that leaves the guest is a string the host
// parses and validates on its own side.

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
  const getPrototypeOf = Object.getPrototypeOf, create = Object.create;
  const ArrayCtor = Array, isArray = Array.isArray;
  const stringify = JSON.stringify, parse = JSON.parse;
  const StringCtor = String, ErrorCtor = Error, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;
  const EvalErrorCtor = EvalError;
  const OrigPromise = Promise, origThen = Promise.prototype.then;
  const strSlice = String.prototype.slice, strSplit = String.prototype.split, strIndexOf = String.prototype.indexOf;
  const arrJoin = Array.prototype.join;
  const M = config.messages;
  const CHILD = config.childName !== undefined;

  // ---- chain contexts: which "async thread" of the script an agent() call belongs to -------
  // k: chain key so far, f: forks taken from it, g/s/t: DAG position (group, slot, stage).
  let cur = { k: config.seed, f: 0, g: config.g, s: config.s, t: config.t };
  // \u001f separates, not NUL: strings cross into the host as C strings, which end at NUL.
  function seedOf(parent, kind, n, i) {
    const s = parent.k + '\u001f' + kind + '#' + n + '\u001f' + i;
    return s.length > 512 ? host('hash', s) : s;
  }
  function fork(parent, kind, n, i, g, s, t) {
    return { k: seedOf(parent, kind, n, i), f: 0, g: g, s: s, t: t };
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
  function pend(id, site) {
    return new OrigPromise(function (resolve, reject) { waiting[id] = [resolve, reject, site]; });
  }
  function rejected(e) { return new OrigPromise(function (_, reject) { reject(e); }); }
  function resolved(v) { return new OrigPromise(function (resolve) { resolve(v); }); }
  function whenSettled(value, onOk, onErr) {
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
  function settle(batchJson) {
    const items = parse(batchJson);
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const w = waiting[it[0]];
      if (w === undefined) continue;
      delete waiting[it[0]];
      if (it[1]) w[0](it[2] === undefined || it[2] === null ? undefined : parse(it[2]));
      else w[1](makeError(it[2], w[2]));
    }
  }
  function errorMessage(e) {
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') return e.message;
    try { return StringCtor(e); } catch (_) { return 'unknown error'; }
  }
  // A host refusal ('!' + ErrorInfo JSON) as an Error whose stack is the caller's own frames.
  function hostError(r) { return makeError(parse(apply(strSlice, r, [1])), new ErrorCtor().stack); }

  // ---- primitives (spec §3) -------------------------------------------------------------------
  let curPhase = '';
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
    const site = new ErrorCtor().stack;
    const c = cur;
    const id = nextId++;
    const r = host('agent', id, p, optsJson, c.k, c.g, c.s, c.t, curPhase, site);
    if (r[0] === '!') return rejected(hostError(r));
    c.k = r;
    return pend(id, site);
  }
  function precheck(kind, n) {
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
    const gid = host('group', 'parallel', n, 0, parent.g, parent.s, parent.t, new ErrorCtor().stack);
    const forkNo = parent.f++;
    return new OrigPromise(function (resolve) {
      const results = new ArrayCtor(n);
      const failed = [];
      let left = n, budgetDropped = 0;
      function done(i, ok, v) {
        if (ok) results[i] = v;
        else {
          results[i] = null;
          failed[failed.length] = i;
          if (v !== null && typeof v === 'object' && v.name === 'WorkflowBudgetExceededError') budgetDropped++;
          else host('log', 'warn', 'parallel[' + i + '] failed: ' + errorMessage(v));
        }
        if (--left === 0) {
          if (budgetDropped) host('log', 'warn', 'parallel: ' + budgetDropped + ' slots dropped — token budget exceeded');
          host('groupEnd', gid, numbersJson(failed));
          resolve(results);
        }
      }
      for (let i = 0; i < n; i++) {
        const c = fork(parent, 'parallel', forkNo, i, gid, i, -1);
        let r, threw = false;
        cur = c;
        try { r = thunks[i](); } catch (e) { threw = true; r = e; } finally { cur = parent; }
        if (threw) done(i, false, r);
        else whenSettled(r, function (v) { done(i, true, v); }, function (e) { done(i, false, e); });
      }
    });
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
    const gid = host('group', 'pipeline', n, stages.length, parent.g, parent.s, parent.t, new ErrorCtor().stack);
    const forkNo = parent.f++;
    return new OrigPromise(function (resolve) {
      const results = new ArrayCtor(n);
      const failed = [];
      let left = n;
      function done(i, ok, v) {
        if (ok) results[i] = v;
        else {
          results[i] = null;
          failed[failed.length] = i;
          host('log', 'warn', 'pipeline[' + i + '] failed: ' + errorMessage(v));
        }
        if (--left === 0) {
          host('groupEnd', gid, numbersJson(failed));
          resolve(results);
        }
      }
      function runSlot(i) {
        const c = fork(parent, 'pipeline', forkNo, i, gid, i, 0);
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
    const seed = seedOf(c, 'workflow', c.f++, 0);
    const site = new ErrorCtor().stack;
    const id = nextId++;
    const r = host('workflow', id, refJson, argsJson, seed, c.g, c.s, c.t, site);
    if (r[0] === '!') return rejected(hostError(r));
    return pend(id, site);
  }
  function phase(title) {
    if (CHILD) return;
    curPhase = StringCtor(title);
    host('phase', curPhase);
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
  function log() { host('log', 'info', line(arguments, false)); }
  const console = freeze({
    log: function () { host('log', 'info', line(arguments, true)); },
    info: function () { host('log', 'info', line(arguments, true)); },
    debug: function () { host('log', 'info', line(arguments, true)); },
    warn: function () { host('log', 'warn', '[warn] ' + line(arguments, true)); },
    error: function () { host('log', 'error', '[error] ' + line(arguments, true)); },
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
  return freeze({ settle: settle, helpers: helpers, finish: finish, describe: describe });
})`;
