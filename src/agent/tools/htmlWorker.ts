// Worker thread for WebFetch's page conversion (pageText.ts): the parsers run here, where the
// parent can terminate them, so a page built to be slow to parse never holds the host's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { htmlToMarkdown, stripTags } from './html';
import type { PageConversion } from './pageText';

const { html, baseUrl, conversion } = workerData as { html: string; baseUrl?: string; conversion: PageConversion };
parentPort?.postMessage(conversion === 'markdown' ? htmlToMarkdown(html, baseUrl) : stripTags(html));
