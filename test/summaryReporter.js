// Mocha's spec output plus one plain closing line, "N passed, N failed", that CI reads.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0, pending: 0 };
      const skipped = s.pending ? `, ${s.pending} skipped` : '';
      // Printed after Spec's epilogue so it is the last line.
      process.nextTick(() => console.log(`\n${s.passes} passed, ${s.failures} failed${skipped}`));
    });
  }
}
module.exports = SummaryReporter;
