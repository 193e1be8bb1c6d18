// The engine's connection string: from `--engine` or DWF_ENGINE_URL, never printed. Every message
// that may carry it (pg and DBOS errors quote it at times) goes through maskEngineUrl first.
export const ENGINE_ENV = 'DWF_ENGINE_URL';

/** `--engine` wins over the environment; undefined when neither is set. */
export function engineUrlFrom(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const url = (flag ?? env[ENGINE_ENV])?.trim();
  return url || undefined;
}

/** The URL with its password replaced by `***` (what may appear in messages). */
export function maskedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<engine url>';
  }
}

/** `text` with the connection string and its password replaced, for errors shown to a person. */
export function maskEngineUrl(text: string, url: string): string {
  let out = text.split(url).join(maskedUrl(url));
  try {
    // As written in the URL (percent-encoded) and as the server sees it.
    const raw = new URL(url).password;
    for (const password of [raw, decodeURIComponent(raw)]) if (password) out = out.split(password).join('***');
  } catch {
    // Not a URL: nothing more to hide than the string itself.
  }
  return out;
}

/** How long DBOS's connections may sit idle inside a transaction (DBOS's own default). */
const IDLE_IN_TRANSACTION_MS = 60_000;

/**
 * The URL DBOS connects with: the idle-in-transaction limit that DBOS would SET on each new
 * connection is given at connection start (`options`), so DBOS skips its SET — which, queued
 * ahead of the borrower's first query, made pg 8.23 print a DeprecationWarning on every terminal.
 */
export function dbosEngineUrl(url: string): string {
  try {
    const u = new URL(url);
    const options = u.searchParams.get('options') ?? '';
    if (options.includes('idle_in_transaction_session_timeout')) return url;
    const limit = `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`;
    u.searchParams.set('options', options ? `${options} ${limit}` : limit);
    return u.toString();
  } catch {
    return url; // not a URL: DBOS sets the limit itself, as before
  }
}
