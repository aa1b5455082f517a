import { MoveDeviceDialog } from '../components/MoveDeviceDialog.tsx';
import { useEffect, useState } from 'preact/hooks';
import type { AppContext, DeviceSettings, Settings, StoreSettings } from '../app-context.ts';
import { CASH_STEP_CHOICES } from '../../domain/cash-rounding.ts';
import { formatMoney } from '../../domain/money.ts';
import { MAX_IDLE_LOCK_MINUTES, MAX_LEAD_TIME_DAYS, MAX_SERVICE_LEVEL, MIN_SERVICE_LEVEL, STORE_SETTINGS_FIELDS } from '../../domain/store-settings.ts';
import type { FieldError } from '../../app/commands/command.ts';
import { SyncPanel } from '../components/SyncPanel.tsx';
import { CatalogImport } from '../components/CatalogImport.tsx';
import { LocationsPanel } from '../components/LocationsPanel.tsx';
import { ScaleLabelSettings } from '../components/ScaleLabelSettings.tsx';
import { useLocations, useSettings } from '../hooks/index.ts';

type Persistence = 'granted' | 'not granted' | 'not supported' | 'checking';

/** The store's part of the settings, as the form sends it to `changeStoreSettings`. */
function storePart(settings: Settings): StoreSettings {
  return Object.fromEntries(STORE_SETTINGS_FIELDS.map((field) => [field, settings[field]])) as unknown as StoreSettings;
}

function devicePart(settings: Settings): DeviceSettings {
  return { locationId: settings.locationId, cashier: settings.cashier, requireTwoReads: settings.requireTwoReads };
}

export function SettingsScreen({ app }: { app: AppContext }) {
  const current = useSettings(app);
  const [settings, setSettings] = useState<Settings>(current);
  const [edited, setEdited] = useState(false);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirmingMove, setConfirmingMove] = useState(false);
  const [persistence, setPersistence] = useState<Persistence>('checking');
  const [usage, setUsage] = useState<string>('');
  const locations = useLocations(app);
  const owner = app.role === 'owner';
  // The owner's change arriving by sync shows here too, unless this form is being edited.
  useEffect(() => {
    if (!edited) setSettings(current);
  }, [current]);

  useEffect(() => {
    if (!navigator.storage?.persisted) return setPersistence('not supported');
    void navigator.storage.persisted().then((p) => setPersistence(p ? 'granted' : 'not granted'));
    void navigator.storage.estimate?.().then((e) => {
      if (e.usage !== undefined && e.quota !== undefined) setUsage(`${(e.usage / 1e6).toFixed(1)} MB used of ${(e.quota / 1e6).toFixed(0)} MB available`);
    });
  }, []);

  const update = (patch: Partial<Settings>) => {
    setSettings({ ...settings, ...patch });
    setEdited(true);
    setSaved(false);
    setErrors([]);
  };
  const askPersistence = async () => {
    const granted = await navigator.storage.persist();
    setPersistence(granted ? 'granted' : 'not granted');
  };
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  const errorAt = (field: string) => errors.find((e) => e.field === field)?.message;

  /** The store's part through the owner-only command (recorded, so it syncs), then the device's own. */
  const save = async () => {
    setConfirmingMove(false);
    if (owner) {
      const { changeStoreSettings } = await import('../../app/commands/store-settings.ts');
      const result = changeStoreSettings.run(storePart(settings), app.commandContext());
      if (!result.ok) return setErrors(result.errors);
      try {
        for (const body of result.bodies) await app.record(body);
      } catch (error) {
        return setErrors([{ message: error instanceof Error ? error.message : String(error) }]);
      }
    }
    await app.saveDeviceSettings(devicePart(settings));
    setEdited(false);
    setSaved(true);
  };

  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form
        class="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          // Moving the device moves where its sales take stock from: said before it happens.
          if (settings.locationId !== app.settings.locationId) setConfirmingMove(true);
          else void save();
        }}
      >
        <h2>This store</h2>
        {owner ? (
          <StoreFields settings={settings} update={update} errorAt={errorAt} />
        ) : (
          <StoreFacts settings={current} />
        )}

        <h2>This device</h2>
        <label>
          Cashier on this device
          <input value={settings.cashier} onInput={(e) => update({ cashier: e.currentTarget.value })} />
        </label>
        <label>
          This device sells from
          <select value={settings.locationId} onChange={(e) => update({ locationId: e.currentTarget.value })}>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" checked={settings.requireTwoReads} onChange={(e) => update({ requireTwoReads: e.currentTarget.checked })} />
          Camera: accept a barcode only after two identical reads
        </label>
        <button type="submit" class="primary">
          Save settings
        </button>
        {saved && <p role="status">Saved.</p>}
        {errors.length > 0 && (
          <p class="error" role="alert">
            {errors.map((e) => e.message).join(' ')} The settings were not saved.
          </p>
        )}
      </form>
      {confirmingMove && (
        <MoveDeviceDialog
          from={locationName(app.settings.locationId)}
          to={locationName(settings.locationId)}
          onCancel={() => setConfirmingMove(false)}
          onConfirm={() => void save()}
        />
      )}

      <LocationsPanel app={app} />

      <h2>Device details</h2>
      <dl class="facts">
        <dt>Device id</dt>
        <dd data-testid="device-id">{app.deviceId}</dd>
        <dt>Protected storage</dt>
        <dd data-testid="persistence">
          {persistence === 'granted'
            ? 'Granted: the browser will not evict unsynced sales when the disk is full.'
            : persistence === 'not supported'
              ? 'Not supported by this browser: sync often so no sale sits only on this device.'
              : persistence === 'checking'
                ? 'Checking…'
                : 'Not granted: under disk pressure the browser could evict unsynced sales.'}
        </dd>
        {usage && (
          <>
            <dt>Storage</dt>
            <dd>{usage}</dd>
          </>
        )}
      </dl>
      {persistence === 'not granted' && (
        <button type="button" class="secondary" onClick={() => void askPersistence()}>
          Ask again for protected storage
        </button>
      )}
      <SyncPanel app={app} />
      {app.role === 'owner' ? (
        <CatalogImport app={app} />
      ) : (
        <p class="hint" data-testid="catalog-import-owner-only">
          Products and prices come from the owner’s device: importing a product list is done there.
        </p>
      )}
    </section>
  );
}

