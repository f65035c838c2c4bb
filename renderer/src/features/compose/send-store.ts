/**
 * Which sending screen is open (compose, the outbox, mass sending) and the draft being written, so
 * that the reader's Rispondi / Inoltra and the top bar's Nuova PEC open the same compose screen.
 */
import { create } from 'zustand';
import type { ComposeDraft } from './compose-model.ts';

export type SendScreen = 'compose' | 'outbox' | 'campaigns';

interface SendState {
  screen: SendScreen | null;
  draft: ComposeDraft | null;
  /** Bumped at every new draft: the compose form starts again from it. */
  draftKey: number;
  /** The campaign the mass-sending screen shows (null: the list). */
  campaignId: number | null;
  openCompose(draft: ComposeDraft | null): void;
  openOutbox(): void;
  openCampaigns(campaignId?: number | null): void;
  close(): void;
}

export const useSendStore = create<SendState>((set) => ({
  screen: null,
  draft: null,
  draftKey: 0,
  campaignId: null,
  openCompose: (draft) => set((s) => ({ screen: 'compose', draft, draftKey: s.draftKey + 1 })),
  openOutbox: () => set({ screen: 'outbox' }),
  openCampaigns: (campaignId = null) => set({ screen: 'campaigns', campaignId }),
  close: () => set({ screen: null, draft: null }),
}));
