// The run's agents: every agent() call gets its index and a unique id here, and the counts and
// the null results the final report needs are kept here.
import type { GuestOp } from '../sandbox/protocol';
import { zeroUsage, type ErrorInfo } from '../types';
import type { LiveAgent } from './agentAttempts';
import type { RunCounts } from './runTypes';

type AgentOp = Extract<GuestOp, { op: 'agent' }>;

interface NullAgent {
  label: string;
  line?: number;
  reason: string;
}

export class AgentRegistry {
  private readonly agents = new Map<string, LiveAgent>();
  private nextIndex = 0;
  private readonly counts: RunCounts = { total: 0, done: 0, cached: 0, failed: 0, skipped: 0 };
  private readonly nullAgents: NullAgent[] = [];

  /** A new agent for one agent() call, in call order; its id comes from its key (unique within the run). */
  register(op: AgentOp, label: string, phase: string | undefined): LiveAgent {
    const index = this.nextIndex++;
    let agentId = op.key.slice(3, 15);
    if (this.agents.has(agentId)) agentId = `${agentId}-${index}`;
    const a: LiveAgent = {
      agentId,
      guestId: op.id,
      index,
      key: op.key,
      prompt: op.prompt,
      label,
      phase,
      position: op.position,
      site: op.site,
      options: {},
      attempt: 1,
      usage: zeroUsage(),
      state: 'queued',
    };
    this.agents.set(agentId, a);
    this.counts.total++;
    return a;
  }

  get(agentId: string): LiveAgent | undefined {
    return this.agents.get(agentId);
  }

  get ids(): string[] {
    return [...this.agents.keys()];
  }

  all(): IterableIterator<LiveAgent> {
    return this.agents.values();
  }

  count(outcome: 'done' | 'cached' | 'failed' | 'skipped'): void {
    this.counts[outcome]++;
  }

  /** Remembers an agent that resolved null, to name it if the script then trips over null. */
  noteNull(a: LiveAgent, reason: string): void {
    this.nullAgents.push({ label: a.label, line: a.site?.line, reason });
  }

  snapshot(): RunCounts {
    return { ...this.counts };
  }

  /** A TypeError on null after agents resolved null: name them, so the person knows why. */
  withNullHint(error: ErrorInfo): ErrorInfo {
    if (!/null/.test(error.message) || this.nullAgents.length === 0) return error;
    const names = this.nullAgents
      .slice(0, 3)
      .map((n) => `'${n.label}'${n.line ? ` (line ${n.line})` : ''}: ${n.reason}`)
      .join('; ');
    return {
      ...error,
      message: `${error.message}\nHint: ${this.nullAgents.length} agent(s) resolved null — ${names}. Guard results with "if (!r)", or fix the cause and resume the run: finished agents are replayed.`,
    };
  }
}
