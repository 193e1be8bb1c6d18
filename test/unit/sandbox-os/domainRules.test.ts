// Claude Code's sandbox domain syntax: which entries parse (and the message for those that do not),
// and what a set of rules decides for a host and port. Denied entries win; wildcards never name the
// apex; only an exact entry is "explicit" (what loopback and private addresses need).
import assert from 'node:assert/strict';
import { domainRulesFrom, parseDomainEntry, parseSandboxSettings, networkPolicy } from '../../../src/agent/sandbox';

describe('sandbox-os: domain rules (sandbox.network.allowedDomains / deniedDomains)', () => {
  const bad: [string, RegExp][] = [
    ['', /empty entry/],
    ['https://example.com', /host name only/],
    ['example.com/path', /host name only/],
    ['*.com', /too broad/],
    ['*', /use \["\*"\] alone/],
    ['ex*ample.com', /only allowed as a leading "\*\."/],
    ['*.*.example.com', /after "\*\." comes a domain name/],
    ['intranet', /single-label name is ambiguous/],
    ['::1', /must be in brackets/],
    ['[::1', /closing "\]"/],
    ['[example.com]', /brackets hold an IPv6 address/],
    ['example.com:0', /port must be a number from 1 to 65535/],
    ['example.com:http', /port must be a number/],
    ['exa mple.com', /host name only/],
    ['-bad-.example.com', /not a valid host name/],
  ];
  for (const [entry, why] of bad) {
    it(`refuses ${JSON.stringify(entry)}`, () => {
      const p = parseDomainEntry(entry, 'allowedDomains');
      assert.equal(p.ok, false);
      assert.match((p as { reason: string }).reason, why);
      assert.ok((p as { reason: string }).reason.startsWith(JSON.stringify(entry)), 'the message quotes the entry');
    });
  }

  it('accepts the documented forms, a bare "*" only in deniedDomains', () => {
    for (const e of [
      'example.com',
      'EXAMPLE.com.',
      '*.npmjs.org',
      'localhost',
      '127.0.0.1',
      '[::1]',
      '[::1]:8080',
      'api.example.com:443',
      'my_host.example.com',
    ]) {
      assert.equal(parseDomainEntry(e, 'allowedDomains').ok, true, e);
    }
    assert.equal(parseDomainEntry('*', 'deniedDomains').ok, true);
    assert.equal(parseDomainEntry('*:25', 'deniedDomains').ok, true);
  });

  const allowed = [
    'github.com',
    '*.npmjs.org',
    'api.example.com:443',
    'localhost',
    '[::1]',
    '10.0.0.7',
    '*.example.com',
  ];
  const denied = ['evil.example.com', '*.bad.npmjs.org'];
  const { rules, problems } = domainRulesFrom(allowed, denied);
  const table: [host: string, port: number, expect: 'explicit' | 'wildcard' | RegExp][] = [
    ['github.com', 443, 'explicit'],
    ['GitHub.COM.', 80, 'explicit'],
    ['api.github.com', 443, /no sandbox\.network\.allowedDomains entry matches/],
    ['notgithub.com', 443, /no .* entry matches/],
    ['registry.npmjs.org', 443, 'wildcard'],
    ['npmjs.org', 443, /no .* entry matches/], // *.x does not name x itself
    ['a.bad.npmjs.org', 443, /deniedDomains has "\*\.bad\.npmjs\.org"/],
    ['evil.example.com', 443, /deniedDomains has "evil\.example\.com"/], // denied wins over *.example.com
    ['api.example.com', 443, 'explicit'],
    ['api.example.com', 80, 'wildcard'], // the port-bound exact entry does not match; *.example.com does
    ['www.example.com', 8443, 'wildcard'],
    ['localhost', 3000, 'explicit'],
    ['::1', 80, 'explicit'],
    ['[::1]', 80, 'explicit'],
    ['10.0.0.7', 22, 'explicit'],
    ['10.0.0.8', 22, /no .* entry matches/],
    ['1.2.3.4.example.com', 443, 'wildcard'],
    ['exa mple.com', 443, /not a valid host name/],
  ];
  for (const [host, port, expect] of table) {
    it(`decides ${host}:${port}`, () => {
      const d = rules.decide(host, port);
      if (expect instanceof RegExp) {
        assert.equal(d.allowed, false);
        assert.match((d as { reason: string }).reason, expect);
      } else {
        assert.equal(d.allowed, true, JSON.stringify(d));
        assert.equal((d as { explicit: boolean }).explicit, expect === 'explicit');
      }
    });
  }

  it('the example lists have no problems; bad entries are reported with the list name', () => {
    assert.deepEqual(problems, []);
    const r = domainRulesFrom(['ok.example.com', '*.com'], ['https://x.example.com']);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0], /^sandbox\.network\.allowedDomains "\*\.com": .*too broad.*ignored/);
    assert.match(
      r.problems[1],
      /^sandbox\.network\.deniedDomains "https:\/\/x\.example\.com": .*no network until it is fixed/,
    );
    assert.ok(r.denyAll, 'a broken deny entry closes the network');
  });

  it('"*" allows everything not denied (never explicitly); deniedDomains "*" denies everything', () => {
    const all = domainRulesFrom(['*'], ['tracker.example.com']).rules;
    assert.deepEqual(all.decide('anything.org', 443), { allowed: true, explicit: false, entry: '*' });
    assert.equal(all.decide('tracker.example.com', 443).allowed, false);
    assert.equal(domainRulesFrom(['github.com'], ['*']).rules.decide('github.com', 443).allowed, false);
    assert.equal(domainRulesFrom(['github.com'], ['*:80']).rules.decide('github.com', 443).allowed, true);
  });

  it('settings: problems name the file; a broken deny list means no network, never an open one', () => {
    const problems: string[] = [];
    const s = parseSandboxSettings(
      { network: { allowedDomains: ['github.com', 'bad/entry'], deniedDomains: ['[::1'] } },
      'u.json',
      problems,
    );
    assert.equal(problems.length, 2);
    assert.ok(
      problems.every((p) => p.startsWith('u.json: sandbox.network.')),
      problems.join('\n'),
    );
    const policy = networkPolicy(s);
    assert.equal(policy.kind, 'none');
    assert.match((policy as { closedBy: string }).closedBy, /deniedDomains "\[::1"/);
    const typo = parseSandboxSettings(
      { network: { allowedDomains: ['github.com'], deniedDomains: 'evil.com' } },
      'u.json',
      problems,
    );
    assert.deepEqual(networkPolicy(typo), { kind: 'none' });
    assert.match(
      problems[problems.length - 1],
      /"sandbox\.network\.deniedDomains" must be an array of strings; agent commands get no network/,
    );
  });
});
