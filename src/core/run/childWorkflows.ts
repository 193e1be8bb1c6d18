// Child workflows (workflow(), spec §3.8): resolves and parses the child's script, names its
// group `▸ name` (`▸ name #2` for a repeat), and knows which groups lie inside which child, so
// the child's agents get its title as their phase.
import type { GuestOp } from '../sandbox/protocol';
import type { SandboxHost } from '../sandbox/sandboxHost';
import { parseWorkflowScript } from '../script';
import { errorInfo } from '../errors';
import type { ErrorInfo } from '../types';
import type { RunEvent } from './events';
import type { WorkflowResolver } from './runTypes';

type WorkflowOp = Extract<GuestOp, { op: 'workflow' }>;

/** What a child workflow needs from its run. */
export interface ChildHost extends Pick<SandboxHost, 'post' | 'settle'> {
  emit(e: RunEvent): void;
  log(level: 'info' | 'warn', message: string): void;
}

export class ChildWorkflows {
  private readonly children = new Map<number, { name: string; groupId: number }>();
  private readonly titles = new Map<number, string>();
  private readonly groupParents = new Map<number, number | undefined>();
  private readonly runsByName = new Map<string, number>();

  constructor(
    private readonly resolve: WorkflowResolver | undefined,
    /** The parent script's file: relative scriptPaths resolve from it. */
    private readonly parentFile: string,
    private readonly host: ChildHost,
  ) {}

  /** Records where a group sits, so titleOf() can walk up from any group. */
  noteGroup(groupId: number, parent: number | undefined): void {
    this.groupParents.set(groupId, parent);
  }

  /** The `▸ name` title when a group lies inside a child workflow (its agents' phase). */
  titleOf(group: number | undefined): string | undefined {
    for (let g = group; g !== undefined; g = this.groupParents.get(g)) {
      const title = this.titles.get(g);
      if (title) return title;
    }
    return undefined;
  }

  async start(op: WorkflowOp): Promise<void> {
    try {
      if (!this.resolve) throw new Error('workflow() is not available: this host has no workflow registry');
      const { source, file } = await this.resolve(op.ref, this.parentFile);
      const parsed = parseWorkflowScript(source, file);
      const name = parsed.meta.name;
      const n = (this.runsByName.get(name) ?? 0) + 1;
      this.runsByName.set(name, n);
      const title = n > 1 ? `▸ ${name} #${n}` : `▸ ${name}`;
      this.children.set(op.id, { name, groupId: op.groupId });
      this.titles.set(op.groupId, title);
      this.noteGroup(op.groupId, op.position.group);
      this.host.emit({
        type: 'group',
        groupId: op.groupId,
        kind: 'workflow',
        size: 0,
        title,
        parent: op.position,
        site: op.site,
      });
      this.host.log('info', `▸ running dynamic workflow ${name}`);
      this.host.post({
        t: 'child',
        id: op.id,
        compiled: parsed.compiled,
        file,
        name,
        argsJson: op.argsJson,
        groupId: op.groupId,
      });
    } catch (e) {
      const info = errorInfo(e);
      const message =
        'format' in (e as object) && typeof (e as { format?: unknown }).format === 'function'
          ? (e as { format(): string }).format()
          : info.message;
      this.host.settle([op.id, false, { name: info.name, message }]);
    }
  }

  done(id: number, ok: boolean, error?: ErrorInfo): void {
    const child = this.children.get(id);
    if (!child) return;
    this.host.log(
      ok ? 'info' : 'warn',
      ok ? `▸ ${child.name} done` : `▸ ${child.name} failed: ${error?.message ?? 'unknown error'}`,
    );
    this.host.emit({ type: 'groupEnd', groupId: child.groupId, failedSlots: [] });
  }
}
