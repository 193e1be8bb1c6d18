// Driving the VS Code workbench the way a person does (keyboard, palette, activity bar) and
// reading the Runs tree from the DOM, for scripts/e2e.mjs. Selectors are the workbench's own
// (VS Code 1.139 in code-server 4.139); each helper names what it waited for when it fails.

/** The Runs view's tree (the Workflows container also holds other views). */
const RUNS = '.pane:has(> .pane-header[aria-label^="Runs"]) .customview-tree';

/** The quick input (palette / Quick Open) row whose label contains `text`. */
async function pickQuickInput(page, text, reopen) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  // Right after start-up a command can be missing from the palette until context keys such as
  // isWorkspaceTrusted settle; like a person, close the palette and open it again.
  for (let attempt = 1; ; attempt++) {
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially(text, { delay: 15 });
    const found = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    if (found) break;
    if (!reopen || attempt === 3) throw new Error(`"${text}" is not in the quick input`);
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    await page.waitForTimeout(1000);
    await reopen();
  }
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Ctrl+P, the file's name, Enter; waits for its editor tab. `firstTime`: wait for the explorer to
 * list the file first (later the side bar shows the Runs view instead).
 */
export async function openFromQuickOpen(page, fileName, { firstTime = true } = {}) {
  // The explorer lists the folder once the workbench and its file service are up.
  if (firstTime) await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('Control+P');
  // Quick Open can come up before the file search has indexed the folder: reopen like a person.
  await pickQuickInput(page, fileName, () => page.keyboard.press('Control+P'));
  await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/**
 * F1, the command's title, Enter. When a modal dialog follows (the pre-run confirmation), presses
 * its `confirm` button; returns whether there was one.
 */
export async function runFromPalette(page, title, { confirm } = {}) {
  await page.keyboard.press('F1');
  await pickQuickInput(page, title, () => page.keyboard.press('F1'));
  if (!confirm) return false;
  const dialog = page.locator('.monaco-dialog-box');
  const started = page.locator(`${RUNS} .monaco-list-row`);
  // Either the dialog shows up, or the run starts without one (the Runs view reveals it).
  for (const until = Date.now() + 30_000; Date.now() < until; await page.waitForTimeout(100)) {
    if (await dialog.isVisible()) {
      await dialog.getByRole('button', { name: confirm, exact: typeof confirm === 'string' }).click();
      return true;
    }
    if (await started.first().isVisible()) return false;
  }
  throw new Error(`neither a dialog nor a run appeared after "${title}"`);
}

/**
 * Opens the Workflows container from the activity bar unless it is showing. The extension reveals
 * a new run by itself, and a click on the icon of the active container would close it again, so
 * this waits for that first and clicks only an icon that is not checked.
 */
export async function showRunsView(page) {
  const tree = page.locator(RUNS).first();
  const appeared = await tree.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
  if (appeared) return collapseOtherViews(page);
  const item = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="Workflows"]') });
  if (!/\bchecked\b/.test((await item.getAttribute('class')) ?? '')) await item.click();
  await tree.waitFor({ state: 'visible' });
  await collapseOtherViews(page);
}

/** Collapses the container's other views (Saved …) so the Runs tree gets the whole height. */
export async function collapseOtherViews(page) {
  const others = page.locator('#workbench\\.view\\.extension\\.dynamicWorkflows .pane-header.expanded:not(.hidden):not([aria-label^="Runs"])');
  for (let i = await others.count(); i > 0; i--) await others.first().click();
}

/** Drags the sash between the side bar and the editor so tree labels and descriptions fit. */
export async function widenSideBar(page, width) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || sidebar.width >= width) return;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Clicks the twistie of every collapsed row in view, as a person opening the tree would; returns
 * how many it expanded. Rows whose children came after the row itself (a phase, then its agents)
 * render collapsed in the workbench, whatever the TreeItem asked for.
 */
export async function expandCollapsed(page) {
  let n = 0;
  for (; n < 100; n++) {
    const row = page.locator(`${RUNS} .monaco-list-row[aria-expanded="false"]`).first();
    if (!(await row.isVisible().catch(() => false))) break;
    await row.locator('.monaco-tl-twistie').click();
    await page.waitForTimeout(50);
  }
  return n;
}

