// WebFetch: an http(s) GET, redirects followed, text and HTML given back as plain text (HTML tags
// stripped, links kept) within a size cap. Other schemes (file:, data:, ftp:) are refused so the
// tool cannot read local files around the path guard.
import { defineTool, messageOf, toolError } from './define';
import { htmlToText } from './html';
import { capText, looksBinary } from './text';

/** Most bytes read from a response body; the rest is not downloaded. */
export const WEBFETCH_MAX_BYTES = 5 * 1024 * 1024;
export const WEBFETCH_TIMEOUT_MS = 60_000;

interface WebFetchInput { url: string; prompt?: string }

export const webFetchTool = defineTool<WebFetchInput>({
  name: 'WebFetch',
  description: [
    'Fetches a URL (http or https) and returns its content as text: HTML is converted to plain text with links kept as [text](url); JSON, XML and other text are returned as is.',
    '- Redirects are followed; the final URL is shown. Binary content (images, PDFs, archives) is refused.',
    `- Long pages are cut (a note says so). prompt says what you are looking for in the page; the whole text is returned for you to read.`,
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', description: 'The URL to fetch content from' },
      prompt: { type: 'string', description: 'What to look for in the fetched content' },
    },
    required: ['url'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    let url: URL;
    try {
      url = new URL(input.url.trim());
    } catch {
      return toolError(`Invalid URL: ${input.url}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return toolError(`WebFetch only fetches http and https URLs, not ${url.protocol.replace(/:$/, '')}:. Use Read for workspace files.`);
    }

    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(WEBFETCH_TIMEOUT_MS)]);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'follow',
        signal,
        headers: { 'user-agent': 'dynamic-workflows-webfetch/0.1', accept: 'text/html,text/plain,application/json,application/xml;q=0.9,*/*;q=0.5' },
      });
    } catch (e) {
      if (ctx.signal.aborted) return toolError('The fetch was aborted.');
      if (signal.aborted) return toolError(`Fetching ${url.href} timed out after ${WEBFETCH_TIMEOUT_MS} ms.`);
      const cause = (e as { cause?: unknown }).cause;
      return toolError(`Fetching ${url.href} failed: ${messageOf(e)}${cause ? ` (${messageOf(cause)})` : ''}`);
    }

    const type = response.headers.get('content-type') ?? '';
    const mime = type.split(';')[0].trim().toLowerCase();
    if (mime && !isTextual(mime)) {
      await response.body?.cancel().catch(() => undefined);
      return toolError(`${response.url} returned ${mime}, which WebFetch cannot show as text (HTTP ${response.status}).`);
    }
    const body = await readCapped(response, WEBFETCH_MAX_BYTES);
    if (!mime && looksBinary(body.bytes)) return toolError(`${response.url} returned binary content, which WebFetch cannot show as text.`);
    const raw = decode(body.bytes, type);
    const text = mime.includes('html') || (!mime && /^\s*<(!doctype html|html)/i.test(raw)) ? htmlToText(raw, response.url) : raw;

    const head = [`URL: ${response.url}${response.url !== url.href ? ` (redirected from ${url.href})` : ''}`, `HTTP ${response.status} ${response.statusText}`.trim(), mime ? `Content-Type: ${mime}` : ''].filter(Boolean);
    if (body.cut) head.push(`[Only the first ${WEBFETCH_MAX_BYTES} bytes of the response were read.]`);
    const capped = capText(text, ctx.limits.outputChars, 'The rest of the page was left out.');
    const content = `${head.join('\n')}\n\n${capped.text}`;
    return response.ok ? { content } : toolError(content);
  },
});

function isTextual(mime: string): boolean {
  return mime.startsWith('text/') || /^application\/(json|xml|javascript|ecmascript|x-javascript|x-www-form-urlencoded|x-sh|toml|yaml|x-yaml|graphql)$/.test(mime)
    || mime.endsWith('+json') || mime.endsWith('+xml');
}

async function readCapped(response: Response, max: number): Promise<{ bytes: Buffer; cut: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), cut: false };
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), cut: false };
    chunks.push(Buffer.from(value));
    size += value.byteLength;
    if (size >= max) {
      await reader.cancel().catch(() => undefined); // stop downloading the rest
      return { bytes: Buffer.concat(chunks).subarray(0, max), cut: true };
    }
  }
}

function decode(bytes: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // unknown charset label
  }
}
