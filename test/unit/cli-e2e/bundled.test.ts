// The bundled workflows (workflows/) through the built `dwf` binary against the fake model: listed
// and run by name, overridden by a project or personal workflow of the same name, found from
// wherever dwf is installed; deep-research with the fake's server-side web search, code-review on
// a real git diff, bug-hunt with reproductions.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  assistantTurns,
  byPrompt,
  firstUserText,
  searchResultsSoFar,
  toolNames,
  toolResults,
  type FakeTurn,
  type RecordedRequest,
  type Responder,
} from '../../fakes/fakeAnthropic';
import { childEnv, CLI, describeExit, dwfFixture, PROJECT, runDwf, summaryOf, type Exit } from './harness';

const answer = (input: unknown): FakeTurn => ({ toolUses: [{ name: 'StructuredOutput', input }] });
const structured =
  (fn: (req: RecordedRequest) => unknown): Responder =>
  (req) =>
    answer(fn(req));

interface Listed {
  name: string;
  origin: string;
  path: string;
}

function listedOf(exit: Exit): Listed[] {
  assert.equal(exit.code, 0, describeExit(exit));
  return JSON.parse(exit.stdout) as Listed[];
}

function requestsFor(server: { requests: RecordedRequest[] }, prefix: string): RecordedRequest[] {
  return server.requests.filter((r) => firstUserText(r.body).startsWith(prefix));
}

// Bundled workflows plan up to ~42 agents; these tests are about what they do, so the large-run
// question is moved out of the way (confirm.test.ts covers it).
const NOT_LARGE = ['--confirm-above-agents', '1000', '--confirm-above-tokens', '1000000000'];

