// The key as a backstop never leaves: the Redactor's forms, and the runner scrubbing tool results
// (before the model and the transcript see them), the agent's result (what the journal keeps)
// and streamed command output cut in the middle. Plus bashCommandClamp narrowing Bash.
import { openAccess } from '../tools/helpers';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicServer, byTurn, toolResults, type Responder } from '../../fakes/fakeAnthropic';
import { AnthropicRunner } from '../../../src/agent/runner';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { REDACTED, Redactor } from '../../../src/agent/redact';
import type { AgentOutcome, AgentRequest } from '../../../src/core/ports';

const KEY = 'sk-ant-api03-Zx9_Yq8-Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf-abcdefghij';

describe('agent: redaction of secrets', () => {
  describe('Redactor', () => {
    const r = new Redactor([KEY, 'short', undefined]);

    it('replaces the plain value everywhere; values under 8 characters are not secrets', () => {
      assert.equal(r.redact(`a ${KEY} b ${KEY}`), `a ${REDACTED} b ${REDACTED}`);
      assert.equal(r.redact('short and sweet'), 'short and sweet');
      assert.equal(new Redactor([]).redact(KEY), KEY);
    });

    it('finds its base64 (standard and url-safe) at any alignment inside a longer base64 text, and its hex', () => {
      for (const prefix of ['', 'x', 'xy', 'header: ']) {
        for (const enc of ['base64', 'base64url'] as const) {
          const encoded = Buffer.from(`${prefix}${KEY}!tail`).toString(enc);
          const out = r.redact(encoded);
          assert.ok(out.includes(REDACTED), `${enc} with a ${prefix.length}-byte prefix`);
          // What is left cannot be decoded back to a meaningful part of the key.
          assert.ok(!Buffer.from(out.replace(REDACTED, ''), enc).toString().includes(KEY.slice(4, 14)));
        }
      }
      assert.equal(r.redact(Buffer.from(KEY).toString('hex')), REDACTED);
      assert.equal(r.redact(Buffer.from(KEY).toString('hex').toUpperCase()), REDACTED);
    });

    it('finds the URL-encoded form of a value with special characters', () => {
      const pw = 'p@ss w/rd+&=secret';
      assert.equal(new Redactor([pw]).redact(`https://u:${encodeURIComponent(pw)}@host`), `https://u:${REDACTED}@host`);
    });

    it('a stream catches a value split across chunks (one character per chunk)', () => {
      const s = r.stream();
      let out = '';
      for (const ch of `before ${KEY} after`) out += s.push(ch);
      out += s.end();
      assert.equal(out, `before ${REDACTED} after`);
    });

    it('redactDeep walks results and errors', () => {
      const o = { kind: 'done', result: { list: [KEY, 1, null], [KEY]: true }, note: `k=${KEY}` };
      assert.deepEqual(r.redactDeep(o), {
        kind: 'done',
        result: { list: [REDACTED, 1, null], [REDACTED]: true },
        note: `k=${REDACTED}`,
      });
    });
  });

  describe('through the runner (fake Messages API, real tools)', function () {
    this.timeout(20_000);
    let server: FakeAnthropicServer;
    let root: string;
    afterEach(async () => {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    async function runOne(
      respond: Responder,
      options: AgentRequest['options'] = {},
      outputChars?: number,
    ): Promise<{ outcome: AgentOutcome; transcript: string; runner: AnthropicRunner }> {
      server = await FakeAnthropicServer.start({ respond });
      root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-redact-')));
      // A repository that holds the key in a file, as real ones do (.env).
      fs.writeFileSync(path.join(root, '.env'), `ANTHROPIC_API_KEY=${KEY}\n`);
      const runs = path.join(root, 'runs');
      const runner = new AnthropicRunner({
        apiKey: KEY,
        baseURL: server.url,
        workspace: new FsWorkspace([root]),
        paths: { resolve: (p) => ({ ok: true, real: path.resolve(root, p) }) },
        commands: { check: async () => ({ allowed: true }) },
        access: openAccess(),
        transcriptsDir: (runId) => path.join(runs, runId, 'transcripts'),
        home: path.join(root, '.home'),
        ...(outputChars ? { limits: { outputChars } } : {}),
      });
      const req: AgentRequest = {
        runId: 'wf_redact',
        agentId: 'agent1',
        index: 1,
        prompt: 'go',
        label: 'go',
        options,
        attempt: 1,
      };
      const outcome = await runner.run(req, new AbortController().signal, {});
      runner.close();
      const file = path.join(runs, 'wf_redact', 'transcripts', 'agent1.jsonl');
      const transcript = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      return { outcome, transcript, runner };
    }

    const bodiesOf = () => JSON.stringify(server.requests.map((r) => r.body));

    it('Read and Bash results reach neither the model nor the transcript with the key; nor does the result', async () => {
      const { outcome, transcript } = await runOne(
        byTurn(
          {
            toolUses: [
              { name: 'Read', input: { file_path: '.env' } },
              { name: 'Bash', input: { command: 'cat .env; base64 -w0 .env; echo; xxd -p .env | tr -d "\\n"' } },
            ],
          },
          (req) => ({
            text: `echo: ${toolResults(req.body)
              .map((t) => String(t.content))
              .join(' | ')} and the model adds ${KEY}`,
          }),
        ),
      );
      assert.equal(outcome.kind, 'done');
      const result = String((outcome as { result: unknown }).result);
      assert.ok(result.includes(REDACTED));
      for (const [what, text] of [
        ['result', result],
        ['transcript', transcript],
        ['requests to the model', bodiesOf()],
      ]) {
        assert.ok(!text.includes(KEY), `${what} holds the key`);
        assert.ok(
          !text.includes(Buffer.from(`ANTHROPIC_API_KEY=${KEY}`).toString('base64').slice(0, 40)),
          `${what} holds its base64`,
        );
        assert.ok(!text.includes(Buffer.from(KEY).toString('hex').slice(0, 40)), `${what} holds its hex`);
      }
    });

    it('a structured result is redacted field by field', async () => {
      const schema = { type: 'object', properties: { found: { type: 'string' } }, required: ['found'] };
      const { outcome } = await runOne(
        () => ({ toolUses: [{ name: 'StructuredOutput', input: { found: `key is ${KEY}` } }] }),
        { schema },
      );
      assert.deepEqual((outcome as { result: unknown }).result, { found: `key is ${REDACTED}` });
    });

    it('command output cut in the middle of the key leaves no part of it (scrubbed before the cut)', async () => {
      // 1000 characters kept: 500 from the start, 500 from the end; the key straddles the cut.
      const { transcript } = await runOne(
        byTurn(
          {
            toolUses: [
              {
                name: 'Bash',
                input: { command: `head -c 470 /dev/zero | tr '\\0' a; cat .env; head -c 3000 /dev/zero | tr '\\0' b` },
              },
            ],
          },
          { text: 'ok' },
        ),
        {},
        1000,
      );
      const sent = bodiesOf();
      for (const text of [sent, transcript]) {
        assert.ok(!text.includes(KEY.slice(0, 12)) && !text.includes(KEY.slice(-12)), 'no fragment of the key');
      }
    });

    it('bashCommandClamp: a command outside the clamp is refused without running; inside it runs', async () => {
      const { transcript } = await runOne(
        byTurn(
          {
            toolUses: [
              { name: 'Bash', input: { command: 'touch clamped.txt' } },
              { name: 'Bash', input: { command: 'echo allowed > ok.txt' } },
            ],
          },
          { text: 'done' },
        ),
        { bashCommandClamp: ['Bash(echo:*)'] },
      );
      const results = toolResults(server.requests[1].body);
      assert.equal(results[0].is_error, true);
      assert.match(String(results[0].content), /only run commands matching its bashCommandClamp \(Bash\(echo:\*\)\)/);
      assert.equal(fs.existsSync(path.join(root, 'clamped.txt')), false);
      assert.equal(fs.readFileSync(path.join(root, 'ok.txt'), 'utf8'), 'allowed\n');
      assert.match(transcript, /bashCommandClamp/);
    });

    it('bashCommandClamp on an agent without Bash refuses the spawn', async () => {
      const { outcome } = await runOne(() => ({ text: 'never' }), {
        bashCommandClamp: ['Bash(ls)'],
        disallowedTools: ['Bash'],
      });
      assert.equal(outcome.kind, 'error');
      assert.match((outcome as { error: { message: string } }).error.message, /has no Bash tool .* Refusing the spawn/);
      assert.equal(server.requests.length, 0);
    });
  });
});
