// Intl in the guest (issue 8 item 9): ICU results from the worker's V8, the same as the official
// runtime's for the same calls; the run's locale and time zone are recorded and reused on resume.
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';
import { hostIntlDefaults, IntlHost, MAX_INTL_INSTANCES } from '../../../src/core/sandbox/intlHost';

/** Expressions evaluated in the guest and in this process's V8; each must give the same JSON. */
const TABLE: string[] = [
  `['beta', 'Alpha', 'alpha', 'Beta', 'äpfel'].sort((a, b) => a.localeCompare(b))`,
  `['z', 'ä', 'a', 'Z', 'ß', 's', 'é', 'e', 'E', '10', '9', '_x', ''].sort((a, b) => a.localeCompare(b))`,
  `['file10.ts', 'file9.ts', 'File1.ts'].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))`,
  `['ä', 'z', 'a'].sort((a, b) => a.localeCompare(b, 'sv'))`,
  `'a'.localeCompare('A', 'en', { sensitivity: 'base' })`,
  `['a\\u0000b', 'a\\u0000a', 'x\\ud800', '😀', 'a'].sort((a, b) => a.localeCompare(b))`,
  `['b', 'a', 'C'].sort(new Intl.Collator('en', { caseFirst: 'upper' }).compare)`,
  `new Intl.Collator('de', { sensitivity: 'accent', usage: 'search' }).resolvedOptions()`,
  `(1234.5).toLocaleString('en-US')`,
  `(1234.5).toLocaleString('de-DE')`,
  `(0.256).toLocaleString('fr-FR', { style: 'percent', minimumFractionDigits: 1 })`,
  `(-0).toLocaleString('en')`,
  `[NaN, Infinity, -Infinity].map((n) => n.toLocaleString('en'))`,
  `(12345678901234567890n).toLocaleString('en-IN')`,
  `new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' }).format(5000)`,
  `new Intl.NumberFormat('en', { notation: 'compact' }).formatToParts(1234567)`,
  `new Intl.NumberFormat('en').format('12345678901234567890.5')`,
  `new Intl.NumberFormat('en', { style: 'unit', unit: 'kilometer-per-hour', unitDisplay: 'long' }).format(50)`,
  `new Intl.NumberFormat('en').formatRange(3, 5)`,
  `new Intl.NumberFormat('de-CH', { maximumSignificantDigits: 3 }).resolvedOptions()`,
  `new Date(Date.UTC(2024, 1, 29, 13, 5, 9)).toLocaleString('en-GB', { timeZone: 'Asia/Kolkata' })`,
  `new Date(Date.UTC(2024, 1, 29, 13, 5, 9)).toLocaleDateString('ja-JP', { timeZone: 'UTC', dateStyle: 'full' })`,
  `new Date(Date.UTC(2024, 1, 29, 13, 5, 9)).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: '2-digit' })`,
  `new Date(NaN).toLocaleString('en')`,
  `new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(Date.UTC(2020, 0, 1)))`,
  `new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).formatToParts(Date.UTC(2021, 6, 4))`,
  `new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).formatRange(Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 5))`,
  `new Intl.PluralRules('en', { type: 'ordinal' }).select(22)`,
  `[0, 1, 2, 5].map((n) => new Intl.PluralRules('ar').select(n))`,
  `new Intl.RelativeTimeFormat('fr', { numeric: 'auto' }).format(-1, 'day')`,
  `new Intl.RelativeTimeFormat('en').formatToParts(3, 'hours')`,
  `new Intl.ListFormat('en', { type: 'disjunction' }).format(['a', 'b', 'c'])`,
  `new Intl.ListFormat('de').formatToParts(['x', 'y'])`,
  `[...new Intl.Segmenter('en', { granularity: 'word' }).segment('Hello, wörld! 42')].map((s) => [s.segment, s.index, s.isWordLike])`,
  `[...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment('e\\u0301👍🏽x')].map((s) => s.segment)`,
  `new Intl.Segmenter('en', { granularity: 'sentence' }).segment('One. Two? Three').containing(6).segment`,
  `Intl.DateTimeFormat.supportedLocalesOf(['de-DE', 'tlh', 'fr'])`,
  `Intl.getCanonicalLocales(['EN-us', 'zh-hant-tw'])`,
  `Intl.supportedValuesOf('unit').length > 10`,
  `'istanbul'.toLocaleUpperCase('tr')`,
  `'İSTANBUL'.toLocaleLowerCase('tr')`,
  `[1234.5, 'x', null, 7n].toLocaleString('de-DE')`,
  `Object.prototype.toString.call(Intl) + ' ' + Object.prototype.toString.call(new Intl.ListFormat())`,
  `(() => { try { new Intl.NumberFormat('en', { style: 'currency' }); return 'no error' } catch (e) { return e.name + ': ' + e.message } })()`,
  `(() => { try { new Intl.PluralRules('en', { type: 'bogus' }); return 'no error' } catch (e) { return e.name } })()`,
  `(() => { try { Intl.PluralRules(); return 'no error' } catch (e) { return e.name } })()`,
  `(() => { try { new Intl.ListFormat('en').format([1]); return 'no error' } catch (e) { return e.name } })()`,
  `Intl.Collator('en') instanceof Intl.Collator`,
];

