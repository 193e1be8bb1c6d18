// Read/Edit/WebFetch rule matching as Claude Code documents it: gitignore patterns anchored at
// //abs, ~/home, /project-root and ./cwd; `**`; folder patterns; symlinked rule paths; domains.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRule, type RuleSet } from '../../../src/agent/permissions/rules';
import {
  decideFetch,
  decideFile,
  explicitEditAllow,
  explicitFetchAllow,
  type PathBases,
} from '../../../src/agent/permissions/toolRules';
import { compileGlob } from '../../../src/agent/permissions/globMatcher';

function rules(spec: { allow?: string[]; deny?: string[]; ask?: string[] }, source?: string): RuleSet {
  const p = (list: string[] = []) => list.map((t) => ({ ...parseRule(t), ...(source ? { source } : {}) }));
  return { allow: p(spec.allow), deny: p(spec.deny), ask: p(spec.ask) };
}

describe('permissions/toolRules', () => {
  let tmp: string;
  let root: string;
  let home: string;
  let bases: PathBases;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-rules-')));
    root = path.join(tmp, 'proj');
    home = path.join(tmp, 'home');
    fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(root, 'vault'), { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    fs.symlinkSync('vault', path.join(root, 'secrets'));
    fs.writeFileSync(path.join(root, 'real.env'), 'X=1');
    fs.symlinkSync('real.env', path.join(root, '.env'));
    bases = { roots: [root], cwd: path.join(root, 'src'), home };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const p = (rel: string) => path.join(root, rel);

  describe('path specifiers (Read)', () => {
    const table: [string, string, boolean][] = [
      // //abs: from the filesystem root
      ['Read(//etc/passwd)', '/etc/passwd', true],
      ['Read(//etc/**)', '/etc/ssh/sshd_config', true],
      ['Read(//etc/*)', '/etc/ssh/sshd_config', true], // gitignore: `/etc/*` matches the folder ssh, so its files too
      ['Read(//etc/p*)', '/etc/passwd', true],
      ['Read(//etc/p*)', '/etcx/passwd', false],
      // ./path and path: from the working directory (root/src)
      ['Read(./config.json)', 'src/config.json', true],
      ['Read(./config.json)', 'config.json', false],
      ['Read(deep/x.ts)', 'src/deep/x.ts', true],
      ['Read(deep/x.ts)', 'src/other/deep/x.ts', false], // has a slash: anchored at cwd
      ['Read(*.key)', 'src/deep/a.key', true], // no slash: any depth below cwd
      ['Read(*.key)', 'top.key', false], // …but not above it
      ['Read(deep)', 'src/deep/any/file.txt', true], // a folder covers its contents
      ['Read(deep/)', 'src/deep/file.txt', true],
      ['Read(deep/)', 'src/deep', false], // trailing slash: folders only, not a file named deep
      // /path: from the project root (the folder holding the settings file's .claude/)
      ['Read(/src/**/*.ts)', 'src/a.ts', true],
      ['Read(/src/**/*.ts)', 'src/deep/er/b.ts', true],
      ['Read(/src/**/*.ts)', 'lib/src/a.ts', false],
      ['Read(/src/**/*.ts)', 'src/a.tsx', false],
      ['Read(/src/*.ts)', 'src/deep/a.ts', false], // `*` does not cross a slash
      ['Read(/**/id_*)', 'src/deep/id_rsa', true],
      ['Read(/file?.txt)', 'file1.txt', true],
      ['Read(/file?.txt)', 'file10.txt', false],
      ['Read(/file[0-9].txt)', 'file7.txt', true],
      ['Read(/file[!0-9].txt)', 'file7.txt', false],
      ['Read(/**)', 'anything/at/all', true],
      ['Read', 'anything/at/all', true],
    ];
    for (const [rule, file, expected] of table) {
      it(`${rule} ${expected ? 'covers' : 'does not cover'} ${file}`, () => {
        const abs = file.startsWith('/') ? file : p(file);
        assert.equal(decideFile('read', abs, rules({ deny: [rule] }), bases).decision, expected ? 'deny' : 'none');
      });
    }

    it('~/path is from the home folder', () => {
      const r = rules({ deny: ['Read(~/.ssh/**)'] });
      assert.equal(decideFile('read', path.join(home, '.ssh', 'id_ed25519'), r, bases).decision, 'deny');
      assert.equal(decideFile('read', p('.ssh/id_ed25519'), r, bases).decision, 'none');
    });

    it('/path is relative to the folder holding the settings file, not the working directory', () => {
      const other = path.join(tmp, 'other');
      const r = rules({ deny: ['Read(/secret.txt)'] }, path.join(other, '.claude', 'settings.json'));
      assert.equal(decideFile('read', path.join(other, 'secret.txt'), r, bases).decision, 'deny');
      assert.equal(decideFile('read', p('secret.txt'), r, bases).decision, 'none');
    });

    it('a rule written through a symbolic link covers the real paths the tools see', () => {
      // secrets -> vault: the tools are handed root/vault/key, the rule says secrets/**
      const r = rules({ deny: ['Read(/secrets/**)', 'Read(/.env)'] });
      assert.equal(decideFile('read', p('vault/key'), r, bases).decision, 'deny');
      assert.equal(decideFile('read', p('real.env'), r, bases).decision, 'deny', '.env -> real.env');
      assert.equal(decideFile('read', p('src/real.env'), r, bases).decision, 'none');
    });

    it('deny wins over ask, ask over allow; Edit rules do not touch reads', () => {
      const file = p('src/a.ts');
      assert.equal(
        decideFile('read', file, rules({ allow: ['Read'], ask: ['Read(/src/**)'], deny: ['Read(/src/a.ts)'] }), bases)
          .decision,
        'deny',
      );
      assert.equal(decideFile('read', file, rules({ allow: ['Read'], ask: ['Read(/src/**)'] }), bases).decision, 'ask');
      assert.equal(decideFile('read', file, rules({ allow: ['Read(/src/**)'] }), bases).decision, 'allow');
      assert.equal(decideFile('read', file, rules({ deny: ['Edit(/src/**)', 'Write'] }), bases).decision, 'none');
    });
  });

  describe('edit rules', () => {
    it('Edit, Write, MultiEdit and NotebookEdit rules all apply to every file-editing tool', () => {
      for (const tool of ['Edit', 'Write', 'MultiEdit', 'NotebookEdit']) {
        assert.equal(
          decideFile('edit', p('docs/a.md'), rules({ deny: [`${tool}(/docs/**)`] }), bases).decision,
          'deny',
          tool,
        );
      }
      assert.equal(decideFile('edit', p('docs/a.md'), rules({ deny: ['Read(/docs/**)'] }), bases).decision, 'none');
    });

    it('only a rule naming the file itself is an explicit allow (not bare Edit, a folder or a glob)', () => {
      const file = p('.claude/settings.json');
      const explicit = (r: string) => explicitEditAllow(file, rules({ allow: [r] }), { ...bases, cwd: root })?.text;
      assert.equal(explicit('Edit(.claude/settings.json)'), 'Edit(.claude/settings.json)');
      assert.equal(explicit('Edit(/.claude/settings.json)'), 'Edit(/.claude/settings.json)');
      assert.equal(explicit(`Edit(/${file})`), `Edit(/${file})`);
      assert.equal(explicit('Write(./.claude/settings.json)'), 'Write(./.claude/settings.json)');
      for (const broad of [
        'Edit',
        'Edit(**)',
        'Edit(/.claude/**)',
        'Edit(.claude)',
        'Edit(.claude/)',
        'Edit(.claude/*.json)',
        'Read(.claude/settings.json)',
        'Edit(.claude/settings.jso?)',
      ]) {
        assert.equal(explicit(broad), undefined, broad);
      }
    });
  });

  describe('compileGlob', () => {
    const cases: [string, string, boolean][] = [
      ['**', 'a/b/c', true],
      ['**/x', 'x', true],
      ['**/x', 'a/b/x', true],
      ['a/**', 'a/b/c', true],
      ['a/**', 'a', false],
      ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true],
      ['a/**/b', 'ab', false],
      ['*.md', 'README.md', true],
      ['*.md', 'docs/README.md', false],
      ['a.b', 'aXb', false], // dots are literal
      ['\\*.md', '*.md', true],
      ['\\*.md', 'x.md', false],
    ];
    for (const [glob, s, expected] of cases)
      it(`${glob} ${expected ? '~' : '!~'} ${s}`, () => assert.equal(compileGlob(glob, false).test(s), expected));

    it('classes, `?`, consecutive `**` and case folding', () => {
      assert.equal(compileGlob('[a-c]?.t[!x]', false).test('b1.ts'), true);
      assert.equal(compileGlob('[a-c]?.t[!x]', false).test('b/.ts'), false); // `?` stops at `/`
      assert.equal(compileGlob('a/**/**/b', false).test('a/b'), true);
      assert.equal(compileGlob('SRC/*.TS', true).test('src/x.ts'), true);
      assert.equal(compileGlob('SRC/*.TS', false).test('src/x.ts'), false);
    });

    it('matches in linear time rules and paths that made the RegExp backtrack for minutes', () => {
      // A regex of `[^/]*` runs took minutes on these; the suite's timeout is the check.
      assert.equal(compileGlob('*a*a*a*a*b', false).test('a'.repeat(50_000)), false);
      assert.equal(compileGlob('**/a/**/a/**/a/**/a/**/b', false).test('a/'.repeat(20_000) + 'c'), false);
      assert.equal(compileGlob('**/a/**/a/**/a/**/a/**/b', false).test('a/'.repeat(20_000) + 'b'), true);
    });
  });

  describe('WebFetch(domain:…)', () => {
    const table: [string, string, boolean][] = [
      ['WebFetch(domain:example.com)', 'example.com', true],
      ['WebFetch(domain:example.com)', 'EXAMPLE.com.', true],
      ['WebFetch(domain:example.com)', 'api.example.com', false], // exactly that host
      ['WebFetch(domain:example.com)', 'example.com.evil.net', false],
      ['WebFetch(domain:example.com)', 'notexample.com', false],
      ['WebFetch(domain:*.example.com)', 'api.example.com', true],
      ['WebFetch(domain:*.example.com)', 'a.b.example.com', true],
      ['WebFetch(domain:*.example.com)', 'example.com', false],
      ['WebFetch(domain:*.example.com)', 'badexample.com', false],
      ['WebFetch(domain:*)', 'anything.org', true],
      ['WebFetch', 'anything.org', true],
      ['WebFetch(domain:[::1])', '[::1]', true],
    ];
    for (const [rule, host, expected] of table) {
      it(`${rule} ${expected ? 'covers' : 'does not cover'} ${host}`, () => {
        assert.equal(decideFetch(host, rules({ allow: [rule] })).decision, expected ? 'allow' : 'none');
      });
    }

    it('an unreadable WebFetch specifier is ignored in allow but blocks in deny (fail closed)', () => {
      assert.equal(decideFetch('example.com', rules({ allow: ['WebFetch(https://example.com/*)'] })).decision, 'none');
      assert.equal(decideFetch('example.com', rules({ deny: ['WebFetch(https://example.com/*)'] })).decision, 'deny');
    });

    it('deny beats ask beats allow', () => {
      assert.equal(
        decideFetch('x.org', rules({ allow: ['WebFetch'], ask: ['WebFetch(domain:x.org)'] })).decision,
        'ask',
      );
      assert.equal(
        decideFetch('x.org', rules({ allow: ['WebFetch(domain:x.org)'], deny: ['WebFetch'] })).decision,
        'deny',
      );
    });

    it('only a rule naming the host exactly is an explicit allow', () => {
      assert.ok(explicitFetchAllow('127.0.0.1', rules({ allow: ['WebFetch(domain:127.0.0.1)'] })));
      assert.equal(explicitFetchAllow('127.0.0.1', rules({ allow: ['WebFetch', 'WebFetch(domain:*)'] })), undefined);
      assert.equal(explicitFetchAllow('a.localhost', rules({ allow: ['WebFetch(domain:*.localhost)'] })), undefined);
    });
  });
});
