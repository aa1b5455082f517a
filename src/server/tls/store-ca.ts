/**
 * The store's own certificate authority: made once, on the server's first start, in DATA_DIR/tls.
 * Its private key (store-ca.key, mode 0600) never leaves that directory and is never served; its
 * certificate (store-ca.crt) is what a tablet installs once, after which every server certificate
 * the store issues is trusted (server-certificate.ts).
 *
 * The CA is valid for 20 years and is not renewed: a new CA would have to be installed again on
 * every device. Delete the tls directory to start over (then every device installs the new CA).
 */
import { join } from 'node:path';
import * as x509 from './x509.ts';
import { readTextIfExists, writeFileAtomically } from './files.ts';
import { generateKeyPair, importPrivateKeyPem, privateKeyPem, SIGNING_ALGORITHM } from './keys.ts';

export const CA_VALID_YEARS = 20;

export interface StoreCa {
  certificate: x509.X509Certificate;
  /** PEM of the certificate (public; served on the setup page). */
  certificatePem: string;
  privateKey: CryptoKey;
}

export function storeCaPaths(tlsDir: string): { key: string; certificate: string } {
  return { key: join(tlsDir, 'store-ca.key'), certificate: join(tlsDir, 'store-ca.crt') };
}

/** Loads the store CA from `tlsDir`, or creates it there when it does not exist yet. */
export async function ensureStoreCa(tlsDir: string, options: { storeName: string; now: Date }): Promise<StoreCa & { created: boolean }> {
  const paths = storeCaPaths(tlsDir);
  const [keyPem, certificatePem] = await Promise.all([readTextIfExists(paths.key), readTextIfExists(paths.certificate)]);
  if (keyPem !== null && certificatePem !== null) {
    return { certificate: new x509.X509Certificate(certificatePem), certificatePem, privateKey: await importPrivateKeyPem(keyPem), created: false };
  }
  if (keyPem !== null || certificatePem !== null) {
    throw new Error(
      `The store's certificate authority in ${tlsDir} is incomplete (one of store-ca.key and store-ca.crt is missing). ` +
        'Restore the missing file from a backup, or delete both to make a new one (every device then installs the new certificate).',
    );
  }
  const keys = await generateKeyPair();
  const notBefore = new Date(options.now.getTime() - 60 * 60 * 1000); // an hour early: clocks on tablets drift
  const notAfter = new Date(options.now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALID_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`${options.storeName} store certificate authority`] }, { O: ['Perpetua'] }],
    keys,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = certificate.toString('pem');
  // The key first: a certificate without its key would be refused at the next start.
  await writeFileAtomically(paths.key, await privateKeyPem(keys.privateKey), 0o600);
  await writeFileAtomically(paths.certificate, `${pem}\n`, 0o644);
  return { certificate, certificatePem: `${pem}\n`, privateKey: keys.privateKey, created: true };
}
