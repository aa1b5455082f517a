/**
 * Scan input, the same on every screen that takes barcodes: a hand scanner (keyboard wedge, heard
 * while the screen is mounted), the camera (loaded on the first press only: the decoder worker and
 * wasm are not first-screen code) and a code typed into a search box all end in one lookup of the
 * code, by the store's variable-measure layout. The screen says what a scan means there (add it to
 * the cart, count it, find a receipt) in the one `onScan` it passes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { listenForWedgeScans } from '../../scanner/keyboard-wedge.ts';
import { lookupScan, type ScanMatch } from '../../domain/scan-lookup.ts';
import type { ScanMode } from '../scanner/CameraScanner.tsx';
import { useCameraScanner, type CameraScannerState } from '../scanner/use-camera-scanner.tsx';
import { variableMeasureLayoutOf, type AppContext } from '../app-context.ts';

/** One scanned (or typed) code and what it matched in the catalog. */
export interface Scan {
  code: string;
  match: ScanMatch;
}

export interface ScanInput {
  /**
   * True once the hand scanner is heard. Screens put it in `data-scanner-ready`, which tells people
   * and tests that scans are being taken.
   */
  ready: boolean;
  camera: CameraScannerState;
  /** Camera scanning: accept a code only after two identical reads (the store's setting). */
  requireTwoReads: boolean;
  /** Looks a code up as if it had been scanned (a code typed and submitted, or the camera's). */
  scan(code: string): Promise<void>;
}

export function useScanInput(app: AppContext, onScan: (scan: Scan) => void): ScanInput {
  const handler = useRef(onScan);
  handler.current = onScan;
  const scan = async (code: string) => {
    // In the first moment after start a large catalog may still be loading (100k products: under a
    // second, idle): the scan waits for the in-memory index rather than missing.
    if (!app.catalog.loaded) await app.loadCatalog();
    const match = lookupScan(code, (c) => app.catalog.byCode(c), variableMeasureLayoutOf(app.settings));
    handler.current({ code, match });
  };
  const scanRef = useRef(scan);
  scanRef.current = scan;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const stop = listenForWedgeScans((code) => void scanRef.current(code));
    setReady(true);
    return stop;
  }, []);
  return { ready, camera: useCameraScanner(), requireTwoReads: app.settings.requireTwoReads, scan };
}

/**
 * The button that turns the camera on: with `stopLabel` it turns it off again too. Each screen
 * labels it its own way (Look up's is its main action, "Scan"; elsewhere it sits beside a search box).
 */
export function CameraButton({ scanner, label = 'Camera', stopLabel, class: className = 'secondary' }: { scanner: ScanInput; label?: string; stopLabel?: string; class?: string }) {
  const { camera } = scanner;
  const on = camera.Camera !== null;
  return (
    <button type="button" class={className} onClick={() => (stopLabel ? camera.toggle() : void camera.open())} aria-pressed={on}>
      {on && stopLabel ? stopLabel : label}
    </button>
  );
}

/** Why the camera could not be loaded (if so) and, while it is on, the camera scanner itself. */
export function ScanCamera({ scanner, mode }: { scanner: ScanInput; mode: ScanMode }) {
  const { Camera, loadError, close } = scanner.camera;
  return (
    <>
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      {Camera && <Camera mode={mode} requireTwoReads={scanner.requireTwoReads} onDetected={(code) => void scanner.scan(code)} onClose={close} />}
    </>
  );
}
