// One filtering proxy per agent, so a refusal names the agent that tried: each on its own unix
// socket in one private (0700) directory per CommandSandbox. Started on the agent's first
// command, closed when the agent ends (release) or the host closes (closeAll).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedAddress } from '../../permissions/addresses';
import { removeAtExit, removeNow } from '../exitCleanup';
import type { DomainRules } from './domainRules';
import { FilteringProxy } from './filteringProxy';

export interface AgentIdentity {
  /** Unique per agent attempt (run, agent id, attempt). */
  key: string;
  /** What warnings call it: the agent's label. */
  label: string;
}

export class AgentProxies {
  private readonly proxies = new Map<string, Promise<FilteringProxy>>();
  private dir: string | undefined;
  private count = 0;

  constructor(
    private readonly rules: DomainRules,
    private readonly log?: (message: string) => void,
    private readonly lookup?: (host: string) => Promise<ResolvedAddress[]>,
  ) {}

  /** The unix socket of `agent`'s proxy, started on first use. */
  async socketFor(agent: AgentIdentity): Promise<string> {
    let p = this.proxies.get(agent.key);
    if (!p) {
      const socket = path.join(this.ensureDir(), `${++this.count}.sock`);
      p = FilteringProxy.listen(socket, { rules: this.rules, agent: agent.label, log: this.log, lookup: this.lookup });
      this.proxies.set(agent.key, p);
      p.catch(() => this.proxies.delete(agent.key));
    }
    return (await p).socketPath;
  }

  release(key: string): void {
    const p = this.proxies.get(key);
    if (!p) return;
    this.proxies.delete(key);
    void p.then(
      (proxy) => proxy.close(),
      () => undefined,
    );
  }

  closeAll(): void {
    for (const key of [...this.proxies.keys()]) this.release(key);
    if (this.dir) removeNow(this.dir);
    this.dir = undefined;
  }

  private ensureDir(): string {
    if (this.dir && fs.existsSync(this.dir)) return this.dir;
    // Short on purpose: a unix socket path has a 108-byte limit.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-net-'));
    fs.chmodSync(dir, 0o700);
    removeAtExit(dir);
    this.dir = dir;
    return dir;
  }
}
