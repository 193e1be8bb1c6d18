// The fake Messages API as a standalone process for the Chromium end-to-end test (scripts/e2e.mjs)
// and `npm start`-style manual runs: every agent gets an echo of its prompt after FAKE_LATENCY_MS
// (so a run is slow enough to watch), from a server outside the extension host, the way the real
// API is. Started with fork(); announces { ready, url } over IPC and answers { cmd: 'stats' } with
// { requests, errors }. Without IPC (run by hand) it prints the URL and serves until killed.
import { FakeAnthropicServer } from '../fakes/fakeAnthropic';

async function main(): Promise<void> {
  const server = await FakeAnthropicServer.start({
    apiKey: process.env.FAKE_API_KEY || undefined,
    latencyMs: Number(process.env.FAKE_LATENCY_MS ?? 0),
  });
  if (!process.send) {
    process.stdout.write(`${server.url}\n`);
    return;
  }
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'stats') {
      process.send!({ stats: { requests: server.requests.length, errors: server.requests.filter((r) => r.status !== 200).length } });
    }
  });
  process.on('disconnect', () => void server.close());
  process.send({ ready: true, url: server.url });
}

void main();
