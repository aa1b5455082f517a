/**
 * Device tokens and pairing codes. Both are random secrets; the database keeps only their SHA-256,
 * so a leaked database copy cannot be used to push as a device. A plain hash (no salt, no slow KDF)
 * is enough because the secrets are random with high entropy, not chosen by people.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** 256 random bits, URL-safe, with a prefix that makes a leaked token recognisable in logs. */
export function newDeviceToken(): string {
  return `pdt_${randomBytes(32).toString('base64url')}`;
}

// Crockford base 32 without I, L, O, U: nothing to confuse when read aloud or typed on a tablet.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Eight characters shown as `XXXX-XXXX` (40 bits), single use and short-lived. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Accepts what people type: lower case, spaces or no dash, O for 0, I and L for 1. */
export function normalizePairingCode(input: string): string {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}
