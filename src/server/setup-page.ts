/**
 * The setup page: plain server-rendered HTML (no app code), served over plain HTTP so a new tablet
 * or phone can read it before it trusts anything. It says how to install the store's certificate
 * on each kind of device, then links to the app over HTTPS with the pairing code in the link.
 */

export interface SetupPageModel {
  storeName: string;
  /** https://…/#/pair?code=… (or without a code), null when this server serves no HTTPS. */
  appLink: string | null;
  /** SHA-256 fingerprint of the store CA, null when the server has a public certificate. */
  caFingerprint: string | null;
  caDownloadPath: string;
  /** The pairing code riding in the link, if any (shown so it can be typed if the link fails). */
  code: string | null;
}

/** The page's styles, served as a file: the Content-Security-Policy allows no inline style element. */
export const SETUP_PAGE_CSS_PATH = '/setup/setup.css';
export const SETUP_PAGE_CSS = `body { font: 18px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 44rem; padding: 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 1.5rem; }
h3 { font-size: 1.1rem; margin: 0; }
a.big { display: block; min-height: 3rem; padding: 0.9rem 1rem; border-radius: 0.5rem; background: #0b5cad; color: #fff;
        text-align: center; font-weight: 600; text-decoration: none; font-size: 1.2rem; }
a.big:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
details { border: 1px solid #ccc; border-radius: 0.5rem; margin: 0.5rem 0; }
summary { min-height: 3rem; display: flex; align-items: center; padding: 0 1rem; cursor: pointer; }
details > ol { margin-top: 0; }
.code, .fingerprint { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
`;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function renderSetupPage(model: SetupPageModel): string {
  const store = escapeHtml(model.storeName);
  const caSteps = model.caFingerprint === null ? noCertificateNeeded() : certificateSteps(model, store);
  const open = model.appLink
    ? `<p><a class="big" href="${escapeHtml(model.appLink)}">Open Perpetua${model.code ? ' and pair this device' : ''}</a></p>
<p>The app opens over HTTPS${model.code ? ` and pairs this device with the code <strong class="code">${escapeHtml(model.code)}</strong>` : '; pair it in Settings → Server and sync with a code from the owner’s device'}.
Add it to the home screen from the browser’s menu so it opens like an app, even without the network.</p>`
    : '<p>This server does not serve HTTPS. Ask whoever runs it to start it with HTTPS (the default with <code>npm start</code>).</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up this device · ${store}</title>
<link rel="stylesheet" href="${SETUP_PAGE_CSS_PATH}">
</head>
<body>
<main>
<h1>Set up this device for ${store}</h1>
<p>Two steps, about a minute: let this device trust the store’s server, then open the app.</p>
<h2>1. Trust the store’s server</h2>
${caSteps}
<h2>2. Open the app</h2>
${open}
<p><small>Used this device with the store over plain http:// before? <a href="/setup/continue-over-http">Open the old app once more</a>
to send the sales it still holds, then come back here.</small></p>
</main>
</body>
</html>
`;
}

function noCertificateNeeded(): string {
  return '<p>This server has a certificate from a public authority: there is nothing to install. Go on to step 2.</p>';
}

function certificateSteps(model: SetupPageModel, store: string): string {
  const download = `<a href="${escapeHtml(model.caDownloadPath)}" download="perpetua-store-ca.crt">Download the certificate</a>`;
  return `<p>The store issues its own certificate, so each device installs it once.</p>
<p><a class="big" href="${escapeHtml(model.caDownloadPath)}" download="perpetua-store-ca.crt">Download the store’s certificate</a></p>
<p>It is called “${store} store certificate authority”. Its SHA-256 fingerprint is
<span class="fingerprint">${escapeHtml(model.caFingerprint ?? '')}</span>; a device that shows the fingerprint should show the same.</p>
<p>Then, on this kind of device:</p>
<details>
<summary><h3>iPad or iPhone</h3></summary>
<ol>
<li>Open this page in Safari and tap ${download}; allow the download of the configuration profile.</li>
<li>Open <strong>Settings → Profile Downloaded</strong> (or General → VPN &amp; Device Management), tap the profile and <strong>Install</strong>.</li>
<li>Open <strong>Settings → General → About → Certificate Trust Settings</strong> and turn on full trust for the store’s certificate.</li>
</ol>
</details>
<details>
<summary><h3>Android phone or tablet</h3></summary>
<ol>
<li>Tap ${download}.</li>
<li>Open <strong>Settings → Security</strong> (on some phones Security &amp; privacy → More security settings) <strong>→ Encryption &amp; credentials → Install a certificate → CA certificate</strong>, tap <strong>Install anyway</strong>.</li>
<li>Choose the downloaded file <strong>perpetua-store-ca.crt</strong>.</li>
</ol>
</details>
<details>
<summary><h3>Chromebook</h3></summary>
<ol>
<li>Click ${download}.</li>
<li>Open <strong>chrome://settings/certificates</strong>, choose the <strong>Authorities</strong> tab, then <strong>Import</strong>.</li>
<li>Choose <strong>perpetua-store-ca.crt</strong>, tick <strong>Trust this certificate for identifying websites</strong> and click <strong>OK</strong>.</li>
</ol>
</details>
<details>
<summary><h3>Windows PC</h3></summary>
<ol>
<li>Click ${download}, then open (double-click) <strong>perpetua-store-ca.crt</strong>.</li>
<li>Click <strong>Install Certificate</strong>, choose <strong>Local Machine</strong>, then <strong>Place all certificates in the following store → Browse → Trusted Root Certification Authorities</strong>.</li>
<li>Click <strong>Next</strong> and <strong>Finish</strong>, then restart the browser.</li>
</ol>
</details>
<details>
<summary><h3>Mac</h3></summary>
<ol>
<li>Click ${download} and open it: Keychain Access adds it to the System keychain.</li>
<li>Double-click the certificate there, open <strong>Trust</strong> and choose <strong>Always Trust</strong>.</li>
</ol>
</details>`;
}