/** The owner's form for the store's settings: saved as an event, so every device prices and prints alike. */
function StoreFields({ settings, update, errorAt }: { settings: Settings; update(patch: Partial<Settings>): void; errorAt(field: string): string | undefined }) {
  const error = (field: string) => {
    const message = errorAt(field);
    return message ? (
      <span class="error" id={`store-${field}-error`}>
        {message}
      </span>
    ) : null;
  };
  const described = (field: string) => (errorAt(field) ? { 'aria-invalid': true, 'aria-describedby': `store-${field}-error` } : {});
  return (
    <>
      <label>
        Store name
        <input value={settings.storeName} onInput={(e) => update({ storeName: e.currentTarget.value })} {...described('storeName')} />
        {error('storeName')}
      </label>
      <label>
        Address (printed on receipts)
        <textarea rows={3} value={settings.address} onInput={(e) => update({ address: e.currentTarget.value })} {...described('address')} />
        {error('address')}
      </label>
      <label>
        Tax ID
        <input value={settings.taxId} onInput={(e) => update({ taxId: e.currentTarget.value })} {...described('taxId')} />
        {error('taxId')}
      </label>
      <label>
        Receipt header
        <textarea rows={2} value={settings.receiptHeader} onInput={(e) => update({ receiptHeader: e.currentTarget.value })} {...described('receiptHeader')} />
        {error('receiptHeader')}
      </label>
      <label>
        Receipt footer
        <textarea rows={2} value={settings.receiptFooter} onInput={(e) => update({ receiptFooter: e.currentTarget.value })} {...described('receiptFooter')} />
        {error('receiptFooter')}
      </label>
      <label>
        Currency (ISO code, such as EUR)
        <input value={settings.currency} maxLength={3} autocapitalize="characters" onInput={(e) => update({ currency: e.currentTarget.value })} {...described('currency')} />
        {error('currency')}
      </label>
      <label>
        Language and region for dates and numbers (such as en-IE)
        <input value={settings.locale} onInput={(e) => update({ locale: e.currentTarget.value })} {...described('locale')} />
        {error('locale')}
      </label>
      <label>
        Time zone (such as Europe/Dublin)
        <input value={settings.timeZone} onInput={(e) => update({ timeZone: e.currentTarget.value })} {...described('timeZone')} />
        {error('timeZone')}
      </label>
      <fieldset>
        <legend>Shelf prices</legend>
        <label class="inline">
          <input type="radio" name="tax-mode" checked={settings.pricesIncludeTax} onChange={() => update({ pricesIncludeTax: true })} />
          include tax (tax is taken out of the price)
        </label>
        <label class="inline">
          <input type="radio" name="tax-mode" checked={!settings.pricesIncludeTax} onChange={() => update({ pricesIncludeTax: false })} />
          exclude tax (tax is added at the till)
        </label>
      </fieldset>
      <fieldset>
        <legend>Inventory valuation</legend>
        <label class="inline">
          <input type="radio" name="valuation" checked={settings.valuation === 'fifo'} onChange={() => update({ valuation: 'fifo' })} />
          FIFO (oldest cost layers are sold first)
        </label>
        <label class="inline">
          <input type="radio" name="valuation" checked={settings.valuation === 'average'} onChange={() => update({ valuation: 'average' })} />
          Moving average cost
        </label>
        {error('valuation')}
      </fieldset>
      <label>
        Round cash payments and refunds to
        <select name="cash-step" value={String(settings.cashStep)} onChange={(e) => update({ cashStep: Number(e.currentTarget.value) })}>
          {CASH_STEP_CHOICES.map((step) => (
            <option key={step} value={String(step)}>
              {step === 1 ? 'the exact amount (no rounding)' : `steps of ${formatMoney(step, /^[A-Z]{3}$/.test(settings.currency) ? settings.currency : 'EUR')}`}
            </option>
          ))}
        </select>
        {error('cashStep')}
      </label>
      <fieldset>
        <legend>A sale on a till with no open shift</legend>
        <label class="inline">
          <input type="radio" name="sale-without-shift" checked={settings.saleWithoutShift === 'ask'} onChange={() => update({ saleWithoutShift: 'ask' })} />
          ask the cashier to open one (they may sell without)
        </label>
        <label class="inline">
          <input type="radio" name="sale-without-shift" checked={settings.saleWithoutShift === 'refuse'} onChange={() => update({ saleWithoutShift: 'refuse' })} />
          refuse it until a shift is open
        </label>
      </fieldset>
      <label class="inline">
        <input type="checkbox" name="blind-cash-up" checked={settings.blindCashUp} onChange={(e) => update({ blindCashUp: e.currentTarget.checked })} />
        Blind cash-up: hide the expected cash until the drawer is counted at the close
      </label>
      <ScaleLabelSettings rules={settings.variableMeasure} onChange={(variableMeasure) => update({ variableMeasure })} />
      {error('variableMeasure')}
      <label>
        Dead stock: stock with no sale for this many days (shown on Today)
        <input
          name="dead-stock-days"
          inputMode="numeric"
          value={Number.isNaN(settings.deadStockDays) ? '' : String(settings.deadStockDays)}
          onInput={(e) => update({ deadStockDays: e.currentTarget.value.trim() === '' ? Number.NaN : Number(e.currentTarget.value) })}
          {...described('deadStockDays')}
        />
        {error('deadStockDays')}
      </label>
      <ReorderingFields settings={settings} update={update} errorAt={errorAt} />
      <StaffSettingsFields settings={settings} update={update} errorAt={errorAt} />
    </>
  );
}

