// Argument parsing for every command on node:util's parseArgs (strict: unknown flags are usage
// errors, exit 2), plus the value checks parseArgs leaves to us.
import { parseArgs } from 'node:util';
import { parseArgsText } from '../core';

/** Bad command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: OptionValues;
  positionals: string[];
}

/** Parses one command's arguments; `-h/--help` is always accepted. */
export function parseCommand(
  command: string,
  argv: string[],
  options: OptionSpec,
  positionals: { min: number; max: number; names: string },
): Parsed {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (e) {
    throw new UsageError((e as Error).message, command);
  }
  if (parsed.values.help) return parsed;
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}`, command);
  if (n > positionals.max)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`, command);
  return parsed;
}

/** A whole number ≥ 1, or undefined when the flag was not given. */
export function positiveInt(values: OptionValues, flag: string, command: string): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`--${flag} expects a whole number ≥ 1, got ${JSON.stringify(raw)}`, command);
  }
  return Number(s);
}

/** A finite number > 0 (e.g. dollars: `--max-cost 2.50`), or undefined when the flag was not given. */
export function positiveNumber(values: OptionValues, flag: string, command: string, unit: string): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const n = Number(s);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s) || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(
      `--${flag} expects a number of ${unit} > 0 (e.g. 5 or 2.50), got ${JSON.stringify(raw)}`,
      command,
    );
  }
  return n;
}

/** A whole number within [min, max], or undefined when the flag was not given. */
export function intInRange(
  values: OptionValues,
  flag: string,
  command: string,
  min: number,
  max: number,
  unit: string,
): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) {
    throw new UsageError(
      `--${flag} expects a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      command,
    );
  }
  return n;
}

/** `--args`, read as core/argsText reads every host's args text; broken JSON is a usage error. */
export function scriptArgs(raw: string, command: string): { args: unknown; given: boolean } {
  const parsed = parseArgsText(raw, '--args');
  if (!parsed.ok) throw new UsageError(parsed.error, command);
  return parsed;
}

export function str(values: OptionValues, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: OptionValues, flag: string): string[] {
  const v = values[flag];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
