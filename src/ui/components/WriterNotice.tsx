/**
 * Says so when this tab may not record because another tab of Perpetua on this device does
 * (src/db/ledger-writer.ts: one writer, so two tabs never hand out the same sequence number), and
 * offers to move the till here.
 */
import { useEffect, useReducer } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';

export function WriterNotice({ app }: { app: AppContext }) {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onChange = () => bump(undefined);
    app.writer.changes.addEventListener('state', onChange);
    return () => app.writer.changes.removeEventListener('state', onChange);
  }, [app]);
  const state = app.writer.state;
  if (state === 'writer') return null;
  return (
    <div class="notice warning writer-notice" role="alert" data-testid="writer-notice" data-state={state}>
      <p>
        {state === 'taken-over'
          ? 'Perpetua is now in use in another tab, so this tab is read-only: sales and other changes are recorded there.'
          : 'Perpetua is open in another tab, so this tab is read-only: sales and other changes are recorded there.'}{' '}
        Close the other tab (this one then takes over by itself), or use Perpetua here instead.
      </p>
      <button type="button" onClick={() => void app.writer.takeOver()}>
        Use Perpetua here
      </button>
    </div>
  );
}
