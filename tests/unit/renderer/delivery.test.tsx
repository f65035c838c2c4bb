// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ThreadView } from '../../../main/api/contract.ts';
import { StatusBadge } from '../../../renderer/src/components/StatusBadge.tsx';
import { ThreadTimeline } from '../../../renderer/src/components/ThreadTimeline.tsx';
import { deliveryBadges, listBadge } from '../../../renderer/src/delivery-label.ts';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { listRow } from '../../support/list-row.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

type Member = ThreadView['members'][number];
type Recipient = ThreadView['recipients'][number];

function member(id: number, kind: string, extra: Partial<Member> = {}): Member {
  return {
    id,
    kind,
    date: `2026-11-25T09:00:0${id}.000Z`,
    signatureVerdict: 'valid',
    deliveryAddress: null,
    provider: 'Beta PEC S.p.A.',
    identificativo: 'opec1@pec.alfa.test',
    error: null,
    errorDetail: null,
    ...extra,
  };
}

function recipient(address: string, state: string, extra: Partial<Recipient> = {}): Recipient {
  return {
    address,
    type: 'certificato',
    state,
    stateAt: null,
    provider: null,
    error: null,
    errorDetail: null,
    receiptMessageId: null,
    ...extra,
  };
}

function thread(extra: Partial<ThreadView> = {}): ThreadView {
  return {
    id: 1,
    msgid: '<m0@x>',
    identificativo: 'opec1@pec.alfa.test',
    subject: 'Contratto',
    sender: 'studio@pec.alfa.test',
    direction: 'sent',
    state: 'partial',
    acceptedAt: '2026-11-25T09:00:02.000Z',
    acceptanceMissing: false,
    lastActivityAt: '2026-11-25T09:00:06.000Z',
    overdue: false,
    recipientCount: 2,
    recipientTotal: 3,
    deliveredCount: 1,
    failedCount: 1,
    warningCount: 0,
    pendingCount: 0,
    noProofCount: 1,
    unverifiedCount: 0,
    recipients: [
      recipient('a@pec.beta.test', 'delivered', {
        stateAt: '2026-11-25T09:00:05.000Z',
        provider: 'Beta PEC S.p.A.',
        receiptMessageId: 3,
      }),
      recipient('b@pec.beta.test', 'failed', {
        stateAt: '2026-11-25T09:00:06.000Z',
        provider: 'Beta PEC S.p.A.',
        error: 'no-dest',
        errorDetail: '5.1.1 - indirizzo non valido',
        receiptMessageId: 4,
      }),
      recipient('c@example.it', 'no-proof', { type: 'esterno' }),
    ],
    members: [
      member(1, 'ordinary', { signatureVerdict: 'unsigned', provider: null, identificativo: null }),
      member(2, 'accettazione', { provider: 'Alfa PEC S.p.A.' }),
      member(3, 'avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' }),
      member(4, 'errore-consegna', {
        deliveryAddress: 'b@pec.beta.test',
        error: 'no-dest',
        errorDetail: '5.1.1 - indirizzo non valido',
      }),
    ],
    ...extra,
  };
}

const sent = { direction: 'sent', recipientCount: 3, recipientTotal: 3 } as const;

describe('delivery badges', () => {
  it('names partial outcomes as such, never as a total failure', () => {
    render(
      <StatusBadge
        row={listRow({
          ...sent,
          threadState: 'partial',
          deliveredCount: 1,
          failedCount: 1,
          recipientCount: 2,
        })}
      />,
    );
    const badge = screen.getByText('Consegnata 1 di 3 · 1 mancata');
    expect(badge.className).toContain('badge-warn');
    cleanup();
    render(<StatusBadge row={listRow({ ...sent, threadState: 'failed', failedCount: 3 })} />);
    expect(screen.getByText('Mancata consegna').className).toContain('badge-danger');
  });

  it('says the state of a sent PEC in the words of the UI', () => {
    render(<StatusBadge row={listRow({ ...sent, threadState: 'accepted', deliveredCount: 2 })} />);
    expect(screen.getByText('Consegnata 2 di 3')).toBeTruthy();
    cleanup();
    render(<StatusBadge row={listRow({ ...sent, threadState: 'delivered', deliveredCount: 3 })} />);
    expect(screen.getByText('Consegnata').className).toContain('badge-ok');
    cleanup();
    render(<StatusBadge row={listRow({ ...sent, threadState: 'rejected', recipientTotal: 1 })} />);
    expect(screen.getByText('Non accettata').className).toContain('badge-danger');
    cleanup();
    render(
      <StatusBadge row={listRow({ ...sent, threadState: 'accepted', warningCount: 1, overdue: true })} />,
    );
    expect(screen.getByText('Accettata')).toBeTruthy();
    expect(screen.getByText('Preavviso di mancata consegna').className).toContain('badge-warn');
    expect(screen.getByText('Nessuna consegna dopo 24 ore').title).toBe(
      'Nessuna ricevuta di consegna dopo 24 ore dall’accettazione',
    );
  });

  it('a list row has one badge, the most telling: a preavviso or 24 hours rather than "Accettata"', () => {
    const accepted = listRow({ ...sent, threadState: 'accepted' });
    expect(listBadge(accepted)?.id).toBe('accepted');
    expect(listBadge({ ...accepted, overdue: true })?.id).toBe('overdue');
    expect(listBadge({ ...accepted, overdue: true, warningCount: 1 })?.id).toBe('warning');
    // A delivery count says more than a flag.
    expect(listBadge({ ...accepted, deliveredCount: 1, overdue: true })?.id).toBe('delivered-of');
    render(<StatusBadge compact row={{ ...accepted, overdue: true, warningCount: 1 }} />);
    expect(screen.getAllByText(/./).map((e) => e.textContent)).toEqual(['Preavviso di mancata consegna']);
  });

  it('shows nothing for received mail', () => {
    const { container } = render(
      <StatusBadge row={listRow({ threadState: 'received', direction: 'received' })} />,
    );
    expect(container.textContent).toBe('');
    expect(deliveryBadges(listRow({ threadState: null, direction: null }))).toEqual([]);
  });
});

