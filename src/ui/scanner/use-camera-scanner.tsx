/**
 * The camera scanner as every screen uses it: loaded on the first press only (the decoder worker
 * and wasm are not first-screen code), shown below the screen's own Camera button, closed by the
 * screen when a scan has done its job. Each screen keeps its own button, since Look up's is its
 * main action and Sell's sits beside the search field.
 */
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import type { CameraScannerProps, ScanMode } from './CameraScanner.tsx';
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

/** The load error (if any) and, while on, the scanner itself. */
export function CameraView(props: { camera: CameraScannerState; mode: ScanMode; requireTwoReads: boolean; onDetected(code: string): void }) {
  const { Camera, loadError, close } = props.camera;
  return (
    <>
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      {Camera && <Camera mode={props.mode} requireTwoReads={props.requireTwoReads} onDetected={props.onDetected} onClose={close} />}
    </>
  );
}
