// The fake Messages API in its own process for the agents benchmark, so the server's CPU does
// not land on either measured side. Started with fork(); talks over IPC:
//   parent → { id, cmd: 'reset' | 'stats' | 'sample' | 'close' }   child → { id, ...answer }
// and announces itself first with { ready: true, url }.
import { FakeAnthropicServer, firstUserText } from '../../test/fakes/fakeAnthropic';

export type ServerCommand = 'reset' | 'stats' | 'sample' | 'close';

export interface ServerStats {
  requests: number;
  /** Requests answered with something other than 200. */
  errors: number;
  maxInFlight: number;
  /** Distinct agent prompts seen (the first user text of each conversation). */
  prompts: number;
}

async function main(): Promise<void> {
  const server = await FakeAnthropicServer.start({ latencyMs: 0 });
  const send = (m: object) => process.send!(m);
  process.on('message', async (m: { id: number; cmd: ServerCommand }) => {
    switch (m.cmd) {
      case 'reset':
        server.reset();
        return send({ id: m.id });
      case 'stats': {
        const stats: ServerStats = {
          requests: server.requests.length,
          errors: server.requests.filter((r) => r.status !== 200).length,
          maxInFlight: server.maxInFlight,
          prompts: new Set(server.requests.map((r) => firstUserText(r.body))).size,
        };
        return send({ id: m.id, stats });
      }
      case 'sample':
        // The first request's body: the exact request dwf sends for one agent.
        return send({ id: m.id, body: server.requests[0]?.body ?? null });
      case 'close':
        await server.close();
        send({ id: m.id });
        process.disconnect();
        return;
    }
  });
  process.on('disconnect', () => void server.close());
  send({ ready: true, url: server.url });
}

void main();
