// The engine's connection string never reaches a person's screen with its password.
import assert from 'node:assert/strict';
import { engineUrlFrom, maskEngineUrl, maskedUrl } from '../../../src/host/remote/engineUrl';

describe('remote engine URL', () => {
  const url = 'postgresql://dwf:s3cret%2Fpw@127.0.0.1:5432/dwf';

  it('--engine wins over DWF_ENGINE_URL; blank is none', () => {
    assert.equal(engineUrlFrom(' postgresql://a@127.0.0.1/x ', { DWF_ENGINE_URL: url }), 'postgresql://a@127.0.0.1/x');
    assert.equal(engineUrlFrom(undefined, { DWF_ENGINE_URL: url }), url);
    assert.equal(engineUrlFrom(undefined, { DWF_ENGINE_URL: '  ' }), undefined);
  });

  it('masks the password in the URL and anywhere in a message, encoded or not', () => {
    assert.equal(maskedUrl(url), 'postgresql://dwf:***@127.0.0.1:5432/dwf');
    const message = `connect to ${url} failed; password "s3cret/pw" rejected (s3cret%2Fpw)`;
    const masked = maskEngineUrl(message, url);
    assert.doesNotMatch(masked, /s3cret/);
    assert.match(masked, /postgresql:\/\/dwf:\*\*\*@127\.0\.0\.1:5432\/dwf/);
    assert.equal(maskedUrl('not a url'), '<engine url>');
  });
});
