/**
 * Whether the camera scanner is on: loaded on the first press only (the decoder worker and wasm are
 * not first-screen code), closed by the screen when a scan has done its job. Screens reach it through
 * `useScanInput` (src/ui/hooks/use-scan-input.tsx), which shows it with `ScanCamera`.
 */
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import type { CameraScannerProps } from './CameraScanner.tsx';
import { loadCameraScanner } from './load-camera-scanner.ts';

export interface CameraScannerState {
  /** The scanner component while the camera is on, null while it is off. */
  Camera: ComponentType<CameraScannerProps> | null;
  /** Why the scanner could not be loaded, for the screen to show. */
  loadError: string | null;
  open(): Promise<void>;
  close(): void;
  toggle(): void;
}

export const CAMERA_LOAD_FAILED = 'The camera scanner could not be loaded. Reload the app once while online, or use a hand scanner.';

export function useCameraScanner(): CameraScannerState {
  const [Camera, setCamera] = useState<ComponentType<CameraScannerProps> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const open = async () => {
    setLoadError(null);
    try {
      const { CameraScanner } = await loadCameraScanner();
      setCamera(() => CameraScanner);
    } catch {
      setLoadError(CAMERA_LOAD_FAILED);
    }
  };
  const close = () => setCamera(null);
  return { Camera, loadError, open, close, toggle: () => (Camera ? close() : void open()) };
}
