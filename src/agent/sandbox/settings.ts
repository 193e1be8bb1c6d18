// The person's sandbox settings, named as in Claude Code's `sandbox` settings block. Read from
// user scope only (~/.claude/settings.json, the host's own settings, DWF_SANDBOX): a cloned
// repository's .claude/settings.json must not be able to switch the sandbox off or open the network.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { domainRulesFrom, type DomainRules } from './network/domainRules';

export interface SandboxSettings {
  /** Run agent commands under bubblewrap when it works here (default true; Claude Code's default is false). */
  enabled: boolean;
  /** Refuse every command when the sandbox cannot run, rather than running it unsandboxed. */
  failIfUnavailable: boolean;
  /** `sandbox.network.allowedDomains`: [] (default) no network; ["*"] all of it; else only these domains. */
  allowedDomains: string[];
  /** `sandbox.network.deniedDomains`: never reachable, whatever allowedDomains says. */
  deniedDomains: string[];
}

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = {
  enabled: true,
  failIfUnavailable: false,
  allowedDomains: [],
  deniedDomains: [],
};

/**
 * none: the command's own network namespace with only loopback. all: the host's network, unfiltered.
 * filtered: no network of its own, HTTP(S) through a proxy that applies the domain rules.
 * `closedBy` says why a configured list still gives no network (a broken deniedDomains entry).
 */
export type NetworkPolicy =
  { kind: 'none'; closedBy?: string } | { kind: 'all' } | { kind: 'filtered'; rules: DomainRules };

/** What the settings mean for the network; bad entries are reported by parseSandboxSettings. */
export function networkPolicy(s: SandboxSettings): NetworkPolicy {
  if (!s.allowedDomains.length) return { kind: 'none' };
  const { rules, denyAll } = domainRulesFrom(s.allowedDomains, s.deniedDomains);
  if (denyAll) return { kind: 'none', closedBy: denyAll };
  if (rules.allowAll && !rules.denied.length) return { kind: 'all' };
  return { kind: 'filtered', rules };
}

/**
 * Merges a `sandbox` settings object over the defaults; unknown or mistyped fields are reported
 * (naming `where`) and ignored rather than failing the run.
 */
export function parseSandboxSettings(
  raw: unknown,
  where: string,
  problems: string[],
  base: SandboxSettings = DEFAULT_SANDBOX_SETTINGS,
): SandboxSettings {
  const out: SandboxSettings = {
    ...base,
    allowedDomains: [...base.allowedDomains],
    deniedDomains: [...base.deniedDomains],
  };
  if (raw === undefined) return out;
  if (!isObject(raw)) {
    problems.push(`${where}: "sandbox" must be an object; ignored`);
    return out;
  }
  for (const key of ['enabled', 'failIfUnavailable'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v === 'boolean') out[key] = v;
    else problems.push(`${where}: "sandbox.${key}" must be true or false; ignored`);
  }
  const network = raw.network;
  if (network !== undefined && !isObject(network))
    problems.push(`${where}: "sandbox.network" must be an object; ignored`);
  else if (network !== undefined) {
    for (const key of ['allowedDomains', 'deniedDomains'] as const) {
      const domains = network[key];
      if (domains === undefined) continue;
      if (Array.isArray(domains) && domains.every((d) => typeof d === 'string')) out[key] = domains as string[];
      else if (key === 'allowedDomains')
        problems.push(`${where}: "sandbox.network.allowedDomains" must be an array of strings; ignored`);
      else {
        // Ignoring a deny list would open what it closes: no network instead.
        problems.push(
          `${where}: "sandbox.network.deniedDomains" must be an array of strings; agent commands get no network until it is fixed`,
        );
        out.allowedDomains = [];
      }
    }
    for (const p of domainRulesFrom(out.allowedDomains, out.deniedDomains).problems) problems.push(`${where}: ${p}`);
  }
  return out;
}

/** `DWF_SANDBOX=require|off|auto` (environment of the person who starts dwf / the editor). */
export function applyEnvOverride(s: SandboxSettings, value: string | undefined, problems: string[]): SandboxSettings {
  const v = value?.trim().toLowerCase();
  if (!v) return s;
  if (v === 'require') return { ...s, enabled: true, failIfUnavailable: true };
  if (v === 'off') return { ...s, enabled: false, failIfUnavailable: false };
  if (v === 'auto') return { ...s, enabled: true };
  problems.push(`DWF_SANDBOX=${JSON.stringify(value)}: expected require, auto or off; ignored`);
  return s;
}

/** The user's `~/.claude/settings.json` `sandbox` block (home = the folder holding `.claude`), then DWF_SANDBOX. */
/** `configDir`: the personal Claude folder (`$CLAUDE_CONFIG_DIR`, else `~/.claude`). */
export function loadUserSandboxSettings(
  configDir: string,
  env: Record<string, string | undefined>,
  problems: string[],
): SandboxSettings {
  const file = path.join(configDir, 'settings.json');
  let settings = DEFAULT_SANDBOX_SETTINGS;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const json: unknown = text.trim() ? JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) : {};
    if (isObject(json)) settings = parseSandboxSettings(json.sandbox, file, problems);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      problems.push(
        `${file}: its sandbox settings cannot be read (${code ?? (e as Error).message}); the defaults apply`,
      );
  }
  return applyEnvOverride(settings, env.DWF_SANDBOX, problems);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
