/**
 * The only way screens should reach the camera scanner: a dynamic import, so its chunk (component,
 * comlink bridge; the worker and its .wasm load later still) stays out of the first screen.
 */
export function loadCameraScanner(): Promise<typeof import('./CameraScanner.tsx')> {
  return import('./CameraScanner.tsx');
}