/** Before a screenshot: no row selected or hovered (expanding by hand selects rows). */
export async function settle(page) {
  const tree = page.locator(`${RUNS} .monaco-list`).first();
  if (await tree.isVisible()) {
    await tree.focus();
    await page.keyboard.press('Escape'); // list.clear: drops selection and focus
  }
  const editor = await page.locator('.part.editor').boundingBox();
  if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height - 20);
}

/** The rendered rows of the Runs tree: label, description, codicon name, depth. */
export function treeRows(page) {
  return page.$$eval(`${RUNS} .monaco-list-row`, (rows) =>
    rows.map((row) => {
      const icon = row.querySelector('.custom-view-tree-node-item-icon');
      const codicon = icon ? [...icon.classList].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin') : undefined;
      return {
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        icon: codicon?.slice('codicon-'.length),
        level: Number(row.getAttribute('aria-level') ?? 0),
        expanded: row.getAttribute('aria-expanded'),
        top: parseFloat(row.style.top || '0'),
      };
    }),
  );
}

/**
 * Every row of the tree, scrolling through it: the list is virtual, so only rows in view exist in
 * the DOM. Scrolls back to the top afterwards.
 */
export async function collectTree(page) {
  const list = page.locator(`${RUNS} .monaco-list`).first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the Runs tree is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const byTop = new Map();
  for (let i = 0; i < 50; i++) {
    const before = byTop.size;
    for (const r of await treeRows(page)) byTop.set(r.top, r);
    if (i > 0 && byTop.size === before) break;
    await page.mouse.wheel(0, box.height / 2);
    await page.waitForTimeout(150);
  }
  // Back to the top for the screenshot: Home focuses and reveals the first row, Escape drops the
  // focus and selection again.
  await list.focus();
  await page.keyboard.press('Home');
  await page.waitForTimeout(300);
  await page.keyboard.press('Escape');
  return [...byTop.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/**
 * Hovers the Runs tree row labelled `label` and clicks its inline action named `action`. Of several
 * rows with that label the topmost: runs are listed newest first, and the virtual list's DOM keeps
 * its rows in no particular order.
 */
export async function clickRowAction(page, label, action) {
  const rows = page.locator(`${RUNS} .monaco-list-row`, { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  const tops = await rows.evaluateAll((els) => els.map((el) => parseFloat(el.style.top || '0')));
  if (tops.length === 0) throw new Error(`no "${label}" row in the Runs tree`);
  const row = rows.nth(tops.indexOf(Math.min(...tops)));
  await row.hover();
  await row.locator(`.actions .action-label[aria-label^="${action}"]`).click();
}

/** The topmost rendered row labelled `label` (the newest run of that name), or undefined. */
export async function newestRow(page, label) {
  const rows = (await treeRows(page)).filter((r) => r.label === label);
  return rows.sort((a, b) => a.top - b.top)[0];
}

/**
 * The rows under the newest run labelled `label`, with its collapsed groups opened by hand first:
 * a big parallel group starts collapsed, and the agents to check may sit inside it.
 */
export async function openRunRows(page, label) {
  for (let i = 0; i < 30; i++) {
    const rows = (await treeRows(page)).sort((a, b) => a.top - b.top);
    const start = rows.findIndex((r) => r.label === label);
    if (start < 0) return [];
    const under = [];
    for (let j = start + 1; j < rows.length && rows[j].level > rows[start].level; j++) under.push(rows[j]);
    const closed = [rows[start], ...under].find((r) => r.expanded === 'false');
    if (!closed) return under;
    const candidates = page.locator(`${RUNS} .monaco-list-row[aria-expanded="false"]`);
    const tops = await candidates.evaluateAll((els) => els.map((el) => parseFloat(el.style.top || '0')));
    await candidates.nth(tops.indexOf(closed.top)).locator('.monaco-tl-twistie').click();
    await page.waitForTimeout(100);
  }
  throw new Error(`the rows under "${label}" kept collapsed groups after 30 clicks`);
}

/** The editor's cursor from the status bar ("Ln 10, Col 1"): { line, column }, or undefined. */
export async function cursorFromStatusBar(page) {
  const text = await page.locator('#status\\.editor\\.selection').textContent({ timeout: 5000 }).catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text ?? '');
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}
