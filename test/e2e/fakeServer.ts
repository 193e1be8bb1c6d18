// The fake Messages API as a standalone process for the Chromium end-to-end test (scripts/e2e.mjs)
// and `npm start`-style manual runs: every agent gets an echo of its prompt after FAKE_LATENCY_MS
// (so a run is slow enough to watch), from a server outside the extension host, the way the real
// API is. Started with fork(); announces { ready, url } over IPC and answers { cmd: 'stats' } with
// { requests, errors, toolResults }. FAKE_HOLD (a regular expression) holds the answers to prompts
// it matches until { cmd: 'release' }, so a test sees a run mid-way however loaded the machine is.
// Without IPC (run by hand) it prints the URL and serves until killed.
import { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { echo, firstUserText, toolResults } from '../fakes/fakeAnthropic/script';
import type { Responder } from '../fakes/fakeAnthropic/types';

/** A prompt asking for "the shell command `…`" gets a Bash call first (examples-workspace/approve.js), so a person is asked to approve it. */
const SHELL_REQUEST = /the shell command `([^`]+)`/;

const hold = process.env.FAKE_HOLD ? new RegExp(process.env.FAKE_HOLD) : undefined;
let released = false;
const waiting: (() => void)[] = [];

const respond: Responder = async (req) => {
  if (hold && !released && hold.test(firstUserText(req.body))) await new Promise<void>((r) => waiting.push(r));
  const command = SHELL_REQUEST.exec(firstUserText(req.body))?.[1];
  if (command && toolResults(req.body).length === 0) return { toolUses: [{ name: 'Bash', input: { command } }] };
  return echo(req);
};

async function main(): Promise<void> {
  const server = await FakeAnthropicServer.start({
    apiKey: process.env.FAKE_API_KEY || undefined,
    respond,
    latencyMs: Number(process.env.FAKE_LATENCY_MS ?? 0),
  });
  if (!process.send) {
    process.stdout.write(`${server.url}\n`);
    return;
  }
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'release') {
      released = true;
      for (const go of waiting.splice(0)) go();
    }
    if (m.cmd === 'stats') {
      // toolResults: what the agents' tools returned, so the test sees an approved command really ran.
      const results = server.requests.flatMap((r) => toolResults(r.body).map((t) => t.content));
      process.send!({
        stats: {
          requests: server.requests.length,
          errors: server.requests.filter((r) => r.status !== 200).length,
          toolResults: results,
        },
      });
    }
  });
  process.on('disconnect', () => void server.close());
  process.send({ ready: true, url: server.url });
}

void main();
