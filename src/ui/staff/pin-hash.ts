/**
 * A staff member's PIN, hashed with PBKDF2-SHA-256 through WebCrypto (no library: the browser has
 * it, and Node's `crypto.subtle` is the same API for tests). A new 16-byte salt for every PIN set.
 *
 * The hash is what the ledger carries to every device of the store, so that a till can check who
 * is at it offline. A 4–6 digit PIN has at most a million values: whoever holds the hash can try them
 * all, so it is not a secret credential and the server never accepts it as one (README, threat model).
 * The rounds only make a casual look at a copied ledger cost minutes rather than a moment.
 */
import type { PinHash } from '../../domain/events.ts';
import { PIN_PATTERN } from '../../domain/staff.ts';

/** PBKDF2 rounds for new PINs: about a tenth of a second on a mid-range tablet. */
export const PIN_ITERATIONS = 200_000;

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) {
    throw new Error('This browser cannot check PINs here: open Perpetua over HTTPS (Settings → This store shows the address) or from this computer.');
  }
  return globalThis.crypto.subtle;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** Why `pin` cannot be a PIN, or undefined when it can. */
export function pinProblem(pin: string): string | undefined {
  return PIN_PATTERN.test(pin) ? undefined : 'A PIN is 4 to 6 digits.';
}

export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  const problem = pinProblem(pin);
  if (problem) throw new RangeError(problem);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { algorithm: 'PBKDF2-SHA-256', iterations, salt: toBase64(salt), hash: toBase64(await derive(pin, salt, iterations)) };
}

/** Whether `pin` is the one `stored` was made from (compared in full, not stopping at the first difference). */
export async function verifyPin(stored: PinHash, pin: string): Promise<boolean> {
  if (pinProblem(pin)) return false;
  const actual = await derive(pin, fromBase64(stored.salt), stored.iterations);
  const expected = fromBase64(stored.hash);
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < actual.length; i += 1) difference |= actual[i]! ^ expected[i]!;
  return difference === 0;
}
