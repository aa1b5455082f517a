/**
 * The HTTPS certificate the store issues to this server, signed by the store CA (store-ca.ts), for
 * every name and address a device may use (machine-names.ts). Kept in DATA_DIR/tls as server.key
 * (mode 0600), server.crt and server-names.json (the names it was issued for).
 *
 * Valid 397 days (what browsers accept for any server certificate) and issued again at start, or
 * while running, when fewer than 30 days are left, when the names or addresses changed (a new
 * DHCP lease, a renamed computer), or when it was not signed by the current store CA.
 */
import { X509Certificate as NodeX509Certificate, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as x509 from './x509.ts';
import { readTextIfExists, writeFileAtomically } from './files.ts';
import { generateKeyPair, privateKeyPem, SIGNING_ALGORITHM } from './keys.ts';
import { normalised, sameNames, type MachineNames } from './machine-names.ts';
import type { StoreCa } from './store-ca.ts';

export const SERVER_CERT_VALID_DAYS = 397;
export const RENEW_WHEN_DAYS_LEFT = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ServerCertificate {
  keyPem: string;
  certificatePem: string;
  notAfter: Date;
  names: MachineNames;
}

export type IssueReason = 'none yet' | 'expires soon' | 'names changed' | 'new store CA';

export function serverCertificatePaths(tlsDir: string): { key: string; certificate: string; names: string } {
  return { key: join(tlsDir, 'server.key'), certificate: join(tlsDir, 'server.crt'), names: join(tlsDir, 'server-names.json') };
}

/** The stored certificate when it still serves `names`, or a new one (and why it was issued). */
export async function ensureServerCertificate(
  tlsDir: string,
  ca: StoreCa,
  names: MachineNames,
  now: Date,
): Promise<ServerCertificate & { issued: IssueReason | null }> {
  const stored = await readStored(tlsDir);
  const reason = stored ? reissueReason(stored, ca, names, now) : 'none yet';
  if (stored && reason === null) return { ...stored, issued: null };
  const issued = await issue(ca, normalised(names), now);
  const paths = serverCertificatePaths(tlsDir);
  await writeFileAtomically(paths.key, issued.keyPem, 0o600);
  await writeFileAtomically(paths.certificate, issued.certificatePem, 0o644);
  await writeFileAtomically(paths.names, `${JSON.stringify(issued.names, null, 2)}\n`, 0o644);
  return { ...issued, issued: reason };
}

function reissueReason(stored: ServerCertificate, ca: StoreCa, names: MachineNames, now: Date): IssueReason | null {
  const caPublicKey = new NodeX509Certificate(ca.certificatePem).publicKey;
  if (!new NodeX509Certificate(stored.certificatePem).verify(caPublicKey)) return 'new store CA';
  if (stored.notAfter.getTime() - now.getTime() < RENEW_WHEN_DAYS_LEFT * DAY_MS) return 'expires soon';
  if (!sameNames(stored.names, names)) return 'names changed';
  return null;
}

async function readStored(tlsDir: string): Promise<ServerCertificate | null> {
  const paths = serverCertificatePaths(tlsDir);
  const [keyPem, certificatePem, namesJson] = await Promise.all([
    readTextIfExists(paths.key),
    readTextIfExists(paths.certificate),
    readTextIfExists(paths.names),
  ]);
  if (keyPem === null || certificatePem === null || namesJson === null) return null;
  try {
    const names = JSON.parse(namesJson) as MachineNames;
    if (!Array.isArray(names.dnsNames) || !Array.isArray(names.ipAddresses)) return null;
    return { keyPem, certificatePem, names, notAfter: new x509.X509Certificate(certificatePem).notAfter };
  } catch {
    return null; // unreadable: issue a fresh one
  }
}

async function issue(ca: StoreCa, names: MachineNames, now: Date): Promise<ServerCertificate> {
  const keys = await generateKeyPair();
  const notAfter = new Date(now.getTime() + SERVER_CERT_VALID_DAYS * DAY_MS);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive serial number
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: [{ CN: [names.dnsNames.find((n) => n !== 'localhost') ?? 'localhost'] }, { O: ['Perpetua'] }],
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...names.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  return { keyPem: await privateKeyPem(keys.privateKey), certificatePem: `${certificate.toString('pem')}\n`, notAfter, names };
}
