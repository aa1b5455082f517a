/**
 * ECDSA P-256 keys through Node's WebCrypto (what @peculiar/x509 signs with), kept on disk as
 * PKCS#8 PEM, which Node's tls module reads as it is.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const EC_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('The key file holds no PEM block.');
  return (await webcrypto.subtle.importKey('pkcs8', der, EC_KEY_ALGORITHM, false, ['sign'])) as CryptoKey;
}
