// The guest ↔ worker protocol (guestWire.ts) is defined once and both sides use it: the real
// guest prelude, evaluated in a real QuickJS context with a recording host door, must write
// records the worker's decoder reads back field by field, use only the named host operations,
// hand a burst over at the shared threshold, and read the host's settlement encoding. The guest
// source itself must name the protocol only through config.wire, so it has no copy to drift.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { GuestVm } from '../../../src/core/sandbox/guestVm';
import { openContext, type GuestContext } from '../../../src/core/sandbox/guestContext';
import { decodeRecords, type GuestRecord } from '../../../src/core/sandbox/guestRecords';
import {
  FIELD_SEPARATOR,
  FINISH,
  FLUSH_REPLY,
  GUEST_WIRE,
  HAND_OVER_AGENTS,
  HOST_OP,
  RECORD,
} from '../../../src/core/sandbox/guestWire';
import { DEFAULT_LIMITS, WATCH_BYTES, settlementJson, type StartMessage } from '../../../src/core/sandbox/protocol';
import { IntlHost, hostIntlDefaults } from '../../../src/core/sandbox/intlHost';

const GUEST_DIR = path.resolve(__dirname, '../../../../src/core/sandbox/guest');

/** One real guest context whose host door records every call; takeRecords answers `reply`. */
interface Probe {
  g: GuestContext;
  vm: GuestVm;
  calls: { op: string; args: (string | number | undefined)[] }[];
  /** Records the door was handed (decoded with the worker's decoder), per hand-over. */
  handOvers: GuestRecord[][];
  reply: string | undefined;
  run(code: string): void;
  drained(): GuestRecord[];
  dispose(): void;
}

async function probe(): Promise<Probe> {
  const start: StartMessage = {
    t: 'start',
    compiled: '',
    file: 'probe.js',
    argsJson: undefined,
    budgetTotal: null,
    maxAgents: 1000,
    spent: 0,
    limits: DEFAULT_LIMITS,
    intl: hostIntlDefaults(),
    watch: new SharedArrayBuffer(WATCH_BYTES),
  };
  const vm = await GuestVm.create(start, () => undefined);
  const p: Probe = {
    g: undefined as unknown as GuestContext,
    vm,
    calls: [],
    handOvers: [],
    reply: undefined,
    run(code) {
      const r = vm.enter(() => p.g.ctx.evalCode(code, 'probe.js'));
      p.g.ctx.unwrapResult(r).dispose();
    },
    drained() {
      const text = call(p.g.ctx, p.g.drain);
      return text === '' ? [] : (decodeRecords(text, p.g.mark) ?? assert.fail('drained text did not frame'));
    },
    dispose() {
      for (const h of [p.g.settle, p.g.helpers, p.g.finish, p.g.describe, p.g.drain, p.g.drainJson]) h.dispose();
      p.g.ctx.dispose();
      vm.rt.dispose();
    },
  };
  const door = (ctx: QuickJSContext, args: QuickJSHandle[]): QuickJSHandle | undefined => {
    const values = args.map((h) =>
      ctx.typeof(h) === 'number' ? ctx.getNumber(h) : ctx.typeof(h) === 'undefined' ? undefined : ctx.getString(h),
    );
    const op = String(values[0]);
    p.calls.push({ op, args: values.slice(1) });
    switch (op) {
      case HOST_OP.takeRecords: {
        const records = decodeRecords(String(values[1]), p.g.mark);
        if (!records) return ctx.newString(FLUSH_REPLY.resendAsJson);
        p.handOvers.push(records);
        return p.reply === undefined ? undefined : ctx.newString(p.reply);
      }
      case HOST_OP.group:
        return ctx.newNumber(7);
      case HOST_OP.spent:
        return ctx.newNumber(12);
      default:
        return ctx.newString('');
    }
  };
  p.g = openContext(
    vm,
    new IntlHost(hostIntlDefaults()),
    0,
    'probe.js',
    { seed: 'seed', g: -1, s: -1, t: -1, idBase: 1, budgetTotal: 100, argsJson: undefined },
    door,
  );
  return p;
}

function call(ctx: QuickJSContext, fn: QuickJSHandle, ...args: QuickJSHandle[]): string {
  const r = ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, ...args));
  const text = ctx.getString(r);
  r.dispose();
  return text;
}

