/**
 * Test harness (served by tests/e2e/scanner-camera.test.ts, not part of the app bundle).
 * A stand-in for the Sell and Count screens until the integrator mounts CameraScanner there:
 * opens the scanner lazily and keeps a cart (sell) or counted quantities (count) keyed by GTIN-14.
 */
import { render, type ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { barcodeKeyForTest } from './harness-catalog.ts';
import { loadCameraScanner } from '../load-camera-scanner.ts';
import type { CameraScannerProps, ScanMode } from '../CameraScanner.tsx';

const CATALOG: Record<string, string> = { '04006381333931': 'Stabilo pen' };

function TestPage() {
  const param = new URLSearchParams(location.search).get('mode');
  const mode: ScanMode = param === 'count' ? 'count' : param === 'lookup' ? 'lookup' : 'sell';
  const [Scanner, setScanner] = useState<ComponentType<CameraScannerProps> | null>(null);
  const [lines, setLines] = useState<{ code: string; name: string; qty: number; format: string }[]>([]);

  const open = async () => {
    const module = await loadCameraScanner();
    setScanner(() => module.CameraScanner);
  };
  const onDetected = (code: string, format: string) => {
    const key = barcodeKeyForTest(code);
    setLines((current) => {
      const existing = current.find((line) => line.code === key);
      if (existing) return current.map((line) => (line === existing ? { ...line, qty: line.qty + 1 } : line));
      return [...current, { code: key, name: CATALOG[key] ?? `Unknown ${code}`, qty: 1, format }];
    });
  };

  return (
    <main>
      <h1>{mode === 'count' ? 'Count' : 'Sell'}</h1>
      {Scanner === null ? (
        <button type="button" onClick={() => void open()}>
          Scan with camera
        </button>
      ) : (
        <Scanner mode={mode} onDetected={onDetected} onClose={() => setScanner(null)} feedback={false} />
      )}
      <ul data-testid="lines">
        {lines.map((line) => (
          <li key={line.code} data-code={line.code} data-qty={line.qty} data-format={line.format}>
            {line.name} × {line.qty}
          </li>
        ))}
      </ul>
    </main>
  );
}

const root = document.getElementById('root');
if (root) render(<TestPage />, root);
