// `npm test`: the unit suite (plain Node), the host suite (a real VS Code extension host), the
// end-to-end test (the packaged .vsix driven in Chromium) and the remote suite (PostgreSQL + dwf workers),
// each streamed as it runs; the last line sums all runners' "N passed, N failed" lines.
import { spawn } from 'node:child_process';

function run(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let summary;
    let buf = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) {
        const m = /^(\d+) passed, (\d+) failed/.exec(l.trim());
        // test:host runs several sessions (one folder each), each closing with its own line: they add up.
        if (m) summary = { passed: (summary?.passed ?? 0) + Number(m[1]), failed: (summary?.failed ?? 0) + Number(m[2]) };
      }
    });
    child.on('close', (code) => resolve({ code, summary }));
  });
}

const totals = { passed: 0, failed: 0 };
let exit = 0;
// Debian packages the unit suite uses too (bubblewrap, ripgrep) and the VS Code host's tools; an
// install that fails leaves nothing to test.
const tools = await run('host-tools');
if (tools.code !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(tools.code || 1);
}
for (const script of ['test:unit', 'test:host', 'test:e2e', 'test:remote']) {
  const { code, summary } = await run(script);
  if (summary) {
    totals.passed += summary.passed;
    totals.failed += summary.failed;
  }
  if (code !== 0) {
    exit = code || 1;
    // A suite that died before its summary still counts as a failure.
    if (!summary || summary.failed === 0) totals.failed += 1;
  }
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(exit);
