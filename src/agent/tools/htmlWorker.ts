// Worker thread for WebFetch's HTML conversion (pageText.ts): the parser runs here, where the
// parent can terminate it, so a page built to be slow to parse never holds the host's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { htmlToMarkdown } from './html';

const { html, baseUrl } = workerData as { html: string; baseUrl?: string };
parentPort?.postMessage(htmlToMarkdown(html, baseUrl));
