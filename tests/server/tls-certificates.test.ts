/**
 * The store's own certificates (src/server/tls): the CA and the server certificate made on first
 * start, kept in DATA_DIR/tls with private keys readable by the owner only, issued again when near
 * expiry, when the machine's addresses change or when the CA is new; and TLS_CERT/TLS_KEY as given.
 * Chains are checked with Node's own X509Certificate, independent of the library that made them.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineNames, type MachineNames } from '../../src/server/tls/machine-names.ts';
import { ensureServerCertificate, RENEW_WHEN_DAYS_LEFT, SERVER_CERT_VALID_DAYS } from '../../src/server/tls/server-certificate.ts';
import { ensureStoreCa } from '../../src/server/tls/store-ca.ts';
import { ownCredentials, storeIssuedCredentials, tlsDirOf } from '../../src/server/tls/tls-credentials.ts';

const DAY = 24 * 60 * 60 * 1000;
const START = new Date('2026-03-01T09:00:00Z');
const SHOP: MachineNames = { dnsNames: ['till-server', 'till-server.local', 'localhost'], ipAddresses: ['127.0.0.1', '::1', '192.168.1.20', 'fd00::20'] };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-tls-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const leafOf = (chainPem: string) => new X509Certificate(chainPem);

describe('store certificate authority and server certificate', () => {
  it('are made on first start: keys 0600, the names and addresses in the SAN, the chain ending at the store CA', async () => {
    const dataDir = tempDir();
    const credentials = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    const tls = tlsDirOf(dataDir);
    expect(modeOf(join(tls, 'store-ca.key'))).toBe(0o600);
    expect(modeOf(join(tls, 'server.key'))).toBe(0o600);
    expect(modeOf(tls)).toBe(0o700);
    expect(credentials.issued).toBe('none yet');

    const ca = new X509Certificate(readFileSync(join(tls, 'store-ca.crt')));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('Corner shop store certificate authority');
    const leaf = leafOf(credentials.cert);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    for (const host of SHOP.dnsNames) expect(leaf.checkHost(host), host).toBe(host);
    for (const ip of SHOP.ipAddresses) expect(leaf.checkIP(ip), ip).toBe(ip);
    expect(leaf.checkHost('elsewhere.example')).toBeUndefined();
    expect(leaf.checkIP('192.168.1.21')).toBeUndefined();
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new Date(leaf.validTo).getTime() - START.getTime()).toBeGreaterThan((SERVER_CERT_VALID_DAYS - 1) * DAY);
    // The chain served holds the CA certificate after the leaf, and no private key.
    expect(credentials.cert).toContain(ca.toString().trim());
    expect(credentials.caCertificatePem).not.toMatch(/PRIVATE KEY/);
  });

  it('the machine’s own names are its host name, that name under .local, localhost, and its addresses', () => {
    const names = machineNames('Till-Server', {
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:01', cidr: null },
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '00:00:00:00:00:01', cidr: null, scopeid: 2 },
      ],
    });
    expect(names.dnsNames).toEqual(['localhost', 'till-server', 'till-server.local']);
    expect(names.ipAddresses).toEqual(['127.0.0.1', '192.168.1.20', '::1']);
  });

  it('are kept across restarts while nothing changed', async () => {
    const dataDir = tempDir();
    const first = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    const again = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: new Date(START.getTime() + 100 * DAY), names: SHOP });
    expect(again.issued).toBeNull();
    expect(again.cert).toBe(first.cert);
    expect(again.key).toBe(first.key);
  });

  it('renews the server certificate when fewer than 30 days are left, under the same CA', async () => {
    const dataDir = tempDir();
    const first = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    const justBefore = new Date(first.notAfter.getTime() - (RENEW_WHEN_DAYS_LEFT + 1) * DAY);
    expect((await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: justBefore, names: SHOP })).issued).toBeNull();
    const nearExpiry = new Date(first.notAfter.getTime() - (RENEW_WHEN_DAYS_LEFT - 1) * DAY);
    const renewed = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: nearExpiry, names: SHOP });
    expect(renewed.issued).toBe('expires soon');
    expect(renewed.notAfter.getTime()).toBeGreaterThan(first.notAfter.getTime());
    expect(renewed.caCertificatePem).toBe(first.caCertificatePem);
    expect(leafOf(renewed.cert).verify(new X509Certificate(first.caCertificatePem ?? '').publicKey)).toBe(true);
  });

  it('issues a new server certificate when the machine’s addresses or names change', async () => {
    const dataDir = tempDir();
    await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    const moved = { ...SHOP, ipAddresses: ['127.0.0.1', '::1', '10.0.0.7'] };
    const reissued = await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: moved });
    expect(reissued.issued).toBe('names changed');
    expect(leafOf(reissued.cert).checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(leafOf(reissued.cert).checkIP('192.168.1.20')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(tlsDirOf(dataDir), 'server-names.json'), 'utf8'))).toEqual({
      dnsNames: ['localhost', 'till-server', 'till-server.local'],
      ipAddresses: ['10.0.0.7', '127.0.0.1', '::1'],
    });
  });

  it('issues a new server certificate when the store CA is not the one that signed it', async () => {
    const dataDir = tempDir();
    const tls = tlsDirOf(dataDir);
    await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    const otherCa = await ensureStoreCa(tempDir(), { storeName: 'Other shop', now: START });
    const server = await ensureServerCertificate(tls, otherCa, SHOP, START);
    expect(server.issued).toBe('new store CA');
    expect(new X509Certificate(server.certificatePem).verify(new X509Certificate(otherCa.certificatePem).publicKey)).toBe(true);
  });

  it('refuses an incomplete CA with a sentence saying what to do', async () => {
    const dataDir = tempDir();
    await storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP });
    rmSync(join(tlsDirOf(dataDir), 'store-ca.key'));
    await expect(storeIssuedCredentials({ dataDir, storeName: 'Corner shop', now: START, names: SHOP })).rejects.toThrow(
      /incomplete .*Restore the missing file from a backup, or delete both/,
    );
  });
});

describe('TLS_CERT and TLS_KEY', () => {
  async function ownCertificateFiles(): Promise<{ cert: string; key: string }> {
    // Any CA-signed certificate and its key stand in for one from a public authority.
    const dataDir = tempDir();
    await storeIssuedCredentials({ dataDir, storeName: 'Public', now: new Date(), names: { dnsNames: ['shop.example.com'], ipAddresses: [] } });
    return { cert: join(tlsDirOf(dataDir), 'server.crt'), key: join(tlsDirOf(dataDir), 'server.key') };
  }

  it('are used as given, with their names', async () => {
    const files = await ownCertificateFiles();
    const own = await ownCredentials(files.cert, files.key);
    expect(own.source).toBe('own');
    expect(own.cert).toBe(readFileSync(files.cert, 'utf8'));
    expect(own.key).toBe(readFileSync(files.key, 'utf8'));
    expect(own.caCertificatePem).toBeNull();
    expect(own.dnsNames).toEqual(['shop.example.com']);
  });

  it('name a missing file, a file that is not a certificate, or a key of another certificate in a clear sentence', async () => {
    const files = await ownCertificateFiles();
    await expect(ownCredentials('/nowhere/fullchain.pem', files.key)).rejects.toThrow(
      'TLS_CERT names /nowhere/fullchain.pem, which cannot be read (there is no such file). Point TLS_CERT at the certificate (full chain) as a PEM file, or unset TLS_CERT and TLS_KEY to use the store’s own certificate.',
    );
    await expect(ownCredentials(files.cert, '/nowhere/privkey.pem')).rejects.toThrow(/^TLS_KEY names \/nowhere\/privkey.pem, which cannot be read/);
    await expect(ownCredentials(files.key, files.key)).rejects.toThrow(/is not a PEM certificate/);
    const other = await ownCertificateFiles();
    await expect(ownCredentials(files.cert, other.key)).rejects.toThrow(/is not the private key of the certificate in TLS_CERT/);
  });
});
