/**
 * A QR code drawn as SVG from the `qr` package's module matrix (paulmillr/qr: no dependencies,
 * typed, maintained; chosen over `qrcode`, which brings a CLI's dependencies, and over drawing our
 * own Reed-Solomon). No HTML strings: the SVG is built by React.
 */
import encodeQR from 'qr';

/** Dark modules as one SVG path: a 1×1 square per module, one row's runs merged. */
export function qrPath(text: string): { size: number; d: string } {
  const rows = encodeQR(text, 'raw', { ecc: 'medium', border: 4 });
  let d = '';
  rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return { size: rows.length, d };
}

export function QrCode({ text, label, px = 200 }: { text: string; label: string; px?: number }) {
  const { size, d } = qrPath(text);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      width={px}
      height={px}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
