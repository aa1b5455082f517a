/**
 * What the HTTPS server serves: either a certificate the operator brings (TLS_CERT/TLS_KEY, for a
 * real domain with a public certificate) or the one the store issues itself from its own CA. The
 * store-issued chain includes the CA certificate, so a browser that trusts only the store CA (or
 * its key hash) can build the chain.
 */
import { X509Certificate as NodeX509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineNames, type MachineNames } from './machine-names.ts';
import { ensureServerCertificate, type IssueReason } from './server-certificate.ts';
import { ensureStoreCa } from './store-ca.ts';

export interface TlsCredentials {
  source: 'store-ca' | 'own';
  key: string;
  /** The server certificate, followed by its chain. */
  cert: string;
  /** The store CA (public), for the setup page; null with an own certificate. */
  caCertificatePem: string | null;
  /** DNS names the certificate covers (the first non-localhost one is the address to link to). */
  dnsNames: string[];
  ipAddresses: string[];
  notAfter: Date;
  /** Set when this call issued a new store certificate, with the reason. */
  issued: IssueReason | null;
}

export interface StoreIssuedOptions {
  dataDir: string;
  storeName: string;
  now: Date;
  /** The machine's names and addresses; read from the OS when absent (tests pass their own). */
  names?: MachineNames;
}

export function tlsDirOf(dataDir: string): string {
  return join(dataDir, 'tls');
}

export async function storeIssuedCredentials(options: StoreIssuedOptions): Promise<TlsCredentials> {
  const tlsDir = tlsDirOf(options.dataDir);
  const ca = await ensureStoreCa(tlsDir, { storeName: options.storeName, now: options.now });
  const server = await ensureServerCertificate(tlsDir, ca, options.names ?? machineNames(), options.now);
  return {
    source: 'store-ca',
    key: server.keyPem,
    cert: server.certificatePem + ca.certificatePem,
    caCertificatePem: ca.certificatePem,
    dnsNames: server.names.dnsNames,
    ipAddresses: server.names.ipAddresses,
    notAfter: server.notAfter,
    issued: server.issued,
  };
}

/** TLS_CERT/TLS_KEY: read, parsed and checked to belong together, or a sentence saying what to fix. */
export async function ownCredentials(certificateFile: string, keyFile: string): Promise<TlsCredentials> {
  const cert = await readPem(certificateFile, 'TLS_CERT', 'the certificate (full chain)');
  const key = await readPem(keyFile, 'TLS_KEY', 'its private key');
  let certificate: NodeX509Certificate;
  try {
    certificate = new NodeX509Certificate(cert);
  } catch (error) {
    throw new Error(`TLS_CERT (${certificateFile}) is not a PEM certificate. Point it at the certificate file, for example fullchain.pem.`, { cause: error });
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`TLS_KEY (${keyFile}) is not a PEM private key. Point it at the key file, for example privkey.pem.`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`TLS_KEY (${keyFile}) is not the private key of the certificate in TLS_CERT (${certificateFile}). Use the key that was issued with it.`);
  }
  const altNames = (certificate.subjectAltName ?? '').split(', ');
  return {
    source: 'own',
    key,
    cert,
    caCertificatePem: null,
    dnsNames: altNames.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
    ipAddresses: altNames.filter((n) => n.startsWith('IP Address:')).map((n) => n.slice(11)),
    notAfter: new Date(certificate.validTo),
    issued: null,
  };
}

async function readPem(path: string, variable: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new Error(
      `${variable} names ${path}, which cannot be read (${reason}). Point ${variable} at ${what} as a PEM file, ` +
        'or unset TLS_CERT and TLS_KEY to use the store’s own certificate.',
      { cause: error },
    );
  }
}
