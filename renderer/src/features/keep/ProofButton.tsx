import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/app-store.ts';
import { base64Bytes, downloadBytes } from '../audit/download.ts';

/**
 * "Fascicolo di prova": the PEC's originals, every receipt, a PDF in Italian and the hashes, in one
 * ZIP (proof.bundle), saved through the browser's or Electron's download.
 */
export function ProofButton({
  messageId,
  onError,
}: {
  messageId: number;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [busy, setBusy] = useState(false);
  const make = async () => {
    if (!bridge || busy) return;
    setBusy(true);
    try {
      const r = await bridge.call('proof.bundle', { id: messageId });
      if (!r.ok) return onError(t('keep.proof.failed', { message: r.error.message }));
      downloadBytes(base64Bytes(r.value.contentBase64), r.value.filename, 'application/zip');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      onClick={() => void make()}
      disabled={busy}
      data-testid="proof-bundle"
      title={t('keep.proof.hint')}
    >
      {busy ? t('keep.proof.making') : t('keep.proof.button')}
    </button>
  );
}
