// @vitest-environment happy-dom
/**
 * The mail frame's rules as code (renderer/src/components/mail-frame.ts, HtmlBody.tsx). What they
 * do in a real browser is tested in tests/security/bridge-mail-frame.test.ts; these catch a rule
 * edited away without a browser: the sandbox gaining a permission, the cleaning losing an element.
 */
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HtmlBody } from '../../../renderer/src/components/HtmlBody.tsx';
import { followableUrl, frameDocument, guardLinks } from '../../../renderer/src/components/mail-frame.ts';
import { initI18n } from '../../../renderer/src/i18n/index.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

describe('the mail frame', () => {
  it('is sandboxed with allow-same-origin only: never scripts, popups, forms or top navigation', () => {
    const { getByTestId } = render(<HtmlBody html="<p>Buongiorno</p>" confirmLink={() => false} />);
    const frame = getByTestId('html-body') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')?.trim().split(/\s+/)).toEqual(['allow-same-origin']);
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.hasAttribute('srcdoc')).toBe(false);
  });

  it("its document allows no script, no request but images, no form, no mail's own referrer rules", () => {
    const doc = frameDocument(
      `<html><head><meta name="referrer" content="unsafe-url"><link rel="prefetch" href="https://t.test/p">
       <style>p{color:red}</style><base href="https://t.test/"></head>
       <body onload="x()"><p>Testo</p><a href="https://a.test/" target="_top" ping="https://t.test/">a</a>
       <img src="https://t.test/i.png" referrerpolicy="unsafe-url"><script>x()</script>
       <iframe src="https://t.test/"></iframe><object data="https://t.test/o"></object>
       <template shadowrootmode="open"><link rel="prefetch" href="https://t.test/s"></template></body></html>`,
      true,
    );
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(doc)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain('img-src data: cid: https: http:;');
    expect(csp).not.toMatch(/script-src|connect-src|prefetch/);
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
    expect(doc.match(/<meta /g)).toHaveLength(3);
    for (const gone of [
      'unsafe-url',
      'prefetch',
      'https://t.test/"',
      '<script',
      '<iframe',
      '<object',
      '<template',
      'onload',
      'ping=',
      'target="_top"',
      'referrerpolicy',
    ])
      expect(doc, gone).not.toContain(gone);
    expect(doc).toContain('<style>p{color:red}</style>');
    expect(doc).toContain('<p>Testo</p>');
    expect(doc).toContain('src="https://t.test/i.png"');
    expect(frameDocument('<img src="https://t.test/i.png">', false)).toContain('img-src data: cid:;');
  });

  it('offers only web and mail addresses, without credentials', () => {
    const base = 'blob:http://127.0.0.1:4780/0b6c';
    expect(followableUrl('https://www.agid.gov.it/', base)).toBe('https://www.agid.gov.it/');
    expect(followableUrl(' mailto:a@pec.test ', base)).toBe('mailto:a@pec.test');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'relative/page',
      'https://bank.test@evil.test/',
    ])
      expect(followableUrl(bad, base), bad).toBeNull();
    expect(followableUrl(null, base)).toBeNull();
  });

  it('stops every activation of a link and hands only the middle and primary buttons to follow', () => {
    document.body.innerHTML =
      '<a id="a" href="https://a.test/"><b id="inner">a</b></a><map><area id="area" href="https://b.test/"></map><p id="p">x</p>';
    const follow = vi.fn();
    guardLinks(document, follow);
    const fire = (id: string, type: string, button = 0) => {
      const event = new MouseEvent(type, { bubbles: true, cancelable: true, button });
      document.getElementById(id)!.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(fire('inner', 'click')).toBe(true);
    expect(fire('area', 'click')).toBe(true);
    expect(fire('a', 'auxclick', 1)).toBe(true);
    expect(fire('a', 'auxclick', 2)).toBe(true);
    expect(fire('p', 'click')).toBe(false);
    expect(follow.mock.calls).toEqual([['https://a.test/'], ['https://b.test/'], ['https://a.test/']]);
  });
});
