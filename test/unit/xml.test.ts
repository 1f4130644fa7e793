// escapeXml (src/protocol/xml.ts): what a stored value becomes inside an XML element.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml } from '../../src/protocol/xml.js';

describe('escapeXml', () => {
  it('escapes markup characters and leaves other text alone', () => {
    assert.equal(escapeXml('plain text, é 😀'), 'plain text, é 😀');
    assert.equal(escapeXml('a & b < c > d "e"'), 'a &amp; b &lt; c &gt; d &quot;e&quot;');
  });

  it('keeps tab, LF and CR, which XML 1.0 allows', () => {
    assert.equal(escapeXml('a\tb\nc\r\nd'), 'a\tb\nc\r\nd');
  });

  it('drops characters XML 1.0 cannot carry: C0 controls, U+FFFE/U+FFFF, unpaired surrogates', () => {
    assert.equal(escapeXml('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg'), 'abcdefg');
    assert.equal(escapeXml('x\uFFFEy\uFFFFz'), 'xyz');
    assert.equal(
      escapeXml('lone \uD800 high, lone \uDC00 low, pair \uD83D\uDE00 kept'),
      'lone  high, lone  low, pair \uD83D\uDE00 kept',
    );
    assert.equal(escapeXml('\u0001<&>'), '&lt;&amp;&gt;');
  });
});