/** A number as typed: '' and text that is not one are NaN, which the command refuses at the field. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));

/** A field with a hint under it (id `store-<field>-hint`) and, when refused, its error after the hint. */
function hintedField(errorAt: (field: string) => string | undefined) {
  const describedBy = (field: string) => [`store-${field}-hint`, ...(errorAt(field) ? [`store-${field}-error`] : [])].join(' ');
  const error = (field: string) => {
    const message = errorAt(field);
    return message ? (
      <p class="error" id={`store-${field}-error`}>
        {message}
      </p>
    ) : null;
  };
  return { describedBy, error };
}

/**
 * Staff (issue 17): how long a till with staff stays signed in without a touch, and the discount a
 * cashier may give without a supervisor. The percentage is kept as typed, so "12." can become "12.5".
 */
function StaffSettingsFields({ settings, update, errorAt }: { settings: Settings; update(patch: Partial<Settings>): void; errorAt(field: string): string | undefined }) {
  const [limitText, setLimitText] = useState(() => String(settings.discountApprovalPercent));
  useEffect(() => {
    if (!Object.is(numberOf(limitText), settings.discountApprovalPercent)) setLimitText(Number.isNaN(settings.discountApprovalPercent) ? '' : String(settings.discountApprovalPercent));
  }, [settings.discountApprovalPercent]);
  const { describedBy, error } = hintedField(errorAt);
  return (
    <fieldset class="settings-staff">
      <legend>Staff on the tills</legend>
      <p class="hint">These apply once the store has staff members (More → Staff); a store without staff works as before.</p>
      <label for="store-idle-lock">Lock the till after (minutes without a touch)</label>
      <input
        id="store-idle-lock"
        name="idle-lock-minutes"
        inputMode="numeric"
        autoComplete="off"
        value={Number.isNaN(settings.idleLockMinutes) ? '' : String(settings.idleLockMinutes)}
        aria-invalid={errorAt('idleLockMinutes') ? true : undefined}
        aria-describedby={describedBy('idleLockMinutes')}
        onInput={(e) => update({ idleLockMinutes: numberOf(e.currentTarget.value) })}
      />
      <p class="hint" id="store-idleLockMinutes-hint">
        1 to {MAX_IDLE_LOCK_MINUTES} minutes; 0 never locks by itself. A locked till asks who is acting, and their PIN.
      </p>
      {error('idleLockMinutes')}
      <label for="store-discount-approval">Discounts above this need a supervisor (%)</label>
      <input
        id="store-discount-approval"
        name="discount-approval-percent"
        inputMode="decimal"
        autoComplete="off"
        value={limitText}
        aria-invalid={errorAt('discountApprovalPercent') ? true : undefined}
        aria-describedby={describedBy('discountApprovalPercent')}
        onInput={(e) => {
          setLimitText(e.currentTarget.value);
          update({ discountApprovalPercent: numberOf(e.currentTarget.value) });
        }}
      />
      <p class="hint" id="store-discountApprovalPercent-hint">
        Of a sale’s price before discounts (0 to 100). A cashier’s bigger discount asks a supervisor’s PIN on the spot; 100 never asks.
      </p>
      {error('discountApprovalPercent')}
    </fieldset>
  );
}

