// WebFetch: an http(s) GET, redirects followed, text given back as it is and HTML as Markdown
// (converted off the main thread, links absolute) within a size cap. Other schemes (file:, data:, ftp:) are refused so the
// tool cannot read local files around the path guard. The access gate authorizes the URL and
// every redirect (domain rules; loopback and private addresses ask), and the connection goes to
// the addresses it checked, so a second DNS answer cannot point the request elsewhere.
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { defineTool, messageOf, toolError } from './define';
import { pageToMarkdown } from './pageText';
import { capText, looksBinary } from './text';

/** Most bytes read from a response body; the rest is not downloaded. */
export const WEBFETCH_MAX_BYTES = 5 * 1024 * 1024;
export const WEBFETCH_TIMEOUT_MS = 60_000;
/** Redirects followed per fetch (each one authorized like the first URL). */
export const WEBFETCH_MAX_REDIRECTS = 10;

interface WebFetchInput {
  url: string;
  prompt?: string;
}

export const webFetchTool = defineTool<WebFetchInput>({
  name: 'WebFetch',
  description: [
    'Fetches a URL (http or https) and returns its content as text: HTML is converted to Markdown (headings, lists, tables as rows, code blocks, links as absolute [text](url)); JSON, XML and other text are returned as is.',
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
      return toolError(
        `WebFetch only fetches http and https URLs, not ${url.protocol.replace(/:$/, '')}:. Use Read for workspace files.`,
      );
    }

    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(WEBFETCH_TIMEOUT_MS)]);
    let current = url;
    let response: Response;
    for (let hop = 0; ; hop++) {
      // Every hop is authorized on its own: a public page may redirect to 127.0.0.1.
      const access = await ctx.access.authorizeFetch(current.href, ctx.signal);
      if (!access.allowed)
        return toolError(
          hop === 0 ? access.reason : `${url.href} redirected to ${current.href}, which was refused: ${access.reason}`,
        );
      try {
        response = await request(current, access.addresses, signal);
      } catch (e) {
        if (ctx.signal.aborted) return toolError('The fetch was aborted.');
        if (signal.aborted) return toolError(`Fetching ${current.href} timed out after ${WEBFETCH_TIMEOUT_MS} ms.`);
        return toolError(`Fetching ${current.href} failed: ${messageOf(e)}`);
      }
      const location = REDIRECTS.has(response.status) ? response.headers.location : undefined;
      if (!location) break;
      response.body.destroy();
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return toolError(`${current.href} redirected to an invalid URL: ${location}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        return toolError(
          `${current.href} redirected to ${next.protocol} URL ${next.href}; WebFetch only follows http and https.`,
        );
      if (hop + 1 > WEBFETCH_MAX_REDIRECTS)
        return toolError(
          `Fetching ${url.href} failed: more than ${WEBFETCH_MAX_REDIRECTS} redirects (last to ${next.href}).`,
        );
      current = next;
    }

    const type = header(response.headers['content-type']);
    const mime = type.split(';')[0].trim().toLowerCase();
    if (mime && !isTextual(mime)) {
      response.body.destroy();
      return toolError(
        `${response.url} returned ${mime}, which WebFetch cannot show as text (HTTP ${response.status}).`,
      );
    }
    let body: { bytes: Buffer; cut: boolean };
    try {
      body = await readCapped(response, WEBFETCH_MAX_BYTES, signal);
    } catch (e) {
      if (ctx.signal.aborted) return toolError('The fetch was aborted.');
      return toolError(`Reading ${response.url} failed: ${messageOf(e)}`);
    }
    if (!mime && looksBinary(body.bytes))
      return toolError(`${response.url} returned binary content, which WebFetch cannot show as text.`);
    const raw = decode(body.bytes, type);
    const text =
      mime.includes('html') || (!mime && /^\s*<(!doctype html|html)/i.test(raw))
        ? await pageToMarkdown(raw, response.url)
        : raw;

    const head = [
      `URL: ${response.url}${response.url !== url.href ? ` (redirected from ${url.href})` : ''}`,
      `HTTP ${response.status} ${response.statusText}`.trim(),
      mime ? `Content-Type: ${mime}` : '',
    ].filter(Boolean);
    if (body.cut) head.push(`[Only the first ${WEBFETCH_MAX_BYTES} bytes of the response were read.]`);
    const capped = capText(text, ctx.limits.outputChars, 'The rest of the page was left out.');
    const content = `${head.join('\n')}\n\n${capped.text}`;
    return response.status >= 200 && response.status < 300 ? { content } : toolError(content);
  },
});

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Response {
  url: string;
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The body, decompressed. */
  body: Readable;
}

type Pinned = { address: string; family: 4 | 6 }[] | undefined;

/**
 * One GET with node:http(s). When the gate gave addresses, the connection goes to them and no
 * other (the name is not looked up again), while TLS still checks the certificate for the name.
 */
function request(url: URL, pinned: Pinned, signal: AbortSignal): Promise<Response> {
  const lookup: net.LookupFunction | undefined = pinned?.length
    ? (_host, options, callback) => {
        const family = typeof options === 'object' && options.family ? options.family : 0;
        const usable = pinned.filter((a) => !family || a.family === family);
        const list = usable.length ? usable : pinned;
        if (typeof options === 'object' && options.all)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, list);
        else callback(null, list[0].address, list[0].family);
      }
    : undefined;
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'GET',
        signal,
        // A fresh connection per request: a pooled socket to an address checked for an earlier
        // fetch of this host must not carry a fetch whose check saw other addresses.
        agent: false,
        ...(lookup ? { lookup } : {}),
        headers: {
          'user-agent': 'dynamic-workflows-webfetch/0.1',
          accept: 'text/html,text/plain,application/json,application/xml;q=0.9,*/*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        },
      },
      (res) => {
        const encoding = header(res.headers['content-encoding']).trim().toLowerCase();
        const decoder =
          encoding === 'gzip' || encoding === 'x-gzip'
            ? zlib.createGunzip()
            : encoding === 'deflate'
              ? zlib.createInflate()
              : encoding === 'br'
                ? zlib.createBrotliDecompress()
                : undefined;
        const body: Readable = decoder ? res.pipe(decoder) : res;
        if (decoder) {
          res.on('error', (e) => decoder.destroy(e));
          // Stopping the decoder must also stop the download under it.
          decoder.on('close', () => res.destroy());
        }
        resolve({
          url: url.href,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body,
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function header(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function isTextual(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    /^application\/(json|xml|javascript|ecmascript|x-javascript|x-www-form-urlencoded|x-sh|toml|yaml|x-yaml|graphql)$/.test(
      mime,
    ) ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml')
  );
}

async function readCapped(
  response: Response,
  max: number,
  signal: AbortSignal,
): Promise<{ bytes: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const body = response.body;
  const onAbort = () => body.destroy(new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buf);
      size += buf.byteLength;
      if (size >= max) {
        body.destroy(); // stop downloading the rest
        return { bytes: Buffer.concat(chunks).subarray(0, max), cut: true };
      }
    }
    return { bytes: Buffer.concat(chunks), cut: false };
  } finally {
    signal.removeEventListener('abort', onAbort);
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
