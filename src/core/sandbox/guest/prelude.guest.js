// @ts-check
// Guest prelude: the JavaScript that runs inside QuickJS before the user's script and defines
// the workflow globals (spec §2.4, §3). It evaluates to a function that the worker calls with
// the single host door `host(op, ...strings|numbers)` and a config; nothing of the host is ever
// reachable from the script, only this closure holds it. Loaded as text (esbuild), so what
// crosses the boundary — op names, record layouts, constants — comes from config.wire
// (guestWire.ts), never from a copy in this file.
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

/** @typedef {import('../guestWire').PreludeConfig} PreludeConfig */
/**
 * Which "async thread" of the script an agent() call belongs to. k: chain key so far (a key, a
 * seed, or '#<id>' + suffix), n: length of k once resolved, f: forks taken from it, g/s/t: DAG
 * position (group, slot, stage; -1 when none).
 * @typedef {{ k: string, n: number, f: number, g: number, s: number, t: number }} ChainContext
 */
/** @typedef {[resolve: (value: unknown) => void, reject: (error: unknown) => void, site: string]} Waiter */
/** @typedef {{ name: string, message: string }} GuestErrorInfo */

(/**
 * @param {import('../guestWire').HostDoor} host
 * @param {PreludeConfig} config
 */
function (host, config) {
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
  const W = config.wire;
  const OP = W.hostOp, REPLY = W.flushReply, SETTLE = W.settleCode, FINISH = W.finish, REFUSAL = W.refusal;
  const SEP = W.fieldSeparator, CHAIN_SEP = W.chainSeparator;
  // Record layouts as locals: agent() writes one record per call, the hottest path of a run.
  const AGENT = W.record.agent, LOG = W.record.log, PHASE = W.record.phase, GROUP_END = W.record.groupEnd;
  const A_TAG = AGENT.tag, A_ID = AGENT.id, A_PROMPT = AGENT.prompt, A_OPTS = AGENT.optsJson, A_CHAIN = AGENT.chain;
  const A_GROUP = AGENT.group, A_SLOT = AGENT.slot, A_STAGE = AGENT.stage, A_SITE = AGENT.site;
  const S_ID = W.settlement.id, S_CODE = W.settlement.code, S_PAYLOAD = W.settlement.payload, S_SIZE = W.settlement.size;
  /** @param {unknown} r a host answer @returns {r is string} */
  function isRefusal(r) { return typeof r === 'string' && r[0] === REFUSAL; }

  // ---- the queue of operations the worker drains (see top) ----------------------------------
  // A flat array of primitives without a prototype: an index setter or a toJSON the script puts
  // on Array/Object.prototype cannot see or change it. Records: W.record (tag first, then the
  // fields at their named offsets).
  /** @returns {(string | number | null)[]} */
  function newQueue() { return setPrototypeOf([], null); }
  let q = newQueue(), qPrev = q, lastSite = '';
  // Joined with \u0001 (several times cheaper than JSON.stringify in QuickJS, and no per-field
  // check) between the field count and a random end mark the script cannot know: a field that
  // contains \u0001 adds fields, a NUL (the text crosses as a C string and ends there) cuts the
  // end mark off, and either way the worker asks for the same records as JSON instead
  // (drainJson, or REPLY.resendAsJson from OP.takeRecords). A script cannot forge records.
  const MARK = config.mark;
  function takeQueue() {
    qPrev = q; q = newQueue(); lastSite = '';
    return qPrev.length + SEP + apply(arrJoin, qPrev, [SEP]) + SEP + MARK;
  }
  // Runs before every synchronous host call: queued records first, so ops stay in call order,
  // agent counts are current (precheck) and '#id' references are resolvable (hash, workflow).
  // Answers whether the worker wants calls handed over early (see agent()): not when the batch
  // held no agent it has to start, e.g. on resume, where the journal settles them all.
  function flushQueue() {
    if (q.length === 0) return true;
    let r = host(OP.takeRecords, takeQueue());
    if (r === REPLY.resendAsJson) r = host(OP.takeRecords, stringify(qPrev));
    return r !== REPLY.nothingToStart;
  }
  // Queue length (in fields) at which a synchronous burst hands its records over (see agent()).
  const HAND_OVER = W.handOverAgents * AGENT.size;
  let handOver = HAND_OVER;

  // ---- chain contexts (ChainContext above) -------------------------------------------------
  // A '#<id>' reference stands for keyLength characters once resolved.
  const KEY_LENGTH = config.keyLength;
  /** @type {ChainContext} */
  let cur = { k: config.seed, n: config.seed.length, f: 0, g: config.g, s: config.s, t: config.t };
  // CHAIN_SEP separates, not NUL: strings cross into the host as C strings, which end at NUL.
  // Long seeds are hashed; the length that decides is the resolved one, so keys stay what they
  // were before references existed.
  /**
   * @param {ChainContext} parent @param {string} kind @param {number} n @param {number} i
   * @param {number} g @param {number} s @param {number} t @returns {ChainContext}
   */
  function fork(parent, kind, n, i, g, s, t) {
    return forkTail(parent, CHAIN_SEP + kind + '#' + n + CHAIN_SEP + i, g, s, t);
  }
  // fork() with the suffix given: a group builds its 'SEP kind#n SEP' prefix once.
  /**
   * @param {ChainContext} parent @param {string} tail
   * @param {number} g @param {number} s @param {number} t @returns {ChainContext}
   */
  function forkTail(parent, tail, g, s, t) {
    const len = parent.n + tail.length;
    if (len > W.longChain) {
      flushQueue();
      return { k: host(OP.hash, parent.k + tail), n: W.hashedChainLength, f: 0, g: g, s: s, t: t };
    }
    return { k: parent.k + tail, n: len, f: 0, g: g, s: s, t: t };
  }
  // Helpers the parser's transform calls around every await and async function body.
  // A token: [the context entered, the context to return to].
  /** @typedef {[ChainContext, ChainContext]} ChainToken */
  const helpers = freeze({
    /** @returns {ChainToken} */
    e: function () { const p = cur; const c = fork(p, 'a', p.f++, 0, p.g, p.s, p.t); cur = c; return [c, p]; },
    /** @param {ChainToken} tok @param {unknown} v */
    s: function (tok, v) { cur = tok[1]; return v; },
    /** @param {ChainToken} tok @param {unknown} v */
    r: function (tok, v) { cur = tok[0]; return v; },
    /** @param {ChainToken} tok */
    x: function (tok) { cur = tok[1]; },
  });
  // .then callbacks run in the context that attached them (scripts chain agent().then(...)).
  /** @this {Promise<unknown>} @param {unknown} onFulfilled @param {unknown} onRejected */
  function then(onFulfilled, onRejected) {
    const c = cur;
    return apply(origThen, this, [
      typeof onFulfilled === 'function' ? /** @param {unknown} v */ function (v) { cur = c; return onFulfilled(v); } : onFulfilled,
      typeof onRejected === 'function' ? /** @param {unknown} e */ function (e) { cur = c; return onRejected(e); } : onRejected,
    ]);
  }
  defineProperty(OrigPromise.prototype, 'then', { value: then, writable: false, configurable: false, enumerable: false });

  // ---- pending host calls ------------------------------------------------------------------
  /** @type {Record<number, Waiter>} */
  const waiting = create(null);
  let nextId = config.idBase;
  // One executor for every pending call (no closure per call): it hands out the capability.
  /** @type {(value: unknown) => void} */
  let capResolve = noop;
  /** @type {(error: unknown) => void} */
  let capReject = noop;
  function noop() {}
  /** @param {(value: unknown) => void} resolve @param {(error: unknown) => void} reject */
  function capture(resolve, reject) { capResolve = resolve; capReject = reject; }
  /** @param {number} id @param {string} site @returns {Promise<unknown>} */
  function pend(id, site) {
    const p = new OrigPromise(capture);
    waiting[id] = [capResolve, capReject, site];
    return p;
  }
  /** @param {unknown} e @returns {Promise<never>} */
  function rejected(e) { return new OrigPromise(function (_, reject) { reject(e); }); }
  /** @param {unknown} v @returns {Promise<unknown>} */
  function resolved(v) { return new OrigPromise(function (resolve) { resolve(v); }); }
  const PromiseProto = OrigPromise.prototype;
  // A promise of this realm (what agent() and async functions return) is followed directly:
  // adopting it through a new promise costs two more promises, a job and the then() wrappers
  // per slot. Anything else (plain values, thenables, subclasses, a Proxy) is adopted first.
  /** @param {unknown} value @param {(v: any) => void} onOk @param {(e: unknown) => void} onErr */
  function whenSettled(value, onOk, onErr) {
    if (value !== null && typeof value === 'object' && getPrototypeOf(value) === PromiseProto) {
      try { apply(origThen, value, [onOk, onErr]); return; } catch (_) { /* not a real promise: adopt it */ }
    }
    apply(origThen, resolved(value), [onOk, onErr]);
  }
  // The user's frames of a captured stack (drops this prelude's own frames).
  /** @param {unknown} stack @returns {string} */
  function userFrames(stack) {
    if (typeof stack !== 'string') return '';
    const lines = apply(strSplit, stack, ['\n']);
    /** @type {string[]} */
    const keep = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l && apply(strIndexOf, l, [W.preludeFile]) < 0) keep[keep.length] = l;
    }
    return apply(arrJoin, keep, ['\n']);
  }
  // A data descriptor without a prototype: an Object.prototype.get/set the script added must
  // not turn it into an accessor descriptor (defineProperty would throw).
  /** @param {unknown} v @returns {PropertyDescriptor} */
  function dataDesc(v) {
    const d = create(null);
    d.value = v; d.writable = true; d.configurable = true;
    return d;
  }
  /** @param {GuestErrorInfo} info @param {unknown} site @returns {Error} */
  function makeError(info, site) {
    const e = info.name === 'TypeError' ? new TypeErrorCtor(info.message) : new ErrorCtor(info.message);
    if (e.name !== info.name) defineProperty(e, 'name', dataDesc(info.name));
    const frames = userFrames(site);
    defineProperty(e, 'stack', dataDesc(frames ? frames + '\n' : ''));
    return e;
  }
  // JSON built from primitives only: an Object.prototype.toJSON the script added cannot alter it.
  /** @param {string} name @param {string} message @param {string} stack */
  function infoJson(name, message, stack) {
    return '{"name":' + stringify(name) + ',"message":' + stringify(message) + ',"stack":' + stringify(stack) + '}';
  }
  /** @param {number[]} a */
  function numbersJson(a) { return '[' + apply(arrJoin, a, [',']) + ']'; }
  // One flat JSON array per batch with the results inline (protocol settlementJson), so the guest
  // parses once per batch and builds no array per result: W.settlement triples of id, code
  // (W.settleCode: value, undefined or error) and payload.
  /** @param {string} batchJson */
  function settle(batchJson) {
    /** @type {unknown[]} */
    const items = parse(batchJson);
    for (let i = 0; i + S_PAYLOAD < items.length; i += S_SIZE) {
      const id = /** @type {number} */ (items[i + S_ID]);
      const w = waiting[id];
      if (w === undefined) continue;
      delete waiting[id];
      const code = items[i + S_CODE];
      if (code === SETTLE.value) w[0](items[i + S_PAYLOAD]);
      else if (code === SETTLE.undefined) w[0](undefined);
      else w[1](makeError(/** @type {GuestErrorInfo} */ (items[i + S_PAYLOAD]), w[2]));
    }
  }
  /** @param {unknown} e @returns {string} */
  function errorMessage(e) {
    if (e !== null && typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
    try { return StringCtor(e); } catch (_) { return 'unknown error'; }
  }
  // A host refusal (REFUSAL + ErrorInfo JSON) as an Error whose stack is the caller's own frames.
  /** @param {string} r */
  function hostError(r) { return makeError(parse(apply(strSlice, r, [1])), new ErrorCtor().stack); }

  // ---- primitives (spec §3) -------------------------------------------------------------------
  /** @param {'info' | 'warn' | 'error'} level @param {string} message */
  function queueLog(level, message) {
    const i = q.length;
    q[i] = LOG.tag; q[i + LOG.level] = level; q[i + LOG.message] = message;
  }
  /** @param {number} gid @param {number[]} failed */
  function queueGroupEnd(gid, failed) {
    const i = q.length;
    q[i] = GROUP_END.tag; q[i + GROUP_END.groupId] = gid; q[i + GROUP_END.failedJson] = numbersJson(failed);
  }
  /** @param {unknown} prompt @param {unknown} opts @returns {Promise<unknown>} */
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
    q[i] = A_TAG; q[i + A_ID] = id; q[i + A_PROMPT] = p; q[i + A_OPTS] = optsJson === undefined ? null : optsJson;
    q[i + A_CHAIN] = c.k; q[i + A_GROUP] = c.g; q[i + A_SLOT] = c.s; q[i + A_STAGE] = c.t;
    // A loop calls agent() from one place: its stack goes over once per batch, not per call.
    q[i + A_SITE] = site === lastSite ? '' : site;
    lastSite = site;
    // The worker resolves the reference to the key (GuestBookkeeping.resolve).
    c.k = W.chainReference + id;
    c.n = KEY_LENGTH;
    const promise = pend(id, site);
    // A long synchronous burst (a big parallel) hands over every W.handOverAgents calls, so the run starts
    // them while the script goes on queuing, instead of after the whole burst.
    if (q.length >= handOver && !flushQueue()) handOver = Infinity;
    return promise;
  }
  /** @param {'parallel' | 'pipeline'} kind @param {number} n */
  function precheck(kind, n) {
    flushQueue();
    const r = host(OP.precheck, kind, n);
    return isRefusal(r) ? hostError(r) : undefined;
  }
  /** @param {unknown} thunks @returns {Promise<unknown>} */
  function parallel(thunks) {
    if (!isArray(thunks)) return rejected(new TypeErrorCtor(M.parallelNotArray));
    const n = thunks.length;
    for (let i = 0; i < n; i++) if (typeof thunks[i] !== 'function') return rejected(new TypeErrorCtor(M.parallelNotFunction));
    const err = precheck('parallel', n);
    if (err) return rejected(err);
    if (n === 0) return resolved([]);
    const parent = cur;
    flushQueue();
    const gid = host(OP.group, 'parallel', n, 0, parent.g, parent.s, parent.t, new ErrorCtor().stack);
    const slotTail = CHAIN_SEP + 'parallel#' + parent.f++ + CHAIN_SEP;
    /** @type {(value: unknown) => void} */
    let resolve = noop;
    /** @type {(error: unknown) => void} */
    let reject = noop;
    const all = new OrigPromise(function (res, rej) { resolve = res; reject = rej; });
    // The slots start outside the executor: every agent() stack is two frames shorter for it.
    try {
      const results = new ArrayCtor(n);
      /** @type {number[]} */
      const failed = [];
      let left = n, budgetDropped = 0;
      /** @param {number} i @param {boolean} ok @param {unknown} v */
      function done(i, ok, v) {
        if (ok) results[i] = v;
        else {
          results[i] = null;
          failed[failed.length] = i;
          if (v !== null && typeof v === 'object' && 'name' in v && v.name === 'WorkflowBudgetExceededError') budgetDropped++;
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
        else whenSettled(r, /** @param {unknown} v */ function (v) { done(i, true, v); }, /** @param {unknown} e */ function (e) { done(i, false, e); });
      }
    } catch (e) { reject(e); }
    return all;
  }
  /** @param {unknown} items @returns {Promise<unknown>} (stages: the further arguments) */
  function pipeline(items) {
    if (!isArray(items)) return rejected(new TypeErrorCtor(M.pipelineNotArray));
    /** @type {Function[]} */
    const stages = [];
    for (let a = 1; a < arguments.length; a++) {
      if (typeof arguments[a] !== 'function') return rejected(new TypeErrorCtor(M.pipelineStage));
      stages[stages.length] = arguments[a];
    }
    const list = items, n = list.length;
    const err = precheck('pipeline', n);
    if (err) return rejected(err);
    if (n === 0) return resolved([]);
    const parent = cur;
    flushQueue();
    const gid = host(OP.group, 'pipeline', n, stages.length, parent.g, parent.s, parent.t, new ErrorCtor().stack, itemLabels(list, n));
    const slotTail = CHAIN_SEP + 'pipeline#' + parent.f++ + CHAIN_SEP;
    return new OrigPromise(function (resolve) {
      const results = new ArrayCtor(n);
      /** @type {number[]} */
      const failed = [];
      let left = n;
      /** @param {number} i @param {boolean} ok @param {unknown} v */
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
      /** @param {number} i */
      function runSlot(i) {
        const c = forkTail(parent, slotTail + i, gid, i, 0);
        /** @type {unknown} */
        let item;
        let stage = 0;
        /** @param {unknown} v @returns {void} */
        function step(v) {
          // Exactly null ends the slot early (a null agent short-circuits); undefined does not.
          if (v === null || stage >= stages.length) return done(i, true, v);
          const s = stage++;
          c.t = s;
          let r, threw = false;
          cur = c;
          try { r = stages[s](v, item, i); } catch (e) { threw = true; r = e; } finally { cur = parent; }
          if (threw) done(i, false, r);
          else whenSettled(r, step, /** @param {unknown} e */ function (e) { done(i, false, e); });
        }
        whenSettled(list[i], /** @param {unknown} v */ function (v) { item = v; step(v); }, /** @param {unknown} e */ function (e) { done(i, false, e); });
      }
      for (let i = 0; i < n; i++) runSlot(i);
    });
  }
  // Short names of pipeline items for the Runs view's slots (a file name, a topic): a string or
  // number, or an object's own name/title/topic/file/path/id/label data property (no getter runs).
  const ITEM_KEYS = freeze(['name', 'title', 'topic', 'file', 'path', 'id', 'label']);
  const getOwnDesc = Object.getOwnPropertyDescriptor;
  /** @param {unknown} x @param {boolean} deep @returns {string} */
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
  /** @param {unknown[]} items @param {number} n @returns {string} */
  function itemLabels(items, n) {
    /** @type {string[]} */
    const out = setPrototypeOf([], null);
    for (let i = 0; i < n; i++) out[i] = itemLabel(items[i], false);
    return stringify(out);
  }
  /** @param {unknown} ref @param {unknown} args @returns {Promise<unknown>} */
  function workflow(ref, args) {
    if (CHILD) return rejected(new ErrorCtor(M.workflowNesting));
    let refJson;
    if (typeof ref === 'string') refJson = '{"name":' + stringify(ref) + '}';
    else if (ref !== null && typeof ref === 'object' && 'scriptPath' in ref && typeof ref.scriptPath === 'string') refJson = '{"scriptPath":' + stringify(ref.scriptPath) + '}';
    else return rejected(new TypeErrorCtor(M.workflowRef));
    let argsJson;
    try { argsJson = args === undefined ? undefined : stringify(args); } catch (e) {
      return rejected(new TypeErrorCtor('workflow() args must be plain data: ' + errorMessage(e)));
    }
    const c = cur;
    const seed = fork(c, 'workflow', c.f++, 0, -1, -1, -1).k;
    const site = new ErrorCtor().stack ?? '';
    const id = nextId++;
    flushQueue();
    const r = host(OP.workflow, id, refJson, argsJson, seed, c.g, c.s, c.t, site);
    if (isRefusal(r)) return rejected(hostError(r));
    return pend(id, site);
  }
  /** @param {unknown} title */
  function phase(title) {
    if (CHILD) return;
    const t = StringCtor(title);
    const i = q.length;
    q[i] = PHASE.tag; q[i + PHASE.title] = t;
  }
  /** @param {unknown} v @param {boolean} json @returns {string} */
  function text(v, json) {
    if (typeof v === 'string') return v;
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      if (!json || typeof v === 'function') return typeof v === 'function' ? '[function]' : '[object]';
      try { const s = stringify(v); return s === undefined ? StringCtor(v) : s; } catch (_) { return '[object]'; }
    }
    return StringCtor(v);
  }
  /** @param {ArrayLike<unknown>} args @param {boolean} json */
  function line(args, json) {
    /** @type {string[]} */
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
    spent: function () { return host(OP.spent); },
    remaining: function () {
      if (total === null) return Infinity;
      const r = total - host(OP.spent);
      return r > 0 ? r : 0;
    },
  });
  // Timers: the worker keeps the real timer; the callback runs in the caller's context.
  /** @param {unknown} fn @param {unknown} ms (further arguments go to fn) */
  function setTimeout(fn, ms) {
    /** @type {unknown[]} */
    const extra = [];
    for (let a = 2; a < arguments.length; a++) extra[extra.length] = arguments[a];
    const id = nextId++;
    const c = cur;
    waiting[id] = [function () {
      if (typeof fn !== 'function') return;
      cur = c;
      try { apply(fn, undefined, extra); } catch (_) { /* spec §3.9: callback errors are swallowed */ }
    }, function () {}, ''];
    const delay = Number(ms);
    host(OP.timer, id, delay > 0 ? delay : 0);
    return id;
  }
  /** @param {unknown} id */
  function clearTimeout(id) {
    if (typeof id === 'number' && waiting[id] !== undefined) {
      delete waiting[id];
      host(OP.clearTimer, id);
    }
  }

  // ---- determinism shims and code generation (spec §2.3–2.4) --------------------------------
  const OrigDate = Date;
  function SafeDate() {
    if (new.target === undefined || arguments.length === 0) throw new ErrorCtor(M.dateNow);
    /** @type {unknown[]} */
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
  // QuickJS's V8-compatible stack hook: not in the spec's globals (ES2023 types do not know it).
  if ('captureStackTrace' in ErrorCtor) Reflect.deleteProperty(ErrorCtor, 'captureStackTrace');

  // ---- globals: ordinary writable bindings so scripts may shadow them (spec §2.4) ----------------
  /** @type {Record<string, unknown>} */
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
  // finish(v) → FINISH.ok + result JSON (FINISH.ok alone for undefined), or FINISH.failed + ErrorInfo JSON.
  /** @param {unknown} v @returns {string} */
  function finish(v) {
    if (typeof v === 'function') return FINISH.failed + infoJson('TypeError', M.resultFunction, '');
    try {
      const json = stringify(v);
      return typeof json === 'string' ? FINISH.ok + json : FINISH.ok;
    } catch (e) {
      return FINISH.failed + infoJson('TypeError', 'workflow result must be JSON data: ' + errorMessage(e), '');
    }
  }
  /** @param {unknown} e @returns {string} */
  function describe(e) {
    const err = /** @type {{ message?: unknown, name?: unknown, stack?: unknown }} */ (e !== null && typeof e === 'object' ? e : {});
    const message = err.message;
    if (typeof message === 'string') {
      let name = 'Error';
      try { name = StringCtor(err.name); } catch (_) {}
      const stack = err.stack;
      return infoJson(name, message, typeof stack === 'string' ? userFrames(stack) : '');
    }
    let m;
    try { m = typeof e === 'string' ? e : stringify(e); } catch (_) { m = '[unserialisable value]'; }
    return infoJson('Error', 'Uncaught ' + StringCtor(m), '');
  }
  // drain(): the queued records ('' when none); drainJson(): the last drained ones again, as JSON.
  /** @returns {string} */
  function drain() {
    handOver = HAND_OVER;
    return q.length === 0 ? '' : takeQueue();
  }
  function drainJson() { return stringify(qPrev); }
  /** @type {import('../guestWire').PreludeApi} */
  const api = { settle: settle, helpers: helpers, finish: finish, describe: describe, drain: drain, drainJson: drainJson };
  return freeze(api);
});
