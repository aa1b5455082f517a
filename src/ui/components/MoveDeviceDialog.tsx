/**
 * The one confirmation before this device changes location: it says what changes (which stock its
 * sales take from now on), because a device moved by mistake sells every item from the wrong place.
 */
export function MoveDeviceDialog({ from, to, onCancel, onConfirm }: { from: string; to: string; onCancel(): void; onConfirm(): void }) {
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="move-device-title" aria-describedby="move-device-what">
        <h2 id="move-device-title">Move this device to {to}?</h2>
        <p id="move-device-what">
          Sales on this device will take stock from {to} from now on, not from {from}.
        </p>
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class="primary" autoFocus onClick={onConfirm}>
            Move to {to}
          </button>
        </div>
      </div>
    </div>
  );
}
