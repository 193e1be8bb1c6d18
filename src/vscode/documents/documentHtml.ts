// The page around a rendered transcript or run document in its webview. Pure.
//
// The body is Markdown rendered by VS Code's own engine from our document, where every untrusted
// string is already fenced or escaped; the page adds a second wall: a CSP with no scripts, no
// images, no fonts, no connections and no frames, and styles only from our nonce'd <style>.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The whole Markdown as preformatted text: what shows when the Markdown engine is not there. */
export function plainBody(markdown: string): string {
  return `<pre class="plain">${escapeHtml(markdown)}</pre>`;
}

export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'none'; script-src 'none'; font-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.5; padding: 0 24px 48px; max-width: 1000px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 2px; } h3 { font-size: 1.1em; } h4 { font-size: 1em; }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px 12px; overflow-x: auto; border-radius: 3px; }
pre.plain { white-space: pre-wrap; }
code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--vscode-textBlockQuote-border); }
.hljs-addition { background: var(--vscode-diffEditor-insertedTextBackground); display: inline-block; width: 100%; }
.hljs-deletion { background: var(--vscode-diffEditor-removedTextBackground); display: inline-block; width: 100%; }
`;

export function documentHtml(title: string, body: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce)}">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}
