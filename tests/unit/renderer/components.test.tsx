// @vitest-environment happy-dom
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameDocument } from '../../../renderer/src/components/HtmlBody.tsx';
import { initI18n } from '../../../renderer/src/i18n/index.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

describe('mail HTML frame document', () => {
  it('blocks scripts and remote images unless images are asked for', () => {
    const plain = frameDocument('<img src="https://t.example/p.gif">', false);
    expect(plain).toContain("default-src 'none'");
    expect(plain).toContain('img-src data: cid:;');
    expect(plain).not.toMatch(/script-src/);
    expect(frameDocument('x', true)).toContain('img-src data: cid: https: http:');
  });
});
