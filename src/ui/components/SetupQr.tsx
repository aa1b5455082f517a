/**
 * On the owner's device, beside a fresh pairing code: the QR code of the server's setup page for
 * the shop's network, with the code in it. A new tablet scans it, installs the store's certificate
 * and opens the app already paired. The QR library loads only when this is shown.
 */
import { useEffect, useState } from 'preact/hooks';

interface SetupInfo {
  setupUrl: string;
}

export function SetupQr({ serverUrl, code }: { serverUrl: string; code: string }) {
  const [qr, setQr] = useState<{ link: string; svg: string } | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const response = await fetch(`${serverUrl.replace(/\/$/, '')}/setup/info.json`, { cache: 'no-store' });
      if (!response.ok) return; // an older server or a proxy without the setup page: the code alone still works
      const info = (await response.json()) as SetupInfo;
      const link = `${info.setupUrl}?code=${encodeURIComponent(code)}`;
      const { renderSVG } = await import('uqr');
      if (!cancelled) setQr({ link, svg: renderSVG(link, { border: 2 }) });
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [serverUrl, code]);
  if (!qr) return null;
  return (
    <figure class="setup-qr" data-testid="setup-qr">
      <div role="img" aria-label="QR code of the setup page with this pairing code" dangerouslySetInnerHTML={{ __html: qr.svg }} />
      <figcaption>
        On the new tablet or phone, scan this code with the camera, or open <a href={qr.link}>{qr.link}</a>
      </figcaption>
    </figure>
  );
}
