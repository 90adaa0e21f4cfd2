import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { escapeHtml, html, newSessionValue, operatorOfSession } from '../../../src/fleet/dashboard/index.js';

describe('dashboard sessions and escaping', () => {
  const secret = randomBytes(32);

  it('reads back the operator of a session it signed, until it expires', () => {
    const now = Date.UTC(2026, 10, 23);
    const value = newSessionValue(secret, 'alice@ops', now);
    assert.equal(operatorOfSession(secret, value, now + 3_600_000), 'alice@ops');
    assert.equal(operatorOfSession(secret, value, now + 13 * 3_600_000), undefined, 'after 12 hours');
  });

  it('refuses a session signed with another secret, or with the name or expiry changed', () => {
    const value = newSessionValue(secret, 'alice');
    assert.equal(operatorOfSession(randomBytes(32), value), undefined);
    const [, expires, signature] = value.split('.');
    assert.equal(operatorOfSession(secret, `${Buffer.from('admin').toString('base64url')}.${expires ?? ''}.${signature ?? ''}`), undefined);
    assert.equal(operatorOfSession(secret, `${value.split('.')[0] ?? ''}.9999999999999.${signature ?? ''}`), undefined);
    assert.equal(operatorOfSession(secret, 'garbage'), undefined);
  });

  it('escapes every interpolated value unless it is already markup', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    const tag = '<script>alert(1)</script>';
    assert.equal(html`<td>${tag}</td>`.text, '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    assert.equal(html`<tr>${[html`<td>${'a&b'}</td>`, null, undefined, false]}</tr>`.text, '<tr><td>a&amp;b</td></tr>');
  });
});