describe('sandbox: the guest protocol (guestWire.ts) is one definition both sides use', function () {
  this.timeout(30_000);
  let p: Probe;
  beforeEach(async () => (p = await probe()));
  afterEach(() => p.dispose());

  it("the prelude's records decode field by field into what the script called", () => {
    p.run(`
      agent('first prompt', { label: 'one' });
      log('a', 1, 'b');
      phase('Second');
      console.warn('careful');
      agent('second');
    `);
    const records = p.drained();
    assert.equal(records.length, 5);
    const [first, logged, phased, warned, second] = records;
    assert.ok(first.kind === 'agent' && second.kind === 'agent');
    assert.deepEqual(
      { ...first, site: first.site !== '' },
      {
        kind: 'agent',
        id: 1,
        prompt: 'first prompt',
        optsJson: '{"label":"one"}',
        chain: 'seed',
        group: -1,
        slot: -1,
        stage: -1,
        site: true,
      },
    );
    // The second call chains on a reference to the first call's key.
    assert.deepEqual(
      { id: second.id, optsJson: second.optsJson, chain: second.chain },
      { id: 2, optsJson: undefined, chain: '#1' },
    );
    assert.match(second.site, /probe\.js:6:/);
    assert.deepEqual(logged, { kind: 'log', level: 'info', message: 'a 1 b' });
    assert.deepEqual(phased, { kind: 'phase', title: 'Second' });
    assert.deepEqual(warned, { kind: 'log', level: 'warn', message: '[warn] careful' });
  });

  it('calls from one place send their stack once per batch', () => {
    p.run(`for (let i = 0; i < 3; i++) agent('p' + i)`);
    const sites = p.drained().map((r) => (r.kind === 'agent' ? r.site : undefined));
    assert.equal(sites.length, 3);
    assert.match(String(sites[0]), /probe\.js:1:/);
    assert.deepEqual(sites.slice(1), ['', '']);
  });

  it('the JSON form decodes to the same records as the joined form', () => {
    p.run(`agent('x\\u0001y'); log('z')`);
    const joined = call(p.g.ctx, p.g.drain);
    assert.equal(decodeRecords(joined, p.g.mark), undefined, 'a separator inside a field must not frame');
    const records = decodeRecords(call(p.g.ctx, p.g.drainJson), p.g.mark);
    assert.ok(records && records[0].kind === 'agent');
    assert.equal(records[0].prompt, 'x\u0001y');
    assert.deepEqual(records[1], { kind: 'log', level: 'info', message: 'z' });
  });

  it('a group end carries its failed slots', async () => {
    p.run(`parallel([() => agent('a'), () => { throw new Error('no') }])`);
    const ops = p.calls.map((c) => c.op);
    assert.ok(ops.includes(HOST_OP.precheck) && ops.includes(HOST_OP.group), ops.join());
    p.vm.rt.executePendingJobs(-1);
    const settled = p.drained();
    assert.ok(settled.some((r) => r.kind === 'log' && r.level === 'warn' && r.message === 'parallel[1] failed: no'));
    // Slot 0 is still pending, so no group end yet; settle it and the group ends with [1].
    const id = p.handOvers.flat().find((r) => r.kind === 'agent')?.id ?? settled.find((r) => r.kind === 'agent')?.id;
    assert.equal(id, 1);
    p.g.ctx.newString('[' + settlementJson([1, true, '"done"']) + ']').consume((h) => call(p.g.ctx, p.g.settle, h));
    p.vm.rt.executePendingJobs(-1);
    assert.deepEqual(
      p.drained().filter((r) => r.kind === 'groupEnd'),
      [{ kind: 'groupEnd', groupId: 7, failed: [1] }],
    );
  });

  it('a synchronous burst is handed over every HAND_OVER_AGENTS calls, and not at all once the worker says no hurry', () => {
    p.run(`for (let i = 0; i < ${2 * HAND_OVER_AGENTS + 5}; i++) agent('p' + i)`);
    assert.deepEqual(
      p.handOvers.map((batch) => batch.length),
      [HAND_OVER_AGENTS, HAND_OVER_AGENTS],
    );
    assert.equal(p.drained().length, 5);
    p.handOvers = [];
    p.reply = FLUSH_REPLY.nothingToStart;
    p.run(`for (let i = 0; i < ${3 * HAND_OVER_AGENTS}; i++) agent('r' + i)`);
    assert.deepEqual(
      p.handOvers.map((batch) => batch.length),
      [HAND_OVER_AGENTS],
    );
  });

  it("the guest reads the host's settlement encoding: a value, undefined and an error", () => {
    p.run(`
      globalThis.out = [];
      for (const prompt of ['a', 'b', 'c']) agent(prompt).then((v) => out.push(['ok', v]), (e) => out.push([e.name, e.message]));
    `);
    const batch =
      '[' +
      [
        settlementJson([1, true, '{"n":1}']),
        settlementJson([2, true, undefined]),
        settlementJson([3, false, { name: 'TypeError', message: 'refused' }]),
      ].join(',') +
      ']';
    p.g.ctx.newString(batch).consume((h) => call(p.g.ctx, p.g.settle, h));
    p.vm.rt.executePendingJobs(-1);
    const out = p.g.ctx.unwrapResult(p.g.ctx.evalCode('JSON.stringify(out)'));
    assert.deepEqual(JSON.parse(p.g.ctx.getString(out)), [
      ['ok', { n: 1 }],
      ['ok', null],
      ['TypeError', 'refused'],
    ]);
    out.dispose();
  });

  it('finish() marks its text with the shared FINISH prefixes', () => {
    const value = p.g.ctx.unwrapResult(p.g.ctx.evalCode('({ a: [1, 2] })'));
    assert.equal(call(p.g.ctx, p.g.finish, value), FINISH.ok + '{"a":[1,2]}');
    value.dispose();
    const fn = p.g.ctx.unwrapResult(p.g.ctx.evalCode('(() => 1)'));
    assert.ok(call(p.g.ctx, p.g.finish, fn).startsWith(FINISH.failed + '{"name":"TypeError"'));
    fn.dispose();
  });

  it('every host call the guest makes is a named HOST_OP', () => {
    p.run(`
      budget.spent(); budget.remaining();
      const t = setTimeout(() => {}, 5); clearTimeout(t);
      workflow('child', { x: 1 });
      parallel([() => agent('x')]);
      pipeline([1], (v) => agent('y' + v));
    `);
    const named = new Set<string>(Object.values(HOST_OP));
    const used = new Set(p.calls.map((c) => c.op));
    for (const op of used) assert.ok(named.has(op), `unnamed host op ${op}`);
    for (const op of [
      HOST_OP.spent,
      HOST_OP.timer,
      HOST_OP.clearTimer,
      HOST_OP.workflow,
      HOST_OP.precheck,
      HOST_OP.group,
    ])
      assert.ok(used.has(op), `${op} not used`);
  });
});

