/**
 * What a benchmark records of the machine it ran on: the load before and after (a 2-core VM's
 * timings stretch with it) and the versions, so a figure is read with its conditions.
 */
import { execSync } from 'node:child_process';
import os from 'node:os';

export interface BenchMachine {
  cpu: string;
  cores: number;
  loadavgBefore: number[];
  loadavgAfter: number[];
  uptimeBefore: string;
  uptimeAfter: string;
  node: string;
  chromium: string;
}

export function uptime(): string {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
}

export const loadavg = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** Taken at the start of a run; `finish` adds the load and uptime at its end. */
export function startMachineRecord(): { finish(chromium: string): BenchMachine } {
  const loadavgBefore = loadavg();
  const uptimeBefore = uptime();
  return {
    finish: (chromium) => ({
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      loadavgBefore,
      loadavgAfter: loadavg(),
      uptimeBefore,
      uptimeAfter: uptime(),
      node: process.version,
      chromium,
    }),
  };
}
