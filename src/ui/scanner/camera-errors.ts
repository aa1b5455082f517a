/** Why the camera could not start, in words a cashier can act on. */
export type CameraProblem = 'denied' | 'no-camera' | 'in-use' | 'insecure' | 'unsupported' | 'other';

export function cameraProblemOf(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'SecurityError':
      return 'insecure';
    default:
      return 'other';
  }
}

export const CAMERA_PROBLEM_TEXT: Record<CameraProblem, string> = {
  denied:
    'The camera is blocked for this app. Allow camera access in the browser’s site settings (the lock or camera icon next to the address), then press “Try again”. You can still type or search for a product.',
  'no-camera': 'No camera was found on this device. Connect a barcode scanner or a camera, or search for the product by name.',
  'in-use': 'The camera is busy in another app or tab. Close the other app, then press “Try again”.',
  insecure: 'The camera only works when the app is opened over https. Ask the store owner to open the secure address.',
  unsupported: 'This browser cannot use a camera. Use a barcode scanner or search for the product by name.',
  other: 'The camera could not start. Press “Try again”; if it keeps failing, restart the browser.',
};
