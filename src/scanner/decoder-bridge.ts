import * as Comlink from 'comlink';
import type { ScanFormat } from './shared/formats.ts';
import type { DecodeOutcome, DecoderWorkerApi } from './shared/protocol.ts';
import { cropRectangle, DEFAULT_SCAN_REGION, type ScanRegion } from './shared/region.ts';

export { cropRectangle, DEFAULT_SCAN_REGION, type ScanRegion } from './shared/region.ts';

/**
 * Frames are scaled down to at most this width before transfer. A 1280×720 frame costs the worker
 * 3× the time of a 640×480 one, yet a retail barcode that fills a useful part of the view still has
 * 2+ pixels per module at 960 px; measured in bench/results/decode.json (cameraFrames).
 */
export const DEFAULT_MAX_DECODE_WIDTH = 960;

/** Size the cropped region is scaled to: never wider than `maxWidth`, aspect ratio kept, never upscaled. */
export function decodeSize(cropWidth: number, cropHeight: number, maxWidth: number): { width: number; height: number } {
  if (!(maxWidth > 0) || cropWidth <= maxWidth) return { width: cropWidth, height: cropHeight };
  const scale = maxWidth / cropWidth;
  return { width: Math.round(maxWidth), height: Math.max(1, Math.round(cropHeight * scale)) };
}

export type SubmitResult = DecodeOutcome | { dropped: true };

export interface DecoderBridgeOptions {
  formats: readonly ScanFormat[];
  region?: ScanRegion;
  /** Widest frame sent to the worker (default DEFAULT_MAX_DECODE_WIDTH); Infinity sends full resolution. */
  maxWidth?: number;
  /**
   * Send camera frames as WebCodecs VideoFrames (the worker reads the luma plane directly) where the
   * browser has VideoFrame; default true. False always uses the ImageBitmap path.
   */
  videoFrames?: boolean;
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
  private videoFramesFailed = false;
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
   * otherwise transfers the frame and returns the outcome. A video is sent as a VideoFrame where
   * the browser has WebCodecs (the worker crops and reads its luma plane); otherwise, and for other
   * sources, the scan region is cropped into an ImageBitmap scaled down to `maxWidth`.
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
      const region = this.options.region ?? DEFAULT_SCAN_REGION;
      const maxWidth = this.options.maxWidth ?? DEFAULT_MAX_DECODE_WIDTH;
      const cancelled = new Promise<SubmitResult>((resolve) => {
        this.cancelPending = () => resolve({ dropped: true });
      });
      if (this.options.videoFrames !== false && !this.videoFramesFailed && typeof VideoFrame !== 'undefined' && 'videoWidth' in source) {
        // The camera's own frame, no copy, no colour conversion on this thread; the worker crops.
        let frame: VideoFrame | null = null;
        try {
          frame = new VideoFrame(source);
        } catch {
          frame = null; // e.g. no frame decoded yet: fall through to the bitmap path
        }
        if (frame !== null) {
          try {
            return await Promise.race([this.remote().decodeVideoFrame(Comlink.transfer(frame, [frame]), region, maxWidth, this.options.formats), cancelled]);
          } catch (error) {
            // A browser that has VideoFrame but cannot transfer or copy it: use ImageBitmaps from now on.
            console.warn('VideoFrame decoding failed; falling back to ImageBitmap frames', error);
            this.videoFramesFailed = true;
          } finally {
            frame.close(); // a no-op once transferred; frees the camera buffer if the transfer failed
          }
        }
      }
      const { sx, sy, sw, sh } = cropRectangle(width, height, region);
      const target = decodeSize(sw, sh, maxWidth);
      // Crop and scale in one step (the browser does it natively, off the JS heap).
      const bitmap =
        target.width === sw
          ? await createImageBitmap(source, sx, sy, sw, sh)
          : await createImageBitmap(source, sx, sy, sw, sh, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'medium' });
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
