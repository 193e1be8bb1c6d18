// Cache keys must be stable across runs and machines: they decide what a resume replays.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  agentKey,
  canonicalJSON,
  contentHash,
  hashText,
  keyOptions,
  positionHash,
} from '../../../src/core/journal/keys';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('journal/keys', () => {
  describe('canonicalJSON', () => {
    it('sorts object keys recursively', () => {
      assert.equal(
        canonicalJSON({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }),
        '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
      );
      assert.equal(canonicalJSON({ b: 1, a: 2 }), canonicalJSON({ a: 2, b: 1 }));
    });

    it('drops functions and undefined in objects, nulls them in arrays, like JSON.stringify', () => {
      const v = { f: () => 1, u: undefined, s: Symbol('x'), a: [() => 1, undefined, 1], n: NaN, i: -Infinity };
      assert.equal(canonicalJSON(v), '{"a":[null,null,1],"i":null,"n":null}');
      assert.equal(canonicalJSON(v), JSON.stringify({ a: [null, null, 1], i: null, n: null }));
    });

    it('matches JSON.stringify on primitives and escapes', () => {
      for (const v of ['a"b\\c\n\u2028é😀', 0, -0, 1.5e300, true, false, null, [], {}]) {
        assert.equal(canonicalJSON(v), JSON.stringify(v));
      }
      assert.equal(canonicalJSON(undefined), 'null');
    });

    it('honours toJSON and rejects cycles and BigInt', () => {
      assert.equal(canonicalJSON({ d: new Date(0) }), '{"d":"1970-01-01T00:00:00.000Z"}');
      const cyc: Record<string, unknown> = {};
      cyc.self = cyc;
      assert.throws(() => canonicalJSON(cyc), /circular/);
      assert.throws(() => canonicalJSON({ n: 1n }), /BigInt/);
      const shared = { x: 1 };
      assert.equal(canonicalJSON([shared, shared]), '[{"x":1},{"x":1}]'); // repeated, not circular
    });
  });

  describe('keyOptions', () => {
    it('keeps only the key-relevant options, omitting absent ones', () => {
      const opts = {
        label: 'l',
        phase: 'p',
        stallMs: 5,
        sharedHeadLength: 3,
        schema: { type: 'object' },
        model: 'haiku',
        effort: 'low',
        isolation: 'worktree',
        agentType: 'x',
        disallowedTools: ['Bash'],
        bashCommandClamp: ['ls'],
        extra: 1,
        undef: undefined,
      };
      assert.deepEqual(keyOptions(opts), {
        schema: { type: 'object' },
        model: 'haiku',
        effort: 'low',
        isolation: 'worktree',
        agentType: 'x',
        disallowedTools: ['Bash'],
        bashCommandClamp: ['ls'],
      });
      assert.deepEqual(keyOptions({ model: undefined }), {});
      assert.deepEqual(keyOptions(null), {});
      assert.deepEqual(keyOptions(undefined), {});
    });
  });

  describe('agentKey', () => {
    it('equals the documented concatenation (known answer)', () => {
      const opts = { model: 'sonnet', schema: { type: 'object', properties: { b: {}, a: {} } }, label: 'ignored' };
      const expected =
        'v2:' + sha('prev\0Review x\0{"model":"sonnet","schema":{"properties":{"a":{},"b":{}},"type":"object"}}');
      assert.equal(agentKey('prev', 'Review x', opts), expected);
      assert.equal(agentKey('', 'p', undefined), 'v2:' + sha('\0p\0{}'));
      assert.equal(agentKey('k', 'é😀', {}), 'v2:' + sha('k\0é😀\0{}'));
    });

    it('agrees with canonicalJSON(keyOptions(opts)) for assorted options', () => {
      const cases: object[] = [
        {},
        { label: 'x' },
        { schema: { z: [1, { b: undefined, a: null }], a: 'é' }, model: 'm' },
        {
          effort: 'max',
          isolation: 'worktree',
          agentType: 't',
          disallowedTools: ['A', 'B'],
          bashCommandClamp: ['git *'],
        },
        { model: () => 'fn', schema: { f: () => 1, n: NaN } },
      ];
      for (const o of cases) {
        assert.equal(agentKey('pk', 'pr', o), 'v2:' + sha('pk\0pr\0' + canonicalJSON(keyOptions(o))));
        assert.equal(contentHash('pr', o), sha('pr\0' + canonicalJSON(keyOptions(o))).slice(0, 32));
      }
    });

    it('is stable under option key order and ignores label, phase, stallMs, sharedHeadLength, functions', () => {
      const a = agentKey('k', 'p', { model: 'm', effort: 'high', schema: { a: 1, b: 2 } });
      const b = agentKey('k', 'p', {
        schema: { b: 2, a: 1 },
        effort: 'high',
        model: 'm',
        label: 'L',
        phase: 'P',
        stallMs: 1000,
        sharedHeadLength: 10,
        agentType: undefined,
      });
      assert.equal(a, b);
      assert.equal(
        agentKey('k', 'p', { model: 'm', disallowedTools: (() => 1) as unknown as string[] }),
        agentKey('k', 'p', { model: 'm' }),
      );
      assert.equal(agentKey('k', 'p', null), agentKey('k', 'p', {}));
    });

    it('changes with prevKey, prompt and each key option', () => {
      const base = agentKey('k', 'p', {});
      const variants = [
        agentKey('k2', 'p', {}),
        agentKey('k', 'p2', {}),
        ...[
          { schema: {} },
          { model: 'm' },
          { effort: 'low' },
          { isolation: 'worktree' },
          { agentType: 'a' },
          { disallowedTools: [] },
          { bashCommandClamp: [] },
        ].map((o) => agentKey('k', 'p', o)),
      ];
      assert.equal(new Set([base, ...variants]).size, variants.length + 1);
      // The separators keep ("a\0b","c") apart from ("a","b\0c")-style shifts.
      assert.notEqual(agentKey('ab', 'c', {}), agentKey('a', 'bc', {}));
    });
  });

  describe('contentHash / positionHash / hashText', () => {
    it('follow their documented formulas', () => {
      assert.equal(contentHash('p', { model: 'm', label: 'x' }), sha('p\0{"model":"m"}').slice(0, 32));
      assert.equal(positionHash('v2:abc'), sha('pos\0v2:abc').slice(0, 32));
      assert.equal(hashText('seed'), sha('seed'));
    });

    it('content ignores the chain; position ignores the content', () => {
      assert.equal(contentHash('p', { model: 'm' }), contentHash('p', { model: 'm', phase: 'x' }));
      assert.notEqual(contentHash('p', { model: 'm' }), contentHash('p', { model: 'n' }));
      assert.notEqual(positionHash('a'), positionHash('b'));
    });
  });
});
