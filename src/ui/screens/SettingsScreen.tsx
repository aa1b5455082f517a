import { useEffect, useState } from 'preact/hooks';
import { cashStepOf, type AppContext, type StoreSettings } from '../app-context.ts';
import { CASH_STEP_CHOICES } from '../../domain/cash-rounding.ts';
import { formatMoney } from '../../domain/money.ts';
import { SyncPanel } from '../components/SyncPanel.tsx';
import { CatalogImport } from '../components/CatalogImport.tsx';
import { LocationsPanel } from '../components/LocationsPanel.tsx';
import { ScaleLabelSettings, scaleLabelProblem } from '../components/ScaleLabelSettings.tsx';
import { DEFAULT_VARIABLE_MEASURE_RULES } from '../../domain/scan-lookup.ts';
import { useLocations } from '../hooks/index.ts';

type Persistence = 'granted' | 'not granted' | 'not supported' | 'checking';

export function SettingsScreen({ app }: { app: AppContext }) {
  const [settings, setSettings] = useState<StoreSettings>(app.settings);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [persistence, setPersistence] = useState<Persistence>('checking');
  const [usage, setUsage] = useState<string>('');
  const locations = useLocations(app);

  useEffect(() => {
    if (!navigator.storage?.persisted) return setPersistence('not supported');
    void navigator.storage.persisted().then((p) => setPersistence(p ? 'granted' : 'not granted'));
    void navigator.storage.estimate?.().then((e) => {
      if (e.usage !== undefined && e.quota !== undefined) setUsage(`${(e.usage / 1e6).toFixed(1)} MB used of ${(e.quota / 1e6).toFixed(0)} MB available`);
    });
  }, []);

  const update = (patch: Partial<StoreSettings>) => {
    setSettings({ ...settings, ...patch });
    setSaved(false);
    setProblem(null);
  };
  const askPersistence = async () => {
    const granted = await navigator.storage.persist();
    setPersistence(granted ? 'granted' : 'not granted');
  };

  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form
        class="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          const scaleProblem = scaleLabelProblem(settings.variableMeasure ?? DEFAULT_VARIABLE_MEASURE_RULES, settings.currency);
          if (scaleProblem) return setProblem(`${scaleProblem} The settings were not saved.`);
          void app.saveSettings(settings).then(() => setSaved(true));
        }}
      >
        <label>
          Store name
          <input value={settings.storeName} onInput={(e) => update({ storeName: e.currentTarget.value })} />
        </label>
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
        </fieldset>
        <label>
          Round cash payments and refunds to
          <select name="cash-step" value={String(cashStepOf(settings))} onChange={(e) => update({ cashStep: Number(e.currentTarget.value) })}>
            {CASH_STEP_CHOICES.map((step) => (
              <option key={step} value={String(step)}>
                {step === 1 ? 'the exact amount (no rounding)' : `steps of ${formatMoney(step, settings.currency)}`}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" checked={settings.requireTwoReads} onChange={(e) => update({ requireTwoReads: e.currentTarget.checked })} />
          Camera: accept a barcode only after two identical reads
        </label>
        <ScaleLabelSettings rules={settings.variableMeasure ?? DEFAULT_VARIABLE_MEASURE_RULES} onChange={(variableMeasure) => update({ variableMeasure })} />
        <button type="submit" class="primary">
          Save settings
        </button>
        {saved && <p role="status">Saved.</p>}
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </form>

      <LocationsPanel app={app} />

      <h2>This device</h2>
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