describe('sandbox: the worker decoder of queued records', () => {
  const join = (fields: unknown[], mark: string) => [fields.length, ...fields, mark].join(FIELD_SEPARATOR);

  it('reads each record kind by its named layout, in order', () => {
    const agent: unknown[] = new Array(RECORD.agent.size);
    agent[0] = RECORD.agent.tag;
    Object.assign(agent, {
      [RECORD.agent.id]: 5,
      [RECORD.agent.prompt]: 'p',
      [RECORD.agent.optsJson]: '',
      [RECORD.agent.chain]: 'c',
      [RECORD.agent.group]: 1,
      [RECORD.agent.slot]: 2,
      [RECORD.agent.stage]: -1,
      [RECORD.agent.site]: 's',
    });
    const log: unknown[] = [];
    log[0] = RECORD.log.tag;
    log[RECORD.log.level] = 'error';
    log[RECORD.log.message] = 'm';
    const end: unknown[] = [];
    end[0] = RECORD.groupEnd.tag;
    end[RECORD.groupEnd.groupId] = 3;
    end[RECORD.groupEnd.failedJson] = '[0,2]';
    assert.deepEqual(decodeRecords(join([...agent, ...log, ...end], 'M'), 'M'), [
      { kind: 'agent', id: 5, prompt: 'p', optsJson: undefined, chain: 'c', group: 1, slot: 2, stage: -1, site: 's' },
      { kind: 'log', level: 'error', message: 'm' },
      { kind: 'groupEnd', groupId: 3, failed: [0, 2] },
    ]);
  });

  it('a text with the wrong end mark or field count does not frame', () => {
    const fields = [RECORD.phase.tag, 'title'];
    assert.deepEqual(decodeRecords(join(fields, 'M'), 'M'), [{ kind: 'phase', title: 'title' }]);
    assert.equal(decodeRecords(join(fields, 'M'), 'other'), undefined);
    assert.equal(decodeRecords(join(fields, 'M').replace('title', 'ti' + FIELD_SEPARATOR + 'tle'), 'M'), undefined);
  });

  it('an unknown tag stops reading with an unreadable record; a lone surrogate in JSON reads as in C text', () => {
    assert.deepEqual(decodeRecords(JSON.stringify([RECORD.phase.tag, 'a', 'zz', 'b']), 'M'), [
      { kind: 'phase', title: 'a' },
      { kind: 'unreadable' },
    ]);
    assert.deepEqual(decodeRecords(JSON.stringify([RECORD.phase.tag, 's\ud800e']), 'M'), [
      { kind: 'phase', title: 's\ufffd\ufffd\ufffde' },
    ]);
  });
});

describe('sandbox: the guest source names the protocol only through config.wire', () => {
  const sources = fs.readdirSync(GUEST_DIR).filter((f) => f.endsWith('.guest.js'));

  it('finds both guest files', () => assert.deepEqual(sources.sort(), ['intl.guest.js', 'prelude.guest.js']));

  for (const file of ['prelude.guest.js', 'intl.guest.js']) {
    it(`${file}: no literal host op, record tag, offset or separator`, () => {
      const code = fs
        .readFileSync(path.join(GUEST_DIR, file), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
        .join('\n');
      assert.doesNotMatch(code, /\b(host|intl)\(\s*['"]/, 'a door called with a literal op name');
      assert.doesNotMatch(code, /\bq\[i \+ \d/, 'a record field written at a literal offset');
      assert.doesNotMatch(code, /q\[i\] = ['"]/, 'a literal record tag');
      assert.doesNotMatch(code, /\\u0001|\\u001f/, 'a literal separator');
      assert.doesNotMatch(code, /r\[0\] === ['"]!|=== ['"]!['"]/, 'a literal refusal mark');
      assert.doesNotMatch(code, /<workflow-runtime>/, 'a literal prelude file name');
    });
  }

  it('the wire the guest receives is plain JSON data (it crosses as JSON text)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(GUEST_WIRE)), GUEST_WIRE);
  });
});
