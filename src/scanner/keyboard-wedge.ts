/**
 * USB and Bluetooth barcode scanners pretend to be keyboards: they "type" the code a few
 * milliseconds per character and press Enter. People type far slower than that, so the gap between
 * keys tells a scan from typing. A scan is taken wherever focus is; when it landed in a text field,
 * the characters the scanner typed there are taken back out, so the field keeps what the person typed.
 */

export interface WedgeOptions {
  /**
   * Typical gap between scanner keystrokes: the median gap of a scan must not exceed it. Scanners
   * type every 1–20 ms; nobody types six keys in a row at under 30 ms each.
   */
  medianGapMs: number;
  /**
   * Longest single gap inside a scan. A busy tablet sometimes delivers one key late, so one slow
   * gap must not split a scan; a longer pause starts a new burst.
   */
  maxGapMs: number;
  /** Shortest code taken as a scan (EAN-8 is the shortest retail code). */
  minLength: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = { medianGapMs: 30, maxGapMs: 150, minLength: 6 };

/** The timing logic, separate from the DOM so it can be tested with plain numbers. */
export class WedgeDetector {
  private chars: string[] = [];
  private gaps: number[] = [];
  private lastAt = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE_OPTIONS) {}

  /** Feeds one printable character typed at `atMs`. */
  character(char: string, atMs: number): void {
    const gap = atMs - this.lastAt;
    if (gap > this.options.maxGapMs) this.reset();
    else this.gaps.push(gap);
    this.chars.push(char);
    this.lastAt = atMs;
  }

  /**
   * Enter pressed: the scanned code, or null when the burst was typing. The scan is the fast tail of
   * the burst: walking back from Enter, a slow gap belongs to the scan only when it sits between
   * fast ones (one key delivered late); two slow gaps in a row are a person typing before the scan.
   */
  enter(atMs: number): string | null {
    const enterGap = atMs - this.lastAt;
    const chars = this.chars;
    const gaps = this.gaps;
    this.reset();
    if (enterGap > this.options.maxGapMs) return null;
    const fast = (gap: number | undefined) => gap !== undefined && gap <= this.options.medianGapMs;
    let start = chars.length - 1;
    while (start > 0) {
      const gap = gaps[start - 1];
      if (!fast(gap) && !fast(gaps[start - 2])) break;
      start--;
    }
    const code = chars.slice(start).join('');
    if (code.length < this.options.minLength) return null;
    return median([...gaps.slice(start), enterGap]) <= this.options.medianGapMs ? code : null;
  }

  reset(): void {
    this.chars = [];
    this.gaps = [];
    this.lastAt = -Infinity;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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
