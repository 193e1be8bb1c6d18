// The resume index (spec §7 row 1). Unlike the official longest-prefix rule, EVERY key with a
// recorded result replays, whatever missed before it and whatever order things finished in.
// Keys are unique within a run (they encode the call's position), so no consumption bookkeeping.
import type { LiveReason, TokenUsage, WorktreeInfo } from '../types';
import type { JournalLine } from './journalFile';

export type ReplayHit = {
  kind: 'result';
  result: unknown;
  agentId: string;
  usage?: TokenUsage;
  toolsUsed?: string[];
  model?: string;
  worktree?: WorktreeInfo;
};

export class ReplayIndex {
  private readonly results = new Map<string, ReplayHit>();
  private readonly failed = new Set<string>();
  private readonly started = new Set<string>();
  /** pos → contents seen there, and content → positions seen for it (for the miss reason). */
  private readonly contentsAt = new Map<string, Set<string>>();
  private readonly positionsOf = new Map<string, Set<string>>();

  private constructor() {}

  static fromLines(lines: JournalLine[]): ReplayIndex {
    const ix = new ReplayIndex();
    for (const line of lines) {
      switch (line.type) {
        case 'result':
          // Later lines overwrite earlier ones: the latest result wins.
          ix.results.set(line.key, {
            kind: 'result',
            result: line.result === undefined ? null : line.result, // JSON cannot hold undefined
            agentId: line.agentId,
            ...(line.usage && { usage: line.usage }),
            ...(line.toolsUsed && { toolsUsed: line.toolsUsed }),
            ...(line.model !== undefined && { model: line.model }),
            ...(line.worktree && { worktree: line.worktree }),
          });
          break;
        case 'failed':
          ix.failed.add(line.key);
          break;
        case 'started':
          ix.started.add(line.key);
          addTo(ix.contentsAt, line.pos, line.content);
          addTo(ix.positionsOf, line.content, line.pos);
          break;
      }
    }
    return ix;
  }

  /** The recorded result for this key, if any finished with a result (the latest wins). */
  hit(key: string): ReplayHit | undefined {
    return this.results.get(key);
  }

  /**
   * Why a call that missed runs live: 'previously-failed' (failed, no result), 'unfinished'
   * (started, never finished), 'changed' (same position, different content), 'chain-changed'
   * (same content, different position), else 'new'.
   */
  reason(key: string, pos: string, content: string): LiveReason {
    if (!this.results.has(key)) {
      if (this.failed.has(key)) return 'previously-failed';
      if (this.started.has(key)) return 'unfinished';
    }
    if (hasOther(this.contentsAt.get(pos), content)) return 'changed';
    if (hasOther(this.positionsOf.get(content), pos)) return 'chain-changed';
    return 'new';
  }

  /** [key, result as JSON text] for every replayable key: what the sandbox resolves locally. */
  resultTexts(): [string, string | undefined][] {
    const out: [string, string | undefined][] = [];
    for (const [key, hit] of this.results)
      out.push([key, hit.result === undefined ? undefined : JSON.stringify(hit.result)]);
    return out;
  }

  get resultCount(): number {
    return this.results.size;
  }
}

function addTo(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k);
  if (set) set.add(v);
  else map.set(k, new Set([v]));
}

function hasOther(set: Set<string> | undefined, value: string): boolean {
  return set !== undefined && (set.size > 1 || !set.has(value));
}
