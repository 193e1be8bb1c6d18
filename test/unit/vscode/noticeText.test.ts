// quoteCodeSpans: refusal notifications show code as quoted text, not literal backticks.
import assert from 'node:assert/strict';
import { MESSAGES } from '../../../src/core/errors';
import { quoteCodeSpans } from '../../../src/vscode/ui/noticeText';

describe('quoteCodeSpans', () => {
  it('turns the code spans of our messages into quoted text', () => {
    assert.equal(
      quoteCodeSpans(`a.js:1:1: ${MESSAGES.metaFirst}`),
      'a.js:1:1: "export const meta = { name, description, phases }" must be the FIRST statement in the script',
    );
    assert.doesNotMatch(quoteCodeSpans(MESSAGES.htmlComment), /`/);
  });

  it('leaves a code frame on later lines verbatim, and a lone backtick alone', () => {
    assert.equal(quoteCodeSpans('bad `x`\n> 1 | agent(`p ${x}`)'), 'bad "x"\n> 1 | agent(`p ${x}`)');
    assert.equal(quoteCodeSpans('a ` b'), 'a ` b');
  });
});
