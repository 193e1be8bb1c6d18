// The ToolGate (src/agent/tools/context.ts) for Read, Glob, Grep, Write, Edit and WebFetch: the
// Read/Edit/WebFetch rules (toolRules.ts), the protected paths (protected.ts), and addresses of
// this machine and the local network (addresses.ts). One per run; forAgent() gives each agent
// its view so the person is told which agent asks.
//
// acceptEdits mode: reads and writes are allowed unless a rule says otherwise; a protected path
// always asks unless an allow rule names that very file; the runs folder is never writable.
// WebFetch asks unless a rule allows the domain; a loopback, private or link-local address asks
// even then, unless an allow rule names that host exactly (`WebFetch(domain:127.0.0.1)`).
// "Always" is offered only where it saves a rule that would stop the question (an unknown
// domain); protected paths and private addresses are answered once or denied.
import * as net from 'node:net';
import * as os from 'node:os';
import type { ApprovalAnswer, ApprovalRequest, Approver, Asker } from '../../core/ports';
import type { Access, FetchAccess, ToolGate } from '../tools/context';
import { isLocalhostName, nonPublicReason, resolveHost, type ResolvedAddress } from './addresses';
import type { ApprovedWrites } from './protected';
import { writeProtection } from './protected';
import { parseRule, type Rule, type RuleSet } from './rules';
import { loadPermissionRules, type ExtraRules } from './settings';
import {
  decideFetch,
  decideFile,
  explicitEditAllow,
  explicitFetchAllow,
  normalizeHost,
  type PathBases,
} from './toolRules';
import { untilAborted } from '../../shared/abort';

export interface AccessGateOptions {
  rules: RuleSet;
  /** Real paths of the workspace folders. */
  roots: readonly string[];
  /** Working directory for relative rules; the first root when absent. */
  cwd?: string;
  home?: string;
  /** Runs folders outside the workspace folders (never writable). */
  runsDirs?: readonly string[];
  approver: Approver;
  /**
   * No person to ask (the CLI without a terminal). Nobody is asked: with `yes`, ordinary
   * questions are approved; protected paths and private addresses are refused either way.
   */
  headless?: { yes: boolean };
  /** Shared with the Workspace, whose backstop refuses protected writes the gate did not grant. */
  approvedWrites: ApprovedWrites;
  /** Receives the rules an "always" answer added, for the host to save. */
  persist?: (rules: string[]) => void;
  /** Name resolution (tests); dns.lookup otherwise. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

export type Who = Asker;

type Question = Omit<ApprovalRequest, 'runId' | 'agentLabel'> & {
  /** Protected path or private address: headless --yes does not answer it. */
  sensitive: boolean;
  /** The explicit rule that would allow it without asking, for the headless reason. */
  hint?: string;
  /** Said instead when no rule can allow it. */
  noRule?: string;
};

const NOBODY = 'No one was asked: this run is headless (no terminal or editor to answer).';

export class AccessGate {
  private readonly rules: RuleSet;
  private readonly bases: PathBases;
  private readonly asking = new Map<string, Promise<ApprovalAnswer>>();

  /** `shared`: the rules of the gate this one was re-rooted from, so "always" answers hold in both. */
  constructor(
    private readonly options: AccessGateOptions,
    shared?: RuleSet,
  ) {
    this.rules = shared ?? {
      allow: [...options.rules.allow],
      deny: [...options.rules.deny],
      ask: [...options.rules.ask],
    };
    this.bases = {
      roots: options.roots,
      cwd: options.cwd ?? options.roots[0] ?? process.cwd(),
      home: options.home ?? os.homedir(),
    };
  }

  /** Reads the same settings files as the Bash gate; problems are for the host to show. */
  static async load(
    options: Omit<AccessGateOptions, 'rules'> & { configDir?: string; extra?: readonly ExtraRules[] },
  ): Promise<{ gate: AccessGate; problems: string[] }> {
    const loaded = await loadPermissionRules({
      roots: options.roots,
      home: options.home,
      configDir: options.configDir,
      extra: options.extra,
    });
    return { gate: new AccessGate({ ...options, rules: loaded.rules }), problems: loaded.problems };
  }

