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
