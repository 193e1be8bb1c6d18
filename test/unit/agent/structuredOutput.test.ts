// StructuredOutput validation runs in a worker with a deadline: the script's schema patterns meet
// the model's data there, so a catastrophically backtracking pattern costs a bounded wait and an
// error naming the pattern, never a frozen host.
import assert from 'node:assert/strict';
import {
  checkStructuredOutput,
  schemaPatterns,
  STRUCTURED_VALIDATION_DEADLINE_MS,
} from '../../../src/agent/structuredOutput';

const EVIL = '^([a-z0-9x-]+)+!$';
const schemaWith = (pattern: string) => ({
  type: 'object',
  properties: { id: { type: 'string', pattern } },
  required: ['id'],
});

/** Counts timer ticks while `work` runs: a blocked main thread would count none. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; ms: number }> {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  const started = Date.now();
  try {
    const value = await work();
    return { value, ticks, ms: Date.now() - started };
  } finally {
    clearInterval(ticker);
  }
}

describe('agent/structuredOutput: validation off the main thread', function () {
  this.timeout(20_000);

  it('accepts valid input and names the failing fields of invalid input', async () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer' }, tag: { type: 'string', pattern: '^[a-z]+$' } },
      required: ['n'],
      additionalProperties: false,
    };
    assert.deepEqual(await checkStructuredOutput(schema, { n: 3, tag: 'abc' }), {
      ok: true,
      value: { n: 3, tag: 'abc' },
    });
    const bad = await checkStructuredOutput(schema, { n: 'three', tag: 'ABC', extra: 1 });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /\/n must be integer/);
    assert.match(bad.ok ? '' : bad.message, /\/tag must match pattern "\^\[a-z\]\+\$"/);
    assert.match(bad.ok ? '' : bad.message, /must NOT have additional properties \(extra\)/);
  });

  it('stops a catastrophically backtracking pattern at the deadline, names it, and the main thread keeps running', async () => {
    const input = { id: 'a'.repeat(40) }; // ~2^40 ways to split: hours for a backtracking engine
    const { value, ticks, ms } = await ticksDuring(() => checkStructuredOutput(schemaWith(EVIL), input));
    assert.equal(value.ok, false);
    assert.equal(
      value.ok ? '' : value.message,
      `schema validation exceeded ${STRUCTURED_VALIDATION_DEADLINE_MS / 1000} s and was stopped: the schema's pattern \`${EVIL}\` may backtrack catastrophically on this input (nested quantifiers such as (a+)+); the script should simplify it`,
    );
    assert.ok(ms >= STRUCTURED_VALIDATION_DEADLINE_MS && ms < 15_000, `took ${ms} ms`);
    // A blocked main thread would not tick at all; 10 ms ticks over >= 2 s give ~200 on an idle machine.
    assert.ok(ticks >= 20, `only ${ticks} timer ticks during validation`);
    // The killed worker is replaced: the next check works and matching input passes quickly.
    assert.deepEqual(await checkStructuredOutput(schemaWith(EVIL), { id: 'ab-x0!' }), {
      ok: true,
      value: { id: 'ab-x0!' },
    });
  });

  it('covers patternProperties keys the same way', async () => {
    const schema = { type: 'object', properties: {}, patternProperties: { '^(a|aa)+$': { type: 'number' } } };
    const key = `${'a'.repeat(45)}b`;
    const r = await checkStructuredOutput(schema, { [key]: 1, aaaa: 'x' });
    assert.equal(r.ok, false);
    // Either the key test hits the deadline, or (a fast engine) the value check fails: never a hang.
    assert.match(r.ok ? '' : r.message, /exceeded 2 s .*`\^\(a\|aa\)\+\$`|\/aaaa must be number/);
  });

  it('one slow validation does not hold up another running at the same time', async () => {
    const slow = checkStructuredOutput(schemaWith(EVIL), { id: 'x'.repeat(40) });
    const started = Date.now();
    const fast = await checkStructuredOutput(schemaWith('^[a-z]+$'), { id: 'abc' });
    const fastMs = Date.now() - started;
    assert.deepEqual(fast, { ok: true, value: { id: 'abc' } });
    assert.ok(fastMs < STRUCTURED_VALIDATION_DEADLINE_MS, `the fast check waited ${fastMs} ms`);
    assert.equal((await slow).ok, false);
  });

  it('rejects a schema that does not compile', async () => {
    await assert.rejects(
      checkStructuredOutput({ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, { a: 'x' }),
      /agent\(\{schema\}\): the schema does not compile: .*Invalid regular expression/,
    );
  });

  it('finds every pattern in a schema', () => {
    assert.deepEqual(
      schemaPatterns({
        properties: { a: { pattern: 'p1' }, b: { items: [{ pattern: 'p2' }] } },
        patternProperties: { '^k': {} },
        pattern: 'p1',
      }),
      ['p1', 'p2', '^k'],
    );
  });
});