describe('sandbox: Intl and locale-aware built-ins', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it("the issue's examples: localeCompare sorts as V8 does, toLocaleString('en-US') groups", async () => {
    const r = await h.run(
      `return [['beta', 'Alpha', 'alpha', 'Beta', 'äpfel'].sort((a, b) => a.localeCompare(b)), (1234.5).toLocaleString('en-US')]`,
    );
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.deepEqual(r.result, [['alpha', 'Alpha', 'äpfel', 'beta', 'Beta'], '1,234.5']);
  });

  it(`${TABLE.length} calls give the same results in the guest as in V8`, async () => {
    const r = await h.run(`return [\n${TABLE.join(',\n')}\n]`);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    // The same source, run by this process's V8.
    const v8 = JSON.parse(JSON.stringify(new Function(`return [\n${TABLE.join(',\n')}\n]`)())) as unknown[];
    const guest = r.result as unknown[];
    TABLE.forEach((expr, i) => assert.deepEqual(guest[i], v8[i], expr));
  });

  it("the defaults are the run's locale and time zone, for Intl and for toLocale*", async () => {
    const r = await h.run(
      `return [new Intl.NumberFormat().resolvedOptions().locale, new Intl.DateTimeFormat().resolvedOptions().timeZone,
        (1234.5).toLocaleString(), new Date(Date.UTC(2024, 0, 1, 12)).toLocaleString(), ['b', 'a'].toLocaleString()]`,
      { intl: { locale: 'de-DE', timeZone: 'Asia/Tokyo' } },
    );
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.deepEqual(r.result, ['de-DE', 'Asia/Tokyo', '1.234,5', '1.1.2024, 21:00:00', 'b,a']);
    const record = h.store.readRecord(r.runId)!;
    assert.equal(record.locale, 'de-DE');
    assert.equal(record.timeZone, 'Asia/Tokyo');
  });

  it("without a given locale the run records the host's", async () => {
    const r = await h.run(`return new Intl.Collator().resolvedOptions().locale`);
    const host = hostIntlDefaults();
    assert.equal(r.result, new Intl.Collator(host.locale).resolvedOptions().locale);
    const record = h.store.readRecord(r.runId)!;
    assert.deepEqual([record.locale, record.timeZone], [host.locale, host.timeZone]);
  });

  it('a resume on a host with another locale computes the same prompts: every agent is replayed', async () => {
    const source = `
      const total = (1234.5).toLocaleString()
      const when = new Date(Date.UTC(2024, 0, 1, 12)).toLocaleString()
      const names = ['beta', 'Äpfel', 'alpha'].sort((a, b) => a.localeCompare(b)).join(' ')
      return await agent('total ' + total + ' at ' + when + ' for ' + names)
    `;
    const first = await h.run(source, { intl: { locale: 'de-DE', timeZone: 'Europe/Berlin' } });
    assert.equal(first.status, 'completed', JSON.stringify(first.error));
    assert.equal(first.result, 'echo:total 1.234,5 at 1.1.2024, 13:00:00 for alpha Äpfel beta');
    assert.equal(h.runner.calls.length, 1);

    const resumed = await h.resume(first.runId, { intl: { locale: 'en-US', timeZone: 'America/Los_Angeles' } });
    assert.equal(resumed.status, 'completed', JSON.stringify(resumed.error));
    assert.equal(resumed.result, first.result);
    assert.equal(resumed.agents.cached, 1);
    assert.equal(h.runner.calls.length, 1, 'no agent ran again: the prompt came out the same');
    assert.equal(h.store.readRecord(first.runId)!.locale, 'de-DE');
  });

  it('a script that patches the intrinsics Intl uses only breaks itself: results stay right', async () => {
    const r = await h.run(`
      JSON.stringify = () => '{}'; JSON.parse = () => 0; Map.prototype.get = () => 99; RegExp.prototype.test = () => true
      WeakMap.prototype.get = () => 0; Reflect.apply = () => 0; Number.prototype.valueOf = () => 0; Array.from = () => []
      return [['b', 'a', 'C'].sort((a, b) => a.localeCompare(b)), (1234.5).toLocaleString('en-US'), new Intl.ListFormat('en').format(['x', 'y'])]
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.deepEqual(r.result, [['a', 'b', 'C'], '1,234.5', 'x and y']);
  });

  it('sorting 20k strings with localeCompare completes and matches V8', async () => {
    const words = `Array.from({ length: 20000 }, (_, i) => ['Zeta', 'alpha', 'Äpfel', 'beta', 'ß', 'ésprit'][i % 6] + ((i * 7919) % 20000))`;
    const r = await h.run(`return (${words}).sort((a, b) => a.localeCompare(b))`);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    // The same source, run by this process's V8.
    const v8 = new Function(`return (${words}).sort((a, b) => a.localeCompare(b))`)() as string[];
    assert.deepEqual(r.result, v8);
  });
});

describe('sandbox: whole sorts with a locale comparator', function () {
  this.timeout(120_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  const WORDS = `Array.from({ length: 3000 }, (_, i) => ['Zeta', 'alpha', 'Äpfel', 'beta', 'ß', 'ésprit', 'a\\u0000b', 'x\\ud800'][i % 8] + ((i * 7919) % 1000))`;
  const SORTS = [
    `(${WORDS}).sort((a, b) => a.localeCompare(b))`,
    `(${WORDS}).sort((x,y)=>{ return y.localeCompare(x); })`,
    `(${WORDS}).sort(function cmp(a, b) { return a.localeCompare(b) })`,
    `(${WORDS}).sort(new Intl.Collator('sv', { sensitivity: 'base' }).compare)`,
    `(${WORDS}).toSorted((a, b) => b.localeCompare(a))`,
    `(${WORDS}).sort((a, b) => a.localeCompare(b, 'de', { numeric: true }))`,
    `['b', 'a', 'B', 'A', 'b', 'a'].map((s, i) => s + (i % 2 ? '' : '\u0301')).sort((a, b) => a.localeCompare(b))`,
    `[new String('b'), 'a', new String('C'), 'ä'].sort((a, b) => a.localeCompare(b)).map(String)`,
    `(() => { let n = 0; const r = ['b', 'a', 'c'].sort((a, b) => (n++, a.localeCompare(b))); return [r, n > 0] })()`,
  ];

  it('give the order V8 gives, for every comparator form and for ones that are not taken whole', async () => {
    const r = await h.run(`return [\n${SORTS.join(',\n')}\n]`);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    // The same source, run by this process's V8.
    const v8 = JSON.parse(JSON.stringify(new Function(`return [\n${SORTS.join(',\n')}\n]`)())) as unknown[];
    SORTS.forEach((expr, i) => assert.deepEqual((r.result as unknown[])[i], v8[i], expr.slice(0, 120)));
  });

  it('a patched String.prototype.localeCompare is honoured: the sort calls it', async () => {
    const r = await h.run(
      `String.prototype.localeCompare = function (o) { return this < o ? 1 : this > o ? -1 : 0 }; return ['a', 'c', 'b'].sort((a, b) => a.localeCompare(b))`,
    );
    assert.deepEqual(r.result, ['c', 'b', 'a']);
  });

  it('are taken whole: many times faster than the same comparison written another way', async () => {
    const words = `Array.from({ length: 8000 }, (_, i) => 'file' + ((i * 7919) % 8000) + '.ts')`;
    const whole = await h.run(`return (${words}).sort((a, b) => a.localeCompare(b))`);
    const percall = await h.run(`return (${words}).sort((a, b) => { const r = a.localeCompare(b); return r })`);
    assert.deepEqual(whole.result, percall.result);
    // Relative, so machine load cancels out: one crossing against ~100k of them.
    assert.ok(
      percall.durationMs > 3 * whole.durationMs,
      `whole ${whole.durationMs} ms, per call ${percall.durationMs} ms`,
    );
  });
});

describe('sandbox: IntlHost (the worker side)', () => {
  const host = () => new IntlHost({ locale: 'en-US', timeZone: 'UTC' });

  it('one instance per kind + configuration: a sort builds one Collator, not one per compare', () => {
    const h = host();
    const a = h.create('Collator', '{}');
    assert.equal(h.create('Collator', '{}'), a);
    assert.notEqual(h.create('Collator', '{"l":"de"}'), a);
    assert.notEqual(h.create('NumberFormat', '{}'), a);
  });

  it('only listed kinds and methods are reachable', () => {
    const h = host();
    const id = h.create('NumberFormat', '{}');
    assert.throws(() => h.call(id, 'constructor', '[]'), /not supported/);
    assert.throws(() => h.call(id, '__proto__', '[]'), /not supported/);
    assert.throws(() => h.create('Locale', '{}'), /unknown Intl kind/);
    assert.throws(() => h.create('toString', '{}'), /unknown Intl kind/);
    assert.throws(() => h.call(999, 'format', '[]'), /not an Intl object/);
    assert.throws(() => h.compare(id, 'a', 'b'), /non-Collator/);
  });

  it(`more than ${MAX_INTL_INSTANCES} distinct configurations are refused with advice`, () => {
    const h = host();
    // Options V8 ignores still make distinct configurations: the cap counts configurations, not formats.
    for (let i = 0; i < MAX_INTL_INSTANCES; i++) h.create('NumberFormat', JSON.stringify({ l: 'en', o: { tag: i } }));
    assert.throws(
      () => h.create('NumberFormat', '{"l":"de"}'),
      /more than 2000 differently configured Intl objects; reuse formatters/,
    );
  });
});