describe('cli e2e: bundled workflows', function () {
  this.timeout(90_000);
  const f = dwfFixture();

  describe('registry', () => {
    it('dwf list shows the three as bundled; a project and a personal workflow of the same name override them', async () => {
      const before = listedOf(await runDwf(f.repo, ['list', '--json']));
      assert.deepEqual(
        before.map((w) => [w.name, w.origin, w.path]),
        ['bug-hunt', 'code-review', 'deep-research'].map((n) => [
          n,
          'bundled',
          path.join(PROJECT, 'workflows', `${n}.js`),
        ]),
      );

      f.repo.write(
        '.claude/workflows/my-review.js',
        "export const meta = { name: 'code-review', description: 'ours' }\nreturn 'project review: ' + args\n",
      );
      const personal = path.join(f.repo.config, 'workflows', 'hunt.js');
      fs.mkdirSync(path.dirname(personal), { recursive: true });
      fs.writeFileSync(
        personal,
        "export const meta = { name: 'bug-hunt', description: 'mine' }\nreturn 'personal hunt'\n",
      );
      const after = listedOf(await runDwf(f.repo, ['list', '--json']));
      assert.deepEqual(
        after.map((w) => [w.name, w.origin]),
        [
          ['bug-hunt', 'personal'],
          ['code-review', 'project'],
          ['deep-research', 'bundled'],
        ],
      );

      const review = await runDwf(f.repo, ['run', ...NOT_LARGE, 'code-review', '--args', '"main"', '--json'], {
        server: f.server,
      });
      assert.equal(review.code, 0, describeExit(review));
      assert.equal(summaryOf(review).result, 'project review: main');
      const hunt = await runDwf(f.repo, ['run', ...NOT_LARGE, 'bug-hunt', '--json'], { server: f.server });
      assert.equal(summaryOf(hunt).result, 'personal hunt');
      assert.equal(f.server.requests.length, 0, 'the overriding scripts start no agent');
    });

    it('CLAUDE_CODE_DISABLE_BUNDLED_SKILLS=1 hides them, and running one by name then says it is not there', async () => {
      const env = { CLAUDE_CODE_DISABLE_BUNDLED_SKILLS: '1' };
      assert.deepEqual(listedOf(await runDwf(f.repo, ['list', '--json'], { env })), []);
      const exit = await runDwf(f.repo, ['run', ...NOT_LARGE, 'deep-research', '--args', '"q"'], { env });
      assert.equal(exit.code, 2, describeExit(exit));
      assert.match(exit.stderr, /no saved workflow named "deep-research"/);
    });

    it('an installed copy (dist/ beside workflows/, as in the npm package and the .vsix) finds its own bundled folder', () => {
      const pkg = path.join(f.repo.tmp, 'installed');
      fs.cpSync(path.join(PROJECT, 'dist'), path.join(pkg, 'dist'), {
        recursive: true,
        filter: (src) => !src.endsWith('.map'),
      });
      fs.cpSync(path.join(PROJECT, 'workflows'), path.join(pkg, 'workflows'), { recursive: true });
      const r = spawnSync(process.execPath, [path.join(pkg, 'dist', path.basename(CLI)), 'list', '--json'], {
        cwd: f.repo.root,
        env: childEnv(f.repo),
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const listed = JSON.parse(r.stdout) as Listed[];
      assert.deepEqual(
        listed.map((w) => w.path),
        ['bug-hunt', 'code-review', 'deep-research'].map((n) => path.join(pkg, 'workflows', `${n}.js`)),
      );
    });

    it('the .vsix file list (vsce, as scripts/package.mjs packs it) ships workflows/*.js', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- vsce is CommonJS, loaded only here
      const vsce = require('@vscode/vsce') as typeof import('@vscode/vsce');
      const files = (await vsce.listFiles({ cwd: PROJECT, packageManager: vsce.PackageManager.None })).map((p) =>
        p.split(path.sep).join('/'),
      );
      for (const n of ['bug-hunt', 'code-review', 'deep-research']) assert.ok(files.includes(`workflows/${n}.js`), n);
    });
  });

  describe('deep-research', () => {
    const QUESTION = 'How do Alpha and Beta compare?';
    const SEARCH_RESULTS: Record<string, { url: string; title: string }[]> = {
      'What is Alpha?': [
        { url: 'https://alpha.example/docs?utm_source=news#intro', title: 'Alpha docs' },
        { url: 'https://alpha.example/history', title: 'Alpha history' },
      ],
      'What is Beta?': [{ url: 'https://beta.example/paper', title: 'Beta [paper]' }],
    };
    // The claims each search agent reports, citing the results it got from the web search by index.
    const CLAIMS: Record<string, [string, number][]> = {
      'What is Alpha?': [
        ['Alpha is fast.', 0],
        ['Alpha is older than Beta.', 1],
      ],
      'What is Beta?': [['Beta is unsafe.', 0]],
    };
    const VERDICTS: Record<string, string> = { 'Alpha is fast.': 'supported', 'Alpha is older than Beta.': 'refuted' };

    function subQuestionOf(req: RecordedRequest): string {
      return /Sub-question: (.*)/.exec(firstUserText(req.body))![1];
    }

    function model(): Responder {
      return byPrompt([
        [
          'Plan web research',
          () => answer({ subQuestions: [{ question: 'What is Alpha?' }, { question: 'What is Beta?' }] }),
        ],
        [
          'You research one part',
          (req) => {
            const sq = subQuestionOf(req);
            // Turn 1: the search runs on the server, then a local tool; turn 2 cites what the search returned.
            if (assistantTurns(req.body) === 0)
              return {
                webSearches: [{ query: sq, results: SEARCH_RESULTS[sq] }],
                toolUses: [{ name: 'Glob', input: { pattern: '*.md' } }],
              };
            const results = searchResultsSoFar(req.body);
            return answer({
              claims: CLAIMS[sq].map(([claim, i]) => ({
                claim,
                sourceUrl: results[i].url,
                sourceTitle: results[i].title,
                quote: claim,
              })),
            });
          },
        ],
        [
          'Independent fact check',
          structured((req) => {
            const claim = /Claim: (.*)/.exec(firstUserText(req.body))![1];
            return { verdict: VERDICTS[claim], reason: `checked: ${claim}` };
          }),
        ],
        ['Write a research report', () => ({ text: 'Alpha is fast [1].' })],
      ]);
    }

    it('plans, searches with the server-side web search, verifies each claim three times and reports with sources', async () => {
      f.server.respond(model());
      // Every verifier of the Beta claim dies on a terminal API error: agent() resolves null.
      f.server.fault(
        { status: 400, message: 'verifier broke' },
        { times: 100, match: (r) => firstUserText(r.body).includes('Claim: Beta is unsafe.') },
      );
      const exit = await runDwf(
        f.repo,
        ['run', ...NOT_LARGE, 'deep-research', '--args', JSON.stringify(QUESTION), '--json'],
        {
          server: f.server,
        },
      );
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as {
        question: string;
        report: string;
        verified: { claim: string; source: number }[];
        unverified: { claim: string; note: string }[];
        refuted: { claim: string }[];
        sources: { n: number; url: string; title: string }[];
        stats: { subQuestions: number; verifierAgents: number };
      };

      assert.match(
        firstUserText(requestsFor(f.server, 'Plan web research')[0].body),
        /How do Alpha and Beta compare\?/,
      );
      const searches = requestsFor(f.server, 'You research one part');
      assert.ok(
        searches.every((s) => toolNames(s.body).includes('web_search')),
        'search agents are offered WebSearch',
      );
      assert.deepEqual(r.stats, { subQuestions: 2, claimsChecked: 3, verifierAgents: 9, failedSearches: 0 });
      assert.equal(new Set(requestsFor(f.server, 'Independent fact check').map((q) => firstUserText(q.body))).size, 9);

      assert.deepEqual(
        r.verified.map((c) => c.claim),
        ['Alpha is fast.'],
      );
      assert.deepEqual(
        r.refuted.map((c) => c.claim),
        ['Alpha is older than Beta.'],
      );
      assert.deepEqual(
        r.unverified.map((c) => [c.claim, c.note]),
        [['Beta is unsafe.', '3 of 3 verifiers failed to answer']],
      );
      // Sources come from the fake web search results, tracking parameters and fragments dropped.
      assert.deepEqual(
        r.sources.map((s) => [s.n, s.url, s.title]),
        [
          [1, 'https://alpha.example/docs', 'Alpha docs'],
          [2, 'https://beta.example/paper', 'Beta [paper]'],
          [3, 'https://alpha.example/history', 'Alpha history'],
        ],
      );
      assert.ok(r.report.startsWith(`# ${QUESTION}\n\nAlpha is fast [1].\n`), r.report);
      for (const line of [
        '## Unverified\n\n- Beta is unsafe. [2] — 3 of 3 verifiers failed to answer',
        '## Refuted\n\n- Alpha is older than Beta. [3] — checked: Alpha is older than Beta.',
        '## Sources\n\n[1] [Alpha docs](https://alpha.example/docs)\n[2] [Beta paper](https://beta.example/paper)\n[3] [Alpha history](https://alpha.example/history)',
      ])
        assert.ok(r.report.includes(line), `${line}\n--- in ---\n${r.report}`);
      const reportPrompt = firstUserText(requestsFor(f.server, 'Write a research report')[0].body);
      assert.match(reportPrompt, /Verified claims[^\n]*\n- Alpha is fast\. \[1\]/);
      assert.match(reportPrompt, /Unverified claims[^\n]*\n- Beta is unsafe\. \[2\]/);
      assert.doesNotMatch(reportPrompt, /older than Beta/, 'a refuted claim is not offered as a fact');
    });

    it('a missing question is refused before any agent starts, saying what args to pass', async () => {
      const exit = await runDwf(f.repo, ['run', ...NOT_LARGE, 'deep-research', '--json'], { server: f.server });
      assert.equal(exit.code, 1, describeExit(exit));
      assert.match(summaryOf(exit).error?.message ?? '', /deep-research needs a question in args/);
      assert.equal(f.server.requests.length, 0);
    });
  });

  describe('code-review', () => {
    function git(...argv: string[]): string {
      const r = spawnSync('git', ['-C', f.repo.root, ...argv], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      });
      if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
      return r.stdout;
    }

    function repoWithBranch(): void {
      git('symbolic-ref', 'HEAD', 'refs/heads/main');
      f.repo.write('src/calc.js', 'export const div = (a, b) => a / b\n');
      f.repo.write('src/util.js', 'export const id = (x) => x\n');
      f.repo.write('README.md', 'calc\n');
      git('add', '.');
      git('commit', '-qm', 'base');
      git('checkout', '-qb', 'feature');
      f.repo.write('src/calc.js', 'export const div = (a, b) => Math.floor(a / b)\n');
      f.repo.write('src/util.js', 'export const id = (x) => x ?? null\n');
      git('commit', '-qam', 'change');
    }

    const FINDINGS: Record<string, unknown[]> = {
      'src/calc.js': [
        { title: 'division by zero', line: 1, severity: 'critical', why: 'b may be 0', fix: 'reject b === 0' },
        { title: 'floor of negatives', severity: 'minor', why: 'rounds toward -Infinity' },
      ],
      'src/util.js': [],
    };

    it('scopes with git diff against the base, reviews each changed file, keeps what the skeptics confirm', async () => {
      repoWithBranch();
      f.server.respond(
        byPrompt([
          [
            'List the files changed',
            (req) => {
              if (assistantTurns(req.body) === 0)
                return { toolUses: [{ name: 'Bash', input: { command: 'git diff --name-only main' } }] };
              // The file list is whatever git printed in the real repository.
              const out = toolResults(req.body)[0].content;
              return answer({
                files: out
                  .split('\n')
                  .map((l) => l.trim())
                  .filter((l) => l.startsWith('src/')),
              });
            },
          ],
          [
            'Review the changes to',
            structured((req) => ({
              findings: FINDINGS[/Review the changes to (\S+) /.exec(firstUserText(req.body))![1]],
            })),
          ],
          [
            'A reviewer claims',
            structured((req) =>
              firstUserText(req.body).includes('division by zero')
                ? { verdict: 'confirmed', reason: 'div(1, 0) returns Infinity' }
                : { verdict: 'refuted', reason: 'callers pass positives only' },
            ),
          ],
        ]),
      );
      const exit = await runDwf(
        f.repo,
        [
          'run',
          ...NOT_LARGE,
          'code-review',
          '--args',
          JSON.stringify({ base: 'main' }),
          '--allow',
          'Bash(git diff:*)',
          '--json',
        ],
        { server: f.server },
      );
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as {
        base: string;
        files: string[];
        confirmed: { file: string; title: string; status: string; reason: string }[];
        unverified: unknown[];
        refuted: number;
        report: string;
      };
      const scope = requestsFor(f.server, 'List the files changed');
      assert.match(toolResults(scope[scope.length - 1].body)[0].content, /src\/calc\.js\nsrc\/util\.js/);
      assert.deepEqual(r.files, ['src/calc.js', 'src/util.js']);
      assert.match(
        firstUserText(requestsFor(f.server, 'Review the changes to src/calc.js')[0].body),
        /git diff main -- src\/calc\.js/,
      );
      assert.equal(requestsFor(f.server, 'A reviewer claims').length, 2, 'one skeptic per finding');
      assert.deepEqual(
        r.confirmed.map((c) => [c.file, c.title, c.reason]),
        [['src/calc.js', 'division by zero', 'div(1, 0) returns Infinity']],
      );
      assert.equal(r.refuted, 1);
      assert.deepEqual(r.unverified, []);
      assert.match(r.report, /^# Code review against main\n/);
      assert.match(
        r.report,
        /## Critical\n\n- \*\*division by zero\*\* — `src\/calc\.js:1`\n {2}b may be 0\n {2}Fix: reject b === 0/,
      );
      assert.doesNotMatch(r.report, /floor of negatives/);
    });

    it('files given in args skip the scope agent; a skeptic that fails leaves the finding unverified, not dropped', async () => {
      f.server.respond(
        byPrompt([
          ['Review the changes to', () => answer({ findings: [FINDINGS['src/calc.js'][0]] })],
          ['A reviewer claims', () => answer({ verdict: 'confirmed', reason: 'x' })],
        ]),
      );
      f.server.fault(
        { status: 400 },
        { times: 10, match: (q) => firstUserText(q.body).startsWith('A reviewer claims') },
      );
      const exit = await runDwf(f.repo, ['run', ...NOT_LARGE, 'code-review', '--args', '["src/calc.js"]', '--json'], {
        server: f.server,
      });
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as {
        confirmed: unknown[];
        unverified: { title: string; status: string }[];
        report: string;
      };
      assert.equal(requestsFor(f.server, 'List the files changed').length, 0);
      assert.deepEqual(r.confirmed, []);
      assert.deepEqual(
        r.unverified.map((u) => [u.title, u.status]),
        [['division by zero', 'unverified']],
      );
      assert.match(r.report, /## Unverified \(the skeptic did not finish\)/);
    });

    it('a base that is not a git ref is refused before any agent (it would reach a command line)', async () => {
      const exit = await runDwf(f.repo, ['run', ...NOT_LARGE, 'code-review', '--args', '"--output=/tmp/x"', '--json'], {
        server: f.server,
      });
      assert.equal(exit.code, 1, describeExit(exit));
      assert.match(summaryOf(exit).error?.message ?? '', /is not a git ref/);
      assert.equal(f.server.requests.length, 0);
    });
  });

  describe('bug-hunt', () => {
    it('maps areas for a focus, hypothesizes per area (capped), reproduces each, reports the confirmed bugs with evidence', async () => {
      f.server.respond(
        byPrompt([
          [
            'Map this codebase',
            () =>
              answer({
                areas: [
                  { name: 'parser', paths: ['src/parser'] },
                  { name: 'cache', paths: ['src/cache'] },
                ],
              }),
          ],
          [
            'Hunt for bugs in',
            structured((req) => {
              const area = /Hunt for bugs in "(\w+)"/.exec(firstUserText(req.body))![1];
              return {
                hypotheses: [1, 2, 3].map((n) => ({
                  title: `${area} bug ${n}`,
                  location: `src/${area}/index.js:${n}`,
                  trigger: `input ${n}`,
                })),
              };
            }),
          ],
          [
            'Try to reproduce',
            structured((req) =>
              firstUserText(req.body).includes('"parser bug 1"')
                ? {
                    status: 'reproduced',
                    evidence: 'TypeError: cannot read x of undefined',
                    reproduction: 'node .bug-hunt/p1.js',
                  }
                : { status: 'not-reproduced', evidence: 'handled by a guard' },
            ),
          ],
        ]),
      );
      const exit = await runDwf(
        f.repo,
        [
          'run',
          ...NOT_LARGE,
          'bug-hunt',
          '--args',
          JSON.stringify({ focus: 'input handling', hypothesesPerArea: 2 }),
          '--json',
        ],
        { server: f.server },
      );
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as {
        areas: string[];
        confirmed: { title: string; evidence: string }[];
        notReproduced: number;
        report: string;
      };
      assert.match(firstUserText(requestsFor(f.server, 'Map this codebase')[0].body), /Focus on: input handling/);
      assert.deepEqual(r.areas, ['parser', 'cache']);
      assert.equal(requestsFor(f.server, 'Try to reproduce').length, 4, 'two hypotheses per area, as capped by args');
      assert.deepEqual(
        r.confirmed.map((b) => [b.title, b.evidence]),
        [['parser bug 1', 'TypeError: cannot read x of undefined']],
      );
      assert.equal(r.notReproduced, 3);
      assert.match(
        r.report,
        /### parser bug 1\n\n- Where: `src\/parser\/index\.js:1` \(parser\)\n- Trigger: input 1\n- Reproduce: `node \.bug-hunt\/p1\.js`\n- Evidence: TypeError/,
      );
    });
  });
});
