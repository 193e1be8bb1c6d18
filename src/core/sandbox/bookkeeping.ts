// The worker-side state that must answer the guest synchronously: cache keys of agent() calls,
// the agent cap, the budget ceiling and group ids (spec §4.7 `v2`, §4.1, §3.7).
//
// Keys chain within one async context (sequential calls) and fork per parallel/pipeline slot.
// A group does not fold its slots back into the caller's chain: what flows on after a group is
// its results, which reach later prompts as data. So editing one slot re-runs that slot's chain
// and whatever prompt its new result changes — not every call that happens to come later.
import { agentKey, hashText } from '../journal/keys';
import { AGENT_CAP_ERROR, BUDGET_ERROR, MESSAGES } from '../errors';
import type { GuestOp } from './protocol';
import { CHAIN_REFERENCE, CHAIN_SEPARATOR, REFUSAL } from './guestWire';
import type { DagPosition, ErrorInfo, SourceLocation } from '../types';

/** One agent() call as the worker registers it. */
export interface AgentCall {
  /** The guest's promise id. */
  id: number;
  prompt: string;
  optsJson: string | undefined;
  /** The chain as the guest wrote it (see resolve). */
  guestChain: string;
  /** The caller's DAG position: -1 when none. */
  group: number;
  slot: number;
  stage: number;
  /** The context's phase ('' when none). */
  phase: string;
  site: SourceLocation | undefined;
  /** Index of the guest context (0 = root). */
  ctx: number;
  /** Tokens spent so far (the budget check). */
  spent: number;
}

/** A parallel() or pipeline() starting. */
export interface GroupStart {
  kind: 'parallel' | 'pipeline';
  size: number;
  stages: number;
  /** The caller's DAG position: -1 when none. */
  group: number;
  slot: number;
  stage: number;
  site: SourceLocation | undefined;
}

export const AGENT_CAP = 1000;
export const MAX_ITEMS = 4096;
/** Length of every agent key ('v2:' + sha256 hex): the guest measures seeds with it. */
export const KEY_LENGTH = agentKey('', '', undefined).length;
/**
 * What the reference to a call refused for the cap or the budget resolves to. Both refusals are
 * final for the run (the agent count and the spend only grow), so no later call in any context
 * computes a key again and nothing derived from this chain is ever observable.
 */
const REFUSED_CHAIN = 'refused';

export class GuestBookkeeping {
  agents = 0;
  /** Host calls whose promise the parent still has to settle (agents, child workflows). */
  outstanding = 0;
  private nextGroup = 1;

  private readonly replay: Map<string, string | undefined>;
  /**
   * '#<id>' → key of that agent() call: the guest chains the next call of a context on a
   * reference because the key is computed here, after the call was queued. Holds at most one
   * entry per agent that got a key (the cap bounds it); refused calls are not kept (see
   * REFUSED_CHAIN). The worker lives for one run, so the map does too.
   */
  private readonly refs = new Map<string, string>();

  constructor(
    private readonly budgetTotal: number | null,
    private readonly maxAgents = AGENT_CAP,
    replay: [string, string | undefined][] = [],
  ) {
    this.replay = new Map(replay);
  }

  static position(g: number, s: number, t: number): DagPosition {
    const p: DagPosition = {};
    if (g >= 0) p.group = g;
    if (s >= 0) p.slot = s;
    if (t >= 0) p.stage = t;
    return p;
  }

  private refusal(name: string, message: string): string {
    return REFUSAL + JSON.stringify({ name, message });
  }

  /** Refusal text (REFUSAL + ErrorInfo) when the cap, the budget or the item limit forbid more work. */
  precheck(kind: string, items: number, spent: number): string | undefined {
    if ((kind === 'parallel' || kind === 'pipeline') && items > MAX_ITEMS) {
      return this.refusal('RangeError', MESSAGES.tooManyItems(kind, items, MAX_ITEMS));
    }
    if (this.agents >= this.maxAgents && items > 0)
      return this.refusal(AGENT_CAP_ERROR, MESSAGES.agentCap(this.maxAgents));
    if (this.budgetTotal !== null && spent >= this.budgetTotal && items > 0) {
      return this.refusal(BUDGET_ERROR, MESSAGES.budgetExceeded(spent, this.budgetTotal));
    }
    return undefined;
  }

  /** A chain as the guest wrote it, with a leading '#<id>' reference replaced by that call's key. */
  resolve(chain: string): string {
    if (!chain.startsWith(CHAIN_REFERENCE)) return chain;
    const end = chain.indexOf(CHAIN_SEPARATOR);
    if (end < 0) return this.refs.get(chain) ?? REFUSED_CHAIN;
    return (this.refs.get(chain.slice(0, end)) ?? REFUSED_CHAIN) + chain.slice(end);
  }

  /**
   * Registers one agent() call: the key chains on the caller's context (sequential calls chain,
   * slots fork — so a key depends on position and content, never on timing). `guestChain` is
   * the guest's text (see resolve); a refusal comes back as the ErrorInfo the call's promise
   * rejects with.
   */
  agent(
    call: AgentCall,
  ):
    | { error: ErrorInfo }
    | { key: string; op: Extract<GuestOp, { op: 'agent' }>; cached?: { json: string | undefined } } {
    const { id, prompt, optsJson, phase, site, ctx } = call;
    const refused = this.precheck('agent', 1, call.spent);
    if (refused) return { error: JSON.parse(refused.slice(REFUSAL.length)) as ErrorInfo };
    const chain = this.resolve(call.guestChain);
    let opts: object | undefined;
    try {
      opts = optsJson === undefined ? undefined : (JSON.parse(optsJson) as object);
    } catch {
      // Not final like the cap: later calls of the context chain on what this one had, as
      // before references (unreachable in practice: the prelude wrote the text with stringify).
      this.refs.set(CHAIN_REFERENCE + id, chain);
      return { error: { name: 'TypeError', message: 'agent() options must be plain data' } };
    }
    this.agents++;
    const key = agentKey(chain, prompt, opts);
    this.refs.set(CHAIN_REFERENCE + id, key);
    // A journaled result settles right here: no round trip to the parent on resume.
    const cached = this.replay.has(key) ? { json: this.replay.get(key) } : undefined;
    if (!cached) this.outstanding++;
    return {
      key,
      cached,
      op: {
        op: 'agent',
        id,
        key,
        chain,
        prompt,
        optsJson,
        phase: phase || undefined,
        position: GuestBookkeeping.position(call.group, call.slot, call.stage),
        site,
        ctx,
        cached: cached ? true : undefined,
      },
    };
  }

  newGroupId(): number {
    return this.nextGroup++;
  }

  group(start: GroupStart): Extract<GuestOp, { op: 'group' }> {
    const { kind, size, stages, site } = start;
    const groupId = this.newGroupId();
    const parent = GuestBookkeeping.position(start.group, start.slot, start.stage);
    return {
      op: 'group',
      groupId,
      kind,
      size,
      stages: kind === 'pipeline' ? stages : undefined,
      position: parent,
      site,
    };
  }

  /** sha256 of a long seed (its reference resolved first). */
  hash(guestText: string): string {
    return hashText(this.resolve(guestText));
  }
}
