/**
 * Settings → Locations: the store's locations, and on the owner's device a way to add one (a
 * warehouse, a second shop, a van) or rename one. Each is a `location-defined` event, so every
 * device of the store gets the same list when it syncs.
 */
import { useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useLocations } from '../hooks/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { defineLocation } from '../../app/commands/index.ts';
import { useAction } from '../hooks/use-action.ts';

export function LocationsPanel({ app }: { app: AppContext }) {
  const locations = useLocations(app);
  const owner = app.role === 'owner';
  const [renaming, setRenaming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section aria-labelledby="locations-title" class="locations">
      <h2 id="locations-title">Locations</h2>
      <ul class="location-list" data-testid="location-list">
        {locations.map((l) =>
          renaming === l.id ? (
            <li key={l.id} class="location-row">
              <LocationNameForm
                app={app}
                locationId={l.id}
                fieldLabel={`New name for ${l.name}`}
                initial={l.name}
                submitLabel="Save name"
                onDone={(name) => {
                  setRenaming(null);
                  setNotice(`Renamed to ${name}.`);
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
        <LocationNameForm app={app} fieldLabel="New location name" initial="" submitLabel="Add location" onDone={(name) => setNotice(`Added ${name}.`)} />
      ) : (
        <p class="hint" data-testid="locations-owner-only">
          Locations are added and renamed on the owner’s device; this list follows it when the device syncs.
        </p>
      )}
    </section>
  );
}

/** A location's name typed in: a new location, or a new name for `locationId`. */
function LocationNameForm(props: {
  app: AppContext;
  locationId?: string;
  fieldLabel: string;
  initial: string;
  submitLabel: string;
  /** After the location is recorded, with its name as stored. */
  onDone(name: string): void;
  onCancel?(): void;
}) {
  const [name, setName] = useState(props.initial);
  const action = useAction(props.app);
  const error = action.messages[0] ?? null;
  // One id per form: the rename form and the add form are on the screen together.
  const [fieldId] = useState(() => `location-name-${uuidv7()}`);
  const errorId = `${fieldId}-error`;

  const submit = async () => {
    const events = await action.run((context) => defineLocation.run({ ...(props.locationId === undefined ? {} : { locationId: props.locationId }), name }, context));
    const defined = events?.[0];
    if (defined?.kind !== 'location-defined') return;
    setName(props.initial);
    props.onDone(defined.location.name);
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
          action.clear();
        }}
      />
      {error !== null && (
        <p id={errorId} class="error" role="alert">
          {error}
        </p>
      )}
      <div class="location-actions">
        <button type="submit" class="primary" disabled={action.busy}>
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
