// The engine's connection string never reaches a person's screen with its password.
import assert from 'node:assert/strict';
import { dbosEngineUrl, engineUrlFrom, maskEngineUrl, maskedUrl } from '../../../src/host/remote/engineUrl';

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

  it("DBOS's URL carries the idle-in-transaction limit as a start-up option (no per-connection SET), password still masked", () => {
    const opts = (u: string) => new URL(u).searchParams.get('options');
    assert.equal(opts(dbosEngineUrl(url)), '-c idle_in_transaction_session_timeout=60000');
    assert.equal(new URL(dbosEngineUrl(url)).password, 's3cret%2Fpw', 'the credentials are untouched');
    const withOptions = `${url}?options=${encodeURIComponent('-c statement_timeout=5000')}`;
    assert.equal(
      opts(dbosEngineUrl(withOptions)),
      '-c statement_timeout=5000 -c idle_in_transaction_session_timeout=60000',
    );
    const own = `${url}?options=${encodeURIComponent('-c idle_in_transaction_session_timeout=1000')}`;
    assert.equal(dbosEngineUrl(own), own, "the person's own limit wins");
    assert.equal(dbosEngineUrl('host=127.0.0.1 dbname=dwf'), 'host=127.0.0.1 dbname=dwf');
    assert.doesNotMatch(maskEngineUrl(`connect to ${dbosEngineUrl(url)} failed`, url), /s3cret/);
  });
});
