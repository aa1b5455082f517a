import * as Comlink from 'comlink';
import type { ScanFormat } from './shared/formats.ts';
import type { DecodeOutcome, DecoderWorkerApi } from './shared/protocol.ts';

/** The part of the frame that is decoded, as fractions of its width and height (0…1). */
export interface ScanRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A wide band across the middle: where people hold a 1D barcode, and 40 % fewer pixels to read. */
export const DEFAULT_SCAN_REGION: ScanRegion = { x: 0.05, y: 0.2, width: 0.9, height: 0.6 };

/** The pixel rectangle of a region in a frame of the given size, never empty, never outside. */
export function cropRectangle(
  frameWidth: number,
  frameHeight: number,
  region: ScanRegion,
): { sx: number; sy: number; sw: number; sh: number } {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const x0 = clamp(region.x);
  const y0 = clamp(region.y);
  const x1 = clamp(region.x + region.width);
  const y1 = clamp(region.y + region.height);
  const sx = Math.floor(x0 * frameWidth);
  const sy = Math.floor(y0 * frameHeight);
  return {
    sx,
    sy,
    sw: Math.max(1, Math.min(frameWidth - sx, Math.round((x1 - x0) * frameWidth))),
    sh: Math.max(1, Math.min(frameHeight - sy, Math.round((y1 - y0) * frameHeight))),
  };
}

export type SubmitResult = DecodeOutcome | { dropped: true };

export interface DecoderBridgeOptions {
  formats: readonly ScanFormat[];
  region?: ScanRegion;
  /** Stop the worker after this long without frames, so a closed scanner holds no memory. */
  idleMs?: number;
  /** Injected in tests; the default starts our own module worker. */
  createWorker?: () => Worker;
}

function startDecoderWorker(): Worker {
  return new Worker(new URL('./decoder.worker.ts', import.meta.url), { type: 'module', name: 'barcode-decoder' });
}

/** Width and height of anything createImageBitmap accepts that we pass in. */
function sizeOf(source: HTMLVideoElement | ImageBitmap | ImageData | HTMLCanvasElement | OffscreenCanvas): {
  width: number;
  height: number;
} {
  if ('videoWidth' in source) return { width: source.videoWidth, height: source.videoHeight };
  return { width: source.width, height: source.height };
}

/**
 * The UI thread's handle on the decoder worker (after Squoosh's worker bridge): one call in flight,
 * frames offered while the worker is busy are dropped rather than queued (a queue would only show
 * the cashier old frames), the scan region is cropped before transfer, and the worker is terminated
 * when idle. The UI thread never decodes.
 */
export class DecoderBridge {
  private worker: Worker | null = null;
  private api: Comlink.Remote<DecoderWorkerApi> | null = null;
  private inFlight = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly idleMs: number;
  private readonly createWorker: () => Worker;
  private droppedFrames = 0;
  /** Settles a decode that is pending when the worker is terminated, so no caller hangs. */
  private cancelPending: (() => void) | null = null;

  constructor(private readonly options: DecoderBridgeOptions) {
    this.idleMs = options.idleMs ?? 30_000;
    this.createWorker = options.createWorker ?? startDecoderWorker;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  get dropped(): number {
    return this.droppedFrames;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  private remote(): Comlink.Remote<DecoderWorkerApi> {
    if (this.api === null) {
      this.worker = this.createWorker();
      this.api = Comlink.wrap<DecoderWorkerApi>(this.worker);
    }
    return this.api;
  }

  /** Starts the worker and loads the WebAssembly while the camera is still starting. */
  async warmUp(): Promise<void> {
    this.touch();
    await this.remote().warmUp();
  }

  /**
   * Offers one frame. Returns at once with `{ dropped: true }` when a decode is still running;
   * otherwise crops the scan region into an ImageBitmap, transfers it and returns the outcome.
   */
  async submit(source: HTMLVideoElement | ImageBitmap | ImageData | HTMLCanvasElement | OffscreenCanvas): Promise<SubmitResult> {
    if (this.inFlight) {
      this.droppedFrames++;
      return { dropped: true };
    }
    const { width, height } = sizeOf(source);
    if (width === 0 || height === 0) return { dropped: true }; // video not playing yet
    this.inFlight = true;
    this.clearIdleTimer();
    try {
      const { sx, sy, sw, sh } = cropRectangle(width, height, this.options.region ?? DEFAULT_SCAN_REGION);
      const bitmap = await createImageBitmap(source, sx, sy, sw, sh);
      const cancelled = new Promise<SubmitResult>((resolve) => {
        this.cancelPending = () => resolve({ dropped: true });
      });
      return await Promise.race([this.remote().decode(Comlink.transfer(bitmap, [bitmap]), this.options.formats), cancelled]);
    } finally {
      this.cancelPending = null;
      this.inFlight = false;
      if (this.worker !== null) this.touch();
    }
  }

  /** Stops the worker now (the camera closed); the next frame starts a fresh one. */
  terminate(): void {
    this.clearIdleTimer();
    this.cancelPending?.();
    if (this.api !== null) this.api[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.inFlight = false;
  }

  private touch(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => this.terminate(), this.idleMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
