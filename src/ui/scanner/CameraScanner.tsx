/**
 * The camera scanner: a lazily loaded chunk (`import('./CameraScanner.tsx')`), so the first screen
 * does not pay for it. Frames are cropped to the scan region and decoded in a worker through
 * DecoderBridge; this component only moves pixels, never decodes.
 *
 * The camera is opened with plain getUserMedia/enumerateDevices: @zxing/browser's helpers wrap the
 * same calls but would also bring its main-thread decoder (~400 kB) into the chunk.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DecoderBridge, DEFAULT_SCAN_REGION } from '../../scanner/decoder-bridge.ts';
import { DuplicateSuppressor, ReadConfirmer, readKey, type ScanRead } from '../../scanner/shared/accept-read.ts';
import { FORMAT_LABELS, SCAN_FORMATS, type ScanFormat } from '../../scanner/shared/formats.ts';
import { CAMERA_PROBLEM_TEXT, cameraProblemOf, type CameraProblem } from './camera-errors.ts';
import { beep, vibrate } from './feedback.ts';
import './camera-scanner.css';

export type ScanMode = 'sell' | 'lookup' | 'count';

export interface CameraScannerProps {
  mode: ScanMode;
  /**
   * Called once per accepted code. `code` is the GTIN-14 for EAN/UPC (and ITF-14), which
   * `normalizeGtin`/`barcodeKey` accept as is; for Code 128/39 and QR it is the decoded text.
   * `format` is a label such as "EAN-13" or "UPC-E".
   */
  onDetected(code: string, format: string): void;
  onClose(): void;
  formats?: readonly ScanFormat[];
  /** Store setting: only accept a code after two identical reads in a row. */
  requireTwoReads?: boolean;
  /** The same code is ignored until it has been out of view this long. Defaults per mode. */
  duplicateIntervalMs?: number;
  /** Sound and vibration on each accepted code (default on). */
  feedback?: boolean;
}

const DEFAULT_INTERVAL_MS: Record<ScanMode, number> = { sell: 1500, lookup: 2500, count: 1000 };
const MODE_TITLES: Record<ScanMode, string> = { sell: 'Scan to sell', lookup: 'Scan to look up', count: 'Scan to count' };

type Status = { kind: 'starting' } | { kind: 'scanning' } | { kind: 'problem'; problem: CameraProblem };

interface TorchCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
}