  /**
   * The same rules, approver and grants, with `root` as the only workspace folder: an agent in a
   * git worktree has the worktree's paths protected and relative rules apply there.
   */
  rootedAt(root: string): AccessGate {
    return new AccessGate({ ...this.options, roots: [root], cwd: root }, this.rules);
  }

  forAgent(who: Who): ToolGate {
    return {
      readable: (real) => this.readable(real),
      authorizeRead: (real, signal) => this.authorizeRead(real, who, signal),
      authorizeWrite: (tool, real, signal) => this.authorizeWrite(tool, real, who, signal),
      authorizeFetch: (url, signal) => this.authorizeFetch(url, who, signal),
    };
  }

  /** Glob/Grep per file: never asks, so an ask rule hides the file like a deny rule. */
  readable(realPath: string): Access {
    const v = decideFile('read', realPath, this.rules, this.bases);
    if (v.decision === 'deny' || v.decision === 'ask') {
      return {
        allowed: false,
        reason: `Reading ${realPath} is ${v.decision === 'deny' ? 'denied' : 'subject to approval'} by the rule ${quote(v.rule)}; it is left out.`,
      };
    }
    return { allowed: true };
  }

  async authorizeRead(realPath: string, who: Who, signal: AbortSignal): Promise<Access> {
    const v = decideFile('read', realPath, this.rules, this.bases);
    if (v.decision === 'deny')
      return { allowed: false, reason: `Reading ${realPath} is denied by the rule ${quote(v.rule)}.` };
    if (v.decision !== 'ask') return { allowed: true };
    return this.ask(who, signal, {
      tool: 'Read',
      command: `Read ${realPath}`,
      reason: `the rule ${quote(v.rule)} asks before reading it`,
      rules: [],
      sensitive: false,
    });
  }

  async authorizeWrite(tool: 'Write' | 'Edit', realPath: string, who: Who, signal: AbortSignal): Promise<Access> {
    const protection = writeProtection(realPath, this.options.roots, this.options.runsDirs);
    if (protection?.level === 'never') return { allowed: false, reason: `${protection.reason}.` };
    const v = decideFile('edit', realPath, this.rules, this.bases);
    if (v.decision === 'deny')
      return { allowed: false, reason: `Writing ${realPath} is denied by the rule ${quote(v.rule)}.` };
    const command = `${tool} ${realPath}`;
    if (protection) {
      const explicit = v.decision === 'ask' ? undefined : explicitEditAllow(realPath, this.rules, this.bases);
      let verdict: Access = { allowed: true };
      if (!explicit) {
        const rule = `Edit(//${realPath.replace(/\\/g, '/').replace(/^\/+/, '')})`;
        verdict = await this.ask(who, signal, {
          tool,
          command,
          reason: protection.reason,
          rules: [],
          sensitive: true,
          hint: rule,
        });
      }
      // The Workspace backstop refuses this path unless the gate granted it just now.
      if (verdict.allowed) this.options.approvedWrites.grant(realPath);
      return verdict;
    }
    if (v.decision === 'ask')
      return this.ask(who, signal, {
        tool,
        command,
        reason: `the rule ${quote(v.rule)} asks before writing it`,
        rules: [],
        sensitive: false,
      });
    return { allowed: true };
  }

  async authorizeFetch(url: string, who: Who, signal: AbortSignal): Promise<FetchAccess> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: false, reason: `Invalid URL: ${url}` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return { allowed: false, reason: `WebFetch only fetches http and https URLs, not ${parsed.protocol}` };
    const host = normalizeHost(parsed.hostname);
    const v = decideFetch(host, this.rules);
    if (v.decision === 'deny')
      return { allowed: false, reason: `Fetching from ${host} is denied by the rule ${quote(v.rule)}.` };