/**
 * Replenishment (issue 16): the service level computed reorder points aim for, and the lead time of a
 * supplier no order has taught yet. The percentage is kept as typed, so "97." can become "97.5".
 */
function ReorderingFields({ settings, update, errorAt }: { settings: Settings; update(patch: Partial<Settings>): void; errorAt(field: string): string | undefined }) {
  const [levelText, setLevelText] = useState(() => String(settings.serviceLevel));
  // A level arriving by sync (or the form reset to the books') shows, unless it is what is typed.
  useEffect(() => {
    if (!Object.is(numberOf(levelText), settings.serviceLevel)) setLevelText(Number.isNaN(settings.serviceLevel) ? '' : String(settings.serviceLevel));
  }, [settings.serviceLevel]);
  const { describedBy, error } = hintedField(errorAt);
  return (
    <fieldset class="settings-reordering">
      <legend>Reordering</legend>
      <label for="store-service-level">Service level (%)</label>
      <input
        id="store-service-level"
        name="service-level"
        inputMode="decimal"
        autoComplete="off"
        value={levelText}
        aria-invalid={errorAt('serviceLevel') ? true : undefined}
        aria-describedby={describedBy('serviceLevel')}
        onInput={(e) => {
          setLevelText(e.currentTarget.value);
          update({ serviceLevel: numberOf(e.currentTarget.value) });
        }}
      />
      <p class="hint" id="store-serviceLevel-hint">
        Of every 100 items customers ask for, how many should be on the shelf ({MIN_SERVICE_LEVEL} to {MAX_SERVICE_LEVEL}). Suggested orders keep more safety
        stock the higher it is: 95 is usual, 99 needs much more stock.
      </p>
      {error('serviceLevel')}
      <label for="store-default-lead-time">Default lead time (days)</label>
      <input
        id="store-default-lead-time"
        name="default-lead-time"
        inputMode="numeric"
        autoComplete="off"
        value={Number.isNaN(settings.defaultLeadTimeDays) ? '' : String(settings.defaultLeadTimeDays)}
        aria-invalid={errorAt('defaultLeadTimeDays') ? true : undefined}
        aria-describedby={describedBy('defaultLeadTimeDays')}
        onInput={(e) => update({ defaultLeadTimeDays: numberOf(e.currentTarget.value) })}
      />
      <p class="hint" id="store-defaultLeadTimeDays-hint">
        Days from ordering to delivery (1 to {MAX_LEAD_TIME_DAYS}), for a supplier whose purchase orders have not shown it yet and who has no lead time of its
        own.
      </p>
      {error('defaultLeadTimeDays')}
    </fieldset>
  );
}

