// The linear wildcard matcher for Bash rules: the same answers as rules.ts's RegExp on every small
// case, and no blow-up on a long command (the RegExp took 17 s for 3 stars × 3 000 characters).
import assert from 'node:assert/strict';
import { parseRule } from '../../../src/agent/permissions/rules';
import { compileWildcard } from '../../../src/agent/permissions/wildcardMatcher';

/** The RegExp rules.ts used to build (backtracking), kept as the oracle for the linear matcher. */
function regexpOracle(spec: string): RegExp {
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let source = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '\\' && (spec[i + 1] === '*' || spec[i + 1] === '\\')) source += esc(spec[++i]);
    else if (c === '*') source += i === spec.length - 1 && spec[i - 1] === ' ' ? '*' : '.*';
    else source += esc(c);
  }
  source = source.endsWith(' *') ? `${source.slice(0, -2)}(?: .*)?` : source;
  return new RegExp(`^${source}$`, 's');
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('permissions/wildcardMatcher', () => {
  it('agrees with the RegExp rules.ts used to build, over thousands of small rules and commands', () => {
    const rand = lcg(7);
    const pick = (alphabet: string, max: number) =>
      Array.from({ length: Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    let compared = 0;
    for (let n = 0; n < 4000; n++) {
      const spec = `g${pick('ab *\\', 7)}`;
      let rule;
      try {
        rule = parseRule(`Bash(${spec})`);
      } catch {
        continue;
      }
      if (rule.tool !== 'Bash' || rule.kind !== 'wildcard') continue;
      const oracle = regexpOracle(spec.trim()); // rules.ts trims the specifier before wildcard()
      for (let m = 0; m < 8; m++) {
        const text = `g${pick('ab *\\\n', 9)}`;
        assert.equal(
          rule.pattern.test(text),
          oracle.test(text),
          `rule ${JSON.stringify(spec)} on ${JSON.stringify(text)}`,
        );
        compared++;
      }
    }
    assert.ok(compared > 5000, `only ${compared} comparisons`);
  });

  it('the documented cases', () => {
    assert.equal(compileWildcard('git * main').test('git push origin main'), true);
    assert.equal(compileWildcard('git * main').test('git push origin mainline'), false);
    assert.equal(compileWildcard('ls *').test('ls'), true);
    assert.equal(compileWildcard('ls *').test('ls -la'), true);
    assert.equal(compileWildcard('ls *').test('lsof'), false);
    assert.equal(compileWildcard('echo \\*').test('echo *'), true);
    assert.equal(compileWildcard('echo \\*').test('echo hi'), false);
  });

  // The backtracking RegExp needed minutes here (4 stars × 1 000 characters: 170 s); mocha's
  // timeout is the bound, the benchmark-free way to say "does not hang".
  it('answers on a long command against a rule with many stars (no backtracking)', () => {
    const rule = parseRule('Bash(git * * * * * x)');
    assert.ok(rule.tool === 'Bash' && rule.kind === 'wildcard');
    assert.equal(rule.pattern.test(`git ${' '.repeat(100_000)}`), false);
    assert.equal(rule.pattern.test(`git ${'a '.repeat(50_000)}x`), true);
  });
});