    let addresses: ResolvedAddress[];
    try {
      addresses = await untilAborted((this.options.resolve ?? resolveHost)(host), signal);
    } catch (e) {
      if (signal.aborted) return { allowed: false, reason: 'The fetch was aborted.' };
      return { allowed: false, reason: `Cannot resolve ${host} (${(e as Error).message}); nothing was fetched.` };
    }
    if (addresses.length === 0)
      return { allowed: false, reason: `${host} resolves to no address; nothing was fetched.` };
    const command = `WebFetch ${parsed.href}`;
    const local = addresses.map((a) => ({ a, why: nonPublicReason(a.address) })).find((x) => x.why);
    let verdict: Access;
    if (local) {
      // Only a rule naming this very IP or localhost name lets a private address through: a rule
      // for a public name (or a wildcard) must not reach this machine because DNS says so.
      const namesItself = net.isIP(host) !== 0 || isLocalhostName(host);
      const explicit = namesItself && v.decision !== 'ask' ? explicitFetchAllow(host, this.rules) : undefined;
      const where = net.isIP(host) ? `${host} is ${local.why}` : `${host} resolves to ${local.a.address}, ${local.why}`;
      verdict = explicit
        ? { allowed: true }
        : await this.ask(who, signal, {
            tool: 'WebFetch',
            command,
            reason: `${where}; a fetch there reaches services on this machine or network (such as the editor's own server), not the web`,
            rules: [],
            sensitive: true,
            ...(namesItself
              ? { hint: `WebFetch(domain:${host})` }
              : {
                  noRule: ` No rule allows a name that resolves to a local address; to fetch it anyway, put the address itself in the URL and allow it with WebFetch(domain:${local.a.address}).`,
                }),
          });
    } else if (v.decision === 'allow') verdict = { allowed: true };
    else {
      const rule = `WebFetch(domain:${host})`;
      verdict = await this.ask(who, signal, {
        tool: 'WebFetch',
        command,
        reason:
          v.decision === 'ask'
            ? `the rule ${quote(v.rule)} asks before fetching from ${host}`
            : `no rule allows fetching from ${host}`,
        rules: v.decision === 'ask' ? [] : [rule],
        sensitive: false,
        hint: rule,
      });
    }
    return verdict.allowed ? { allowed: true, addresses } : verdict;
  }

  private async ask(who: Who, signal: AbortSignal, q: Question): Promise<Access> {
    const why = `${q.command}: ${q.reason}.`;
    if (this.options.headless) {
      if (this.options.headless.yes && !q.sensitive) return { allowed: true };
      const allow = q.hint
        ? ` To allow it, pass --allow '${q.hint}' or add that rule to permissions.allow in your settings${q.sensitive ? ' (--yes does not cover this)' : ''}.`
        : (q.noRule ?? '');
      return { allowed: false, reason: `${why} ${NOBODY}${allow}` };
    }
    const { sensitive: _s, hint: _h, noRule: _n, ...request } = q;
    const key = `${q.tool} ${q.command}`;
    let answer = this.asking.get(key);
    if (!answer) {
      answer = this.options.approver.approveCommand({
        runId: who.runId,
        agentLabel: who.agentLabel,
        ...(who.agentId ? { agentId: who.agentId } : {}),
        ...request,
      });
      this.asking.set(key, answer);
      void answer.finally(() => this.asking.delete(key)).catch(() => undefined);
    }
    let decision: ApprovalAnswer;
    try {
      // While the person decides, the agent's concurrency slot is lent out.
      decision = await untilAborted(who.awaitPerson ? who.awaitPerson(answer) : answer, signal);
    } catch (e) {
      if (signal.aborted) return { allowed: false, reason: 'The agent was stopped while waiting for approval.' };
      return { allowed: false, reason: `Could not ask the person (${(e as Error).message}). ${why}` };
    }
    if (decision === 'deny') return { allowed: false, reason: `The person declined. ${why}` };
    // "always" only saves the rules the question offered; with none offered it counts as once.
    if (decision === 'always' && q.rules?.length) this.remember(q.rules);
    return { allowed: true };
  }

  private remember(texts: string[]): void {
    const added: string[] = [];
    for (const text of texts) {
      if (this.rules.allow.some((r) => r.text === text)) continue;
      this.rules.allow.push({ ...parseRule(text), source: 'always allow' });
      added.push(text);
    }
    if (added.length) this.options.persist?.(added);
  }
}

function quote(rule: Rule): string {
  return `${rule.text}${rule.source ? ` (${rule.source})` : ''}`;
}
