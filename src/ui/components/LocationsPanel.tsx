/**
 * Settings → Locations: the store's locations, and on the owner's device a way to add one (a
 * warehouse, a second shop, a van) or rename one. Each is a `location-defined` event, so every
 * device of the store gets the same list when it syncs.
 */
import { useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useLocations } from '../hooks/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { locationNameProblem, normaliseLocationName } from '../../domain/locations.ts';
import { errorText } from '../hooks/use-action.ts';

export function LocationsPanel({ app }: { app: AppContext }) {
  const locations = useLocations(app);
  const owner = app.role === 'owner';
  const [renaming, setRenaming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const define = async (id: string, name: string): Promise<void> => {
    await app.record({ kind: 'location-defined', location: { id, name: normaliseLocationName(name) } });
  };

  return (
    <section aria-labelledby="locations-title" class="locations">
      <h2 id="locations-title">Locations</h2>
      <ul class="location-list" data-testid="location-list">
        {locations.map((l) =>
          renaming === l.id ? (
            <li key={l.id} class="location-row">
              <LocationNameForm
                fieldLabel={`New name for ${l.name}`}
                initial={l.name}
                submitLabel="Save name"
                check={(name) => locationNameProblem(name, locations, l.id)}
                onSubmit={async (name) => {
                  await define(l.id, name);
                  setRenaming(null);
                  setNotice(`Renamed to ${normaliseLocationName(name)}.`);
                }}
                onCancel={() => setRenaming(null)}
              />
            </li>
          ) : (
            <li key={l.id} class="location-row">
              <span class="location-name">{l.name}</span>
              {owner && (
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Rename ${l.name}`}
                  onClick={() => {
                    setNotice(null);
                    setRenaming(l.id);
                  }}
                >
                  Rename
                </button>
              )}
            </li>
          ),
        )}
      </ul>
      {notice && <p role="status">{notice}</p>}
      {owner ? (
        <LocationNameForm
          fieldLabel="New location name"
          initial=""
          submitLabel="Add location"
          check={(name) => locationNameProblem(name, locations)}
          onSubmit={async (name) => {
            await define(`loc-${uuidv7()}`, name);
            setNotice(`Added ${normaliseLocationName(name)}.`);
          }}
        />
      ) : (
        <p class="hint" data-testid="locations-owner-only">
          Locations are added and renamed on the owner’s device; this list follows it when the device syncs.
        </p>
      )}
    </section>
  );
}

function LocationNameForm(props: {
  fieldLabel: string;
  initial: string;
  submitLabel: string;
  /** Why the name cannot be used, or undefined when it can. */
  check(name: string): string | undefined;
  onSubmit(name: string): Promise<void>;
  onCancel?(): void;
}) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One id per form: the rename form and the add form are on the screen together.
  const [fieldId] = useState(() => `location-name-${uuidv7()}`);
  const errorId = `${fieldId}-error`;

  const submit = async () => {
    const problem = props.check(name);
    if (problem !== undefined) return setError(problem);
    setBusy(true);
    try {
      await props.onSubmit(name);
      setName(props.initial);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="location-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label for={fieldId}>{props.fieldLabel}</label>
      <input
        id={fieldId}
        value={name}
        maxLength={80}
        autoComplete="off"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? errorId : undefined}
        onInput={(e) => {
          setName(e.currentTarget.value);
          setError(null);
        }}
      />
      {error !== null && (
        <p id={errorId} class="error" role="alert">
          {error}
        </p>
      )}
      <div class="location-actions">
        <button type="submit" class="primary" disabled={busy}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