/** A staff device sees the store's settings, and where they come from. */
function StoreFacts({ settings }: { settings: Settings }) {
  return (
    <>
      <p class="hint" data-testid="store-settings-owner-only">
        Set by the owner: these come from the owner’s device and change there.
      </p>
      <dl class="facts" data-testid="store-settings">
        <dt>Store name</dt>
        <dd>{settings.storeName}</dd>
        {settings.address && (
          <>
            <dt>Address</dt>
            <dd class="receipt-address">{settings.address}</dd>
          </>
        )}
        {settings.taxId && (
          <>
            <dt>Tax ID</dt>
            <dd>{settings.taxId}</dd>
          </>
        )}
        <dt>Currency</dt>
        <dd>{settings.currency}</dd>
        <dt>Dates and numbers</dt>
        <dd>
          {settings.locale}, {settings.timeZone}
        </dd>
        <dt>Shelf prices</dt>
        <dd data-testid="store-prices">{settings.pricesIncludeTax ? 'include tax' : 'exclude tax (tax is added at the till)'}</dd>
        <dt>Inventory valuation</dt>
        <dd>{settings.valuation === 'fifo' ? 'FIFO' : 'Moving average cost'}</dd>
        <dt>Cash rounding</dt>
        <dd>{settings.cashStep === 1 ? 'none' : `steps of ${formatMoney(settings.cashStep, settings.currency)}`}</dd>
        <dt>Sales with no open shift</dt>
        <dd>{settings.saleWithoutShift === 'ask' ? 'asked about (the cashier may sell without)' : 'refused'}</dd>
        <dt>Cash-up</dt>
        <dd>{settings.blindCashUp ? 'blind (expected cash shown after the count)' : 'expected cash shown'}</dd>
        <dt>Dead stock after</dt>
        <dd>{settings.deadStockDays} days without a sale</dd>
        <dt>Reordering</dt>
        <dd data-testid="store-reordering">
          a service level of {settings.serviceLevel} %; suppliers deliver in {settings.defaultLeadTimeDays} days unless their orders show otherwise
        </dd>
        <dt>Staff on the tills</dt>
        <dd data-testid="store-staff-settings">
          {settings.idleLockMinutes === 0 ? 'the till never locks by itself' : `the till locks after ${settings.idleLockMinutes} min without a touch`}; discounts above{' '}
          {settings.discountApprovalPercent} % need a supervisor
        </dd>
      </dl>
    </>
  );
}