export function CameraScanner(props: CameraScannerProps) {
  const { mode, formats = SCAN_FORMATS, requireTwoReads = false, feedback = true } = props;
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const onDetectedRef = useRef(props.onDetected);
  onDetectedRef.current = props.onDetected;
  const [status, setStatus] = useState<Status>({ kind: 'starting' });
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [torchSupported, setTorchSupported] = useState(false);
  const [torchOn, setTorchOn] = useState(false);
  const [lastRead, setLastRead] = useState<ScanRead | null>(null);
  const [attempt, setAttempt] = useState(0);

  // Camera: (re)started when the chosen camera changes or the user presses "Try again".
  useEffect(() => {
    let cancelled = false;
    setStatus({ kind: 'starting' });
    setTorchOn(false);
    async function start(): Promise<void> {
      if (!navigator.mediaDevices?.getUserMedia) {
        setStatus({ kind: 'problem', problem: window.isSecureContext ? 'unsupported' : 'insecure' });
        return;
      }
      try {
        const video: MediaTrackConstraints =
          deviceId === null
            ? { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }
            : { deviceId: { exact: deviceId }, width: { ideal: 1280 }, height: { ideal: 720 } };
        const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
        if (cancelled) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        streamRef.current = stream;
        const element = videoRef.current;
        if (element === null) return;
        element.srcObject = stream;
        await element.play();
        const track = stream.getVideoTracks()[0];
        const capabilities = (track?.getCapabilities?.() ?? {}) as TorchCapabilities;
        setTorchSupported(capabilities.torch === true);
        // Labels are only visible once permission is granted, so list the cameras now.
        const all = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setDevices(all.filter((device) => device.kind === 'videoinput'));
        if (!cancelled) setStatus({ kind: 'scanning' });
      } catch (error) {
        if (!cancelled) setStatus({ kind: 'problem', problem: cameraProblemOf(error) });
      }
    }
    void start();
    return () => {
      cancelled = true;
      for (const track of streamRef.current?.getTracks() ?? []) track.stop();
      streamRef.current = null;
    };
  }, [deviceId, attempt]);

  // Decoding loop: one frame at a time to the worker; frames arriving meanwhile are skipped.
  useEffect(() => {
    if (status.kind !== 'scanning') return;
    const video = videoRef.current;
    if (video === null) return;
    const bridge = new DecoderBridge({ formats, region: DEFAULT_SCAN_REGION });
    const confirmer = new ReadConfirmer(requireTwoReads ? 2 : 1);
    const suppressor = new DuplicateSuppressor(props.duplicateIntervalMs ?? DEFAULT_INTERVAL_MS[mode]);
    let stopped = false;
    let handle = 0;

    const onFrame = async (): Promise<void> => {
      if (stopped) return;
      if (!bridge.busy && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        try {
          const outcome = await bridge.submit(video);
          if (!stopped && !('dropped' in outcome) && outcome.read !== null) {
            const confirmed = confirmer.offer(outcome.read);
            if (confirmed !== null && suppressor.admit(readKey(confirmed), performance.now())) {
              if (feedback) {
                beep();
                vibrate();
              }
              setLastRead(confirmed);
              onDetectedRef.current(confirmed.gtin14 ?? confirmed.text, FORMAT_LABELS[confirmed.format]);
            }
          }
        } catch (error) {
          // A failed frame is not worth stopping the camera for; the next frame tries again.
          console.warn('barcode decode failed', error);
        }
      }
      schedule();
    };
    const schedule = (): void => {
      if (stopped) return;
      if ('requestVideoFrameCallback' in video) handle = video.requestVideoFrameCallback(() => void onFrame());
      else handle = requestAnimationFrame(() => void onFrame());
    };
    void bridge.warmUp().catch(() => undefined);
    schedule();
    return () => {
      stopped = true;
      if ('cancelVideoFrameCallback' in video) video.cancelVideoFrameCallback(handle);
      cancelAnimationFrame(handle);
      bridge.terminate();
    };
  }, [status.kind, mode, requireTwoReads, props.duplicateIntervalMs, formats.join(','), feedback]);

  const toggleTorch = async (): Promise<void> => {
    const track = streamRef.current?.getVideoTracks()[0];
    if (!track) return;
    try {
      await track.applyConstraints({ advanced: [{ torch: !torchOn } as MediaTrackConstraintSet] });
      setTorchOn(!torchOn);
    } catch {
      setTorchSupported(false);
    }
  };

  const region = DEFAULT_SCAN_REGION;
  return (
    <section class="camera-scanner" aria-label={MODE_TITLES[mode]} data-testid="camera-scanner" data-status={status.kind}>
      <header class="camera-scanner-bar">
        <h2>{MODE_TITLES[mode]}</h2>
        {devices.length > 1 && (
          <label>
            <span class="visually-hidden">Camera</span>
            <select
              value={deviceId ?? streamRef.current?.getVideoTracks()[0]?.getSettings().deviceId ?? ''}
              onChange={(event) => setDeviceId((event.target as HTMLSelectElement).value)}
            >
              {devices.map((device, i) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label || `Camera ${i + 1}`}
                </option>
              ))}
            </select>
          </label>
        )}
        {torchSupported && (
          <button type="button" aria-pressed={torchOn} onClick={() => void toggleTorch()}>
            {torchOn ? 'Light off' : 'Light on'}
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close camera
        </button>
      </header>
      <div class="camera-scanner-view">
        <video ref={videoRef} muted playsInline aria-hidden="true" />
        {status.kind === 'scanning' && (
          <div
            class="camera-scanner-region"
            aria-hidden="true"
            style={{
              left: `${region.x * 100}%`,
              top: `${region.y * 100}%`,
              width: `${region.width * 100}%`,
              height: `${region.height * 100}%`,
            }}
          />
        )}
      </div>
      <p class="camera-scanner-status" role="status" aria-live="polite" data-testid="camera-status">
        {status.kind === 'starting' && 'Starting the camera…'}
        {status.kind === 'scanning' &&
          (lastRead === null
            ? 'Hold the barcode inside the frame.'
            : `Read ${FORMAT_LABELS[lastRead.format]} ${lastRead.text}.`)}
      </p>
      {status.kind === 'problem' && (
        <div class="notice warning" role="alert" data-testid="camera-problem" data-problem={status.problem}>
          <p>{CAMERA_PROBLEM_TEXT[status.problem]}</p>
          {status.problem !== 'no-camera' && status.problem !== 'unsupported' && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          )}
        </div>
      )}
    </section>
  );
}

export default CameraScanner;
