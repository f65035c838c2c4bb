// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PecDeskBridge } from '../../../main/api/contract.ts';
import { SearchBar } from '../../../renderer/src/components/SearchBar.tsx';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';
import { useMailStore } from '../../../renderer/src/store/mail-store.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(() => {
  cleanup();
  // The search text typed in one test stays in the store otherwise.
  useMailStore.setState({ text: '' });
});

/** search.suggest answers only when the test says; everything else answers at once, empty. */
function slowSuggestions() {
  let answer: () => void = () => {};
  const bridge = {
    call: async (method: string) => {
      if (method === 'search.suggest') {
        await new Promise<void>((r) => (answer = r));
        return {
          ok: true,
          value: {
            suggestions: [{ kind: 'subject', text: 'oggetto:diffida', label: 'Diffida', detail: null }],
          },
        };
      }
      return { ok: true, value: { total: 0, rows: [], filters: [], chips: [], rankedNewest: null } };
    },
    on: () => () => {},
  } as unknown as PecDeskBridge;
  useAppStore.setState({ bridge });
  return () => answer();
}

const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

describe('SearchBar', () => {
  it('suggestions answered after the box was left stay closed', async () => {
    const answer = slowSuggestions();
    render(<SearchBar />);
    const box = screen.getByRole('searchbox');
    fireEvent.change(box, { target: { value: 'diff' } });
    fireEvent.blur(box);
    await wait(200);
    answer();
    await wait(20);
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('opening the help closes the suggestions; the help is a dialog that Escape closes', async () => {
    const answer = slowSuggestions();
    render(<SearchBar />);
    const box = screen.getByRole('searchbox');
    fireEvent.change(box, { target: { value: 'diff' } });
    answer();
    await wait(20);
    expect(screen.getByRole('listbox')).toBeTruthy();
    const help = screen.getByRole('button', { name: '?' });
    fireEvent.click(help);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(help.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Come cercare' })).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(help);
  });

  it('says how many results, "più di" when counting stopped', async () => {
    slowSuggestions();
    useMailStore.setState({ text: 'fattura', total: 5_000, totalApproximate: true });
    const { unmount } = render(<SearchBar />);
    expect(screen.getByTestId('search-count').textContent).toBe('più di 5.000 risultati');
    unmount();
    useMailStore.setState({ total: 1_234, totalApproximate: false });
    render(<SearchBar />);
    expect(screen.getByTestId('search-count').textContent).toBe('1.234 risultati');
  });

  it('by relevance over the newest matches only, it says over how many, as Italians write numbers', () => {
    slowSuggestions();
    useMailStore.setState({ text: 'fattura', sort: 'relevance', rankedNewest: 2_000, total: 5_000 });
    render(<SearchBar />);
    expect(screen.getByText('Pertinenza calcolata sui 2.000 risultati più recenti')).toBeTruthy();
    useMailStore.setState({ sort: 'date', rankedNewest: null });
  });
});
