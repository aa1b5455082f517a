/**
 * USB and Bluetooth barcode scanners pretend to be keyboards: they "type" the code a few
 * milliseconds per character and press Enter. People type far slower than that, so the gap between
 * keys tells a scan from typing. A scan is taken wherever focus is; when it landed in a text field,
 * the characters the scanner typed there are taken back out, so the field keeps what the person typed.
 */

export interface WedgeOptions {
  /** Longest gap between two scanner keystrokes. Scanners type every 1–20 ms; people 80 ms or more. */
  maxGapMs: number;
  /** Shortest code taken as a scan (EAN-8 is the shortest retail code). */
  minLength: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = { maxGapMs: 35, minLength: 6 };

/** The timing logic, separate from the DOM so it can be tested with plain numbers. */
export class WedgeDetector {
  private buffer = '';
  private lastAt = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE_OPTIONS) {}

  /** Feeds one printable character; returns false when it started a new burst. */
  character(char: string, atMs: number): void {
    if (atMs - this.lastAt > this.options.maxGapMs) this.buffer = '';
    this.buffer += char;
    this.lastAt = atMs;
  }

  /** Enter pressed: the scanned code, or null when the burst was typing. */
  enter(atMs: number): string | null {
    const code = this.buffer;
    const fast = atMs - this.lastAt <= this.options.maxGapMs;
    this.buffer = '';
    this.lastAt = -Infinity;
    return fast && code.length >= this.options.minLength ? code : null;
  }

  reset(): void {
    this.buffer = '';
    this.lastAt = -Infinity;
  }
}

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  if (target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && ['text', 'search', 'number', 'tel', ''].includes(target.type);
}

/**
 * Listens on the whole document (capture phase, before any field sees the Enter) and calls `onScan`
 * for each scanned code. Returns a function that stops listening.
 */
export function listenForWedgeScans(
  onScan: (code: string) => void,
  options: WedgeOptions = DEFAULT_WEDGE_OPTIONS,
  target: Document = document,
): () => void {
  const detector = new WedgeDetector(options);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return detector.reset();
    if (event.key.length === 1) return detector.character(event.key, event.timeStamp);
    if (event.key !== 'Enter') return;
    const code = detector.enter(event.timeStamp);
    if (code === null) return;
    event.preventDefault();
    event.stopPropagation();
    const field = event.target;
    if (isTextField(field) && field.value.endsWith(code)) {
      // The scanner typed into this field; take its characters back out. Fields that reformat their
      // value (type=number) do not always end with the code, and then are left as they are.
      field.value = field.value.slice(0, -code.length);
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    onScan(code);
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}
