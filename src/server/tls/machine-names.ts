/**
 * The names and addresses by which devices on the shop's network reach this computer: its host
 * name, the same name under `.local` (mDNS, which iOS, macOS, Android and Windows resolve), and
 * `localhost`; its LAN addresses and the loopback ones. The server certificate covers all of them.
 */
import { hostname, networkInterfaces } from 'node:os';

export interface MachineNames {
  dnsNames: string[];
  ipAddresses: string[];
}

export function machineNames(host = hostname(), interfaces = networkInterfaces()): MachineNames {
  const shortName = host.toLowerCase();
  const firstLabel = shortName.split('.')[0] ?? shortName;
  const dnsNames = [shortName, `${firstLabel}.local`, 'localhost'].filter((name) => /^[a-z0-9.-]+$/.test(name));
  const ipAddresses = ['127.0.0.1', '::1'];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      // Link-local IPv6 addresses (fe80::) need a zone id in a URL and change often: left out.
      if (entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')) continue;
      ipAddresses.push(entry.address);
    }
  }
  return normalised({ dnsNames, ipAddresses });
}

/** Sorted, each once: two lists of the same names compare equal. */
export function normalised(names: MachineNames): MachineNames {
  return { dnsNames: [...new Set(names.dnsNames)].sort(), ipAddresses: [...new Set(names.ipAddresses)].sort() };
}

export function sameNames(a: MachineNames, b: MachineNames): boolean {
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}