describe('ThreadTimeline', () => {
  it('shows sent, acceptance and each recipient, the failure reason in words, times to the second, and opens receipts', () => {
    const onOpen = vi.fn();
    render(<ThreadTimeline thread={thread()} onOpen={onOpen} />);
    expect(screen.getByText('Inviata')).toBeTruthy();
    const acceptance = screen.getByTestId('step-acceptance');
    expect(acceptance.textContent).toContain('25/11/2026 10:00:02');
    expect(acceptance.textContent).toContain('opec1@pec.alfa.test');
    const steps = screen.getAllByTestId('step-recipient');
    expect(steps.map((s) => s.getAttribute('data-state'))).toEqual(['delivered', 'failed', 'no-proof']);
    expect(steps[0]!.textContent).toContain('25/11/2026 10:00:05');
    expect(steps[1]!.textContent).toContain('destinatario inesistente — 5.1.1 - indirizzo non valido');
    expect(steps[1]!.textContent).not.toContain('no-dest');
    expect(steps[2]!.textContent).toContain('Destinatario non certificato');
    fireEvent.click(steps[1]!.querySelector('button')!);
    expect(onOpen).toHaveBeenCalledWith(4);
    fireEvent.click(acceptance.querySelector('button')!);
    expect(onOpen).toHaveBeenCalledWith(2);
  });

  it('says the acceptance is missing from the archive when delivery receipts prove it', () => {
    const t = thread({
      acceptanceMissing: true,
      acceptedAt: null,
      members: thread().members.filter((m) => m.kind !== 'accettazione'),
    });
    render(<ThreadTimeline thread={t} onOpen={() => {}} />);
    expect(screen.getByTestId('step-acceptance-missing').textContent).toContain(
      'Ricevuta di accettazione non presente nell’archivio',
    );
    expect(screen.queryByText('In attesa della ricevuta di accettazione')).toBeNull();
  });

  it('a non-accepted PEC: its recipients were not sent', () => {
    const t = thread({
      state: 'rejected',
      recipients: [recipient('a@pec.beta.test', 'not-sent')],
      members: [
        member(1, 'ordinary', { signatureVerdict: 'unsigned' }),
        member(2, 'non-accettazione', { error: 'altro', errorDetail: 'destinatari in copia nascosta' }),
      ],
    });
    render(<ThreadTimeline thread={t} onOpen={() => {}} />);
    expect(screen.getByTestId('step-rejection').textContent).toContain('destinatari in copia nascosta');
    expect(screen.getByTestId('step-recipient').textContent).toContain('Non inviata (non accettata)');
  });

  it('shows a notice whose signature does not verify as "avviso non verificabile", openable, not as proof', () => {
    const onOpen = vi.fn();
    const t = thread({
      state: 'accepted',
      recipients: [recipient('b@pec.beta.test', 'pending')],
      members: [
        member(1, 'ordinary', { signatureVerdict: 'unsigned' }),
        member(2, 'accettazione'),
        member(5, 'errore-consegna', { deliveryAddress: 'b@pec.beta.test', signatureVerdict: 'unsigned' }),
      ],
      unverifiedCount: 1,
    });
    render(<ThreadTimeline thread={t} onOpen={onOpen} />);
    const step = screen.getByTestId('step-unverified');
    expect(step.textContent).toContain('Avviso non verificabile: Avviso di mancata consegna');
    fireEvent.click(step.querySelector('button')!);
    expect(onOpen).toHaveBeenCalledWith(5);
    expect(screen.getByTestId('step-recipient').getAttribute('data-state')).toBe('pending');
  });

  it('flags 24 hours without a delivery receipt', () => {
    render(<ThreadTimeline thread={thread({ state: 'accepted', overdue: true })} onOpen={() => {}} />);
    expect(screen.getByTestId('overdue').textContent).toBe(
      'Nessuna ricevuta di consegna dopo 24 ore dall’accettazione',
    );
  });
});
