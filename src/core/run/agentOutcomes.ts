// How a live agent's ending is recorded: its journal line queued for the group commit, its
// settlement queued for the script (the commit runs before settlements leave, so a kill loses
// no result the script has seen), and its count and event once the line is in the journal.
import type { SandboxHost } from '../sandbox/sandboxHost';
import type { ErrorInfo, WorktreeInfo } from '../types';
import { SKIPPED, type AttemptOutcome, type LiveAgent } from './agentAttempts';
import type { AgentRegistry } from './agentRegistry';
import type { AgentState, RunEvent } from './events';
import type { JournalCommitter } from './journalCommitter';
import { preview } from './preview';
import { worktreeLine } from './worktreeText';

export interface OutcomeHost extends Pick<SandboxHost, 'settle'> {
  emitAgent(a: LiveAgent, state: AgentState, extra?: Partial<Extract<RunEvent, { type: 'agent' }>>): void;
  log(level: 'info' | 'warn', message: string): void;
}

const UNSAVED = 'its result could not be written to the run journal; it runs again when the run is resumed';

export class AgentOutcomes {
  constructor(
    private readonly agents: AgentRegistry,
    private readonly journal: JournalCommitter,
    private readonly host: OutcomeHost,
  ) {}

  record(a: LiveAgent, outcome: AttemptOutcome): void {
    if (outcome.kind === 'stopped' || outcome.kind === 'held') return;
    const worktree = outcome.worktree;
    if (worktree) this.host.log('info', worktreeLine(a.label, worktree));
    const extra = worktree && { worktree };
    // An outcome whose line cannot be written never reaches the script; a resume runs it again.
    const abandon = () => this.host.emitAgent(a, 'stopped', { error: { name: 'Stopped', message: UNSAVED } });
    switch (outcome.kind) {
      case 'done': {
        a.state = 'done';
        const line = {
          type: 'result',
          key: a.key,
          agentId: a.agentId,
          result: outcome.result,
          toolsUsed: outcome.toolsUsed,
          usage: a.usage,
          model: outcome.model,
          ...extra,
        } as const;
        const announce = () => {
          this.agents.count('done');
          this.host.emitAgent(a, 'done', {
            resultPreview: preview(outcome.result),
            usage: a.usage,
            model: outcome.model,
            toolErrors: outcome.toolErrors,
            ...extra,
          });
        };
        this.journal.queueOutcome(line, { announce, abandon });
        this.host.settle([a.guestId, true, outcome.result === undefined ? undefined : JSON.stringify(outcome.result)]);
        return;
      }
      case 'null': {
        const skipped = outcome.reason === SKIPPED;
        if (!skipped) this.host.log('warn', `[${a.label}] failed: ${outcome.reason}`);
        this.agents.noteNull(a, outcome.reason);
        a.state = skipped ? 'skipped' : 'null';
        const announce = () => {
          this.agents.count(skipped ? 'skipped' : 'failed');
          this.host.emitAgent(a, skipped ? 'skipped' : 'null', {
            error: { name: 'AgentNull', message: outcome.reason },
            usage: a.usage,
            ...extra,
          });
        };
        this.journal.queueOutcome(
          { type: 'failed', key: a.key, agentId: a.agentId, reason: outcome.reason, ...extra },
          { announce, abandon },
        );
        this.host.settle([a.guestId, true, 'null']);
        return;
      }
      case 'error':
        // agent() throws at once; the line only tells a resume that this call ran and failed.
        this.journal.queueOutcome(
          { type: 'failed', key: a.key, agentId: a.agentId, reason: outcome.error.message, ...extra },
          { announce: () => undefined, abandon: () => undefined },
        );
        this.settleError(a, outcome.error, worktree);
        return;
    }
  }

  /** agent() throws: bad options before it ran, or an error outcome. */
  settleError(a: LiveAgent, error: ErrorInfo, worktree?: WorktreeInfo): void {
    this.agents.count('failed');
    this.host.emitAgent(a, 'failed', { error, ...(worktree && { worktree }) });
    this.host.settle([a.guestId, false, { name: error.name, message: `${error.message}` }]);
  }
}
