/**
 * After a scan matched nothing: on the owner's device, a button to create the product for that code
 * (staff are not offered it: products and prices are the owner's). Only for codes a product can
 * carry: digits with a valid check digit. The dialog, and the product checks it brings (the
 * validator), load on the first tap, not with the Sell screen.
 */
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import { isValidGtin } from '../../domain/gtin.ts';
import type { AppContext } from '../app-context.ts';
import type { NewProductDialog as Dialog } from './NewProductDialog.tsx';

export function CreateProductOffer({ app, code, purpose, onCreated }: { app: AppContext; code: string | null; purpose: string; onCreated(p: ProductSnapshot): void }) {
  const [NewProductDialog, setDialog] = useState<ComponentType<Parameters<typeof Dialog>[0]> | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (code === null || app.role !== 'owner' || !isValidGtin(code)) return null;
  const open = () => {
    import('./NewProductDialog.tsx').then(
      (module) => setDialog(() => module.NewProductDialog),
      () => setError('The new-product form could not be loaded. Open the app once while online so it is stored on this device, then try again.'),
    );
  };
  return (
    <>
      <button type="button" class="secondary" onClick={open}>
        Create a product for {code}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {NewProductDialog && (
        <NewProductDialog
          app={app}
          code={code}
          purpose={purpose}
          onCancel={() => setDialog(null)}
          onCreated={(product) => {
            setDialog(null);
            onCreated(product);
          }}
        />
      )}
    </>
  );
}
