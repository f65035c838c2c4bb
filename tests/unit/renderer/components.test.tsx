// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ThreadView } from '../../../main/api/contract.ts';
import { frameDocument } from '../../../renderer/src/components/HtmlBody.tsx';
import { StatusBadge } from '../../../renderer/src/components/StatusBadge.tsx';
import { ThreadTimeline } from '../../../renderer/src/components/ThreadTimeline.tsx';
import { initI18n } from '../../../renderer/src/i18n/index.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

const thread: ThreadView = {
  id: 1,
  msgid: '<m0@x>',
  identificativo: 'opec1@pec.alfa.test',
  subject: 'Contratto',
  sender: 'studio@pec.alfa.test',
  direction: 'sent',
  state: 'partial',
  acceptedAt: '2026-11-25T09:00:00.000Z',
  recipients: [
    {
      address: 'a@pec.beta.test',
      type: 'certificato',
      state: 'delivered',
      stateAt: '2026-11-25T09:00:05.000Z',
      provider: 'Beta PEC S.p.A.',
      error: null,
      errorDetail: null,
      receiptMessageId: 3,
    },
    {
      address: 'b@pec.beta.test',
      type: 'certificato',
      state: 'failed',
      stateAt: '2026-11-25T09:00:06.000Z',
      provider: 'Beta PEC S.p.A.',
      error: 'no-dest',
      errorDetail: '5.1.1 - indirizzo non valido',
      receiptMessageId: 4,
    },
    {
      address: 'c@example.it',
      type: 'esterno',
      state: 'no-proof',
      stateAt: null,
      provider: null,
      error: null,
      errorDetail: null,
      receiptMessageId: null,
    },
  ],
  members: [
    {
      id: 1,
      kind: 'ordinary',
      date: '2026-11-25T08:59:59.000Z',
      signatureVerdict: 'unsigned',
      deliveryAddress: null,
      provider: null,
      identificativo: null,
      errorDetail: null,
    },
    {
      id: 2,
      kind: 'accettazione',
      date: '2026-11-25T09:00:00.000Z',
      signatureVerdict: 'valid',
      deliveryAddress: null,
      provider: 'Alfa PEC S.p.A.',
      identificativo: 'opec1@pec.alfa.test',
      errorDetail: null,
    },
    {
      id: 3,
      kind: 'avvenuta-consegna',
      date: '2026-11-25T09:00:05.000Z',
      signatureVerdict: 'valid',
      deliveryAddress: 'a@pec.beta.test',
      provider: 'Beta PEC S.p.A.',
      identificativo: 'opec1@pec.alfa.test',
      errorDetail: null,
    },
    {
      id: 4,
      kind: 'errore-consegna',
      date: '2026-11-25T09:00:06.000Z',
      signatureVerdict: 'valid',
      deliveryAddress: 'b@pec.beta.test',
      provider: 'Beta PEC S.p.A.',
      identificativo: 'opec1@pec.alfa.test',
      errorDetail: '5.1.1 - indirizzo non valido',
    },
  ],
};

describe('StatusBadge', () => {
  it('says the state of a sent PEC in the words of the UI', () => {
    render(
      <StatusBadge
        row={{ threadState: 'accepted', direction: 'sent', deliveredCount: 2, recipientCount: 3 }}
      />,
    );
    expect(screen.getByText('Consegnata 2 di 3')).toBeTruthy();
    cleanup();
    render(
      <StatusBadge
        row={{ threadState: 'delivered', direction: 'sent', deliveredCount: 3, recipientCount: 3 }}
      />,
    );
    expect(screen.getByText('Consegnata').className).toContain('badge-ok');
    cleanup();
    render(
      <StatusBadge
        row={{ threadState: 'rejected', direction: 'sent', deliveredCount: 0, recipientCount: 1 }}
      />,
    );
    expect(screen.getByText('Non accettata').className).toContain('badge-danger');
  });

  it('shows nothing for received mail', () => {
    const { container } = render(
      <StatusBadge
        row={{ threadState: 'received', direction: 'received', deliveredCount: 0, recipientCount: 0 }}
      />,
    );
    expect(container.textContent).toBe('');
  });
});

describe('ThreadTimeline', () => {
  it('shows sent, acceptance and each recipient, the failure reason, and opens receipts', () => {
    const onOpen = vi.fn();
    render(<ThreadTimeline thread={thread} onOpen={onOpen} />);
    expect(screen.getByText('Inviata')).toBeTruthy();
    expect(screen.getByTestId('step-acceptance').textContent).toContain('25/11/2026 10:00');
    const steps = screen.getAllByTestId('step-recipient');
    expect(steps.map((s) => s.getAttribute('data-state'))).toEqual(['delivered', 'failed', 'no-proof']);
    expect(steps[1]!.textContent).toContain('5.1.1 - indirizzo non valido');
    expect(steps[2]!.textContent).toContain('Destinatario non certificato');
    fireEvent.click(screen.getAllByText('Apri ricevuta')[1]!);
    expect(onOpen).toHaveBeenCalledWith(4);
    fireEvent.click(screen.getByText('Ricevuta di accettazione'));
    expect(onOpen).toHaveBeenCalledWith(2);
  });
});

describe('mail HTML frame document', () => {
  it('blocks scripts and remote images unless images are asked for', () => {
    const plain = frameDocument('<img src="https://t.example/p.gif">', false);
    expect(plain).toContain("default-src 'none'");
    expect(plain).toContain('img-src data: cid:;');
    expect(plain).not.toMatch(/script-src/);
    expect(frameDocument('x', true)).toContain('img-src data: cid: https: http:');
  });
});
