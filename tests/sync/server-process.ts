/**
 * The server as a separate OS process (`node --import tsx src/server/main.ts`), so tests can
 * SIGKILL it mid-batch or run several processes on one PostgreSQL. One process, not the tsx CLI
 * wrapper, so a SIGKILL really kills the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    // Plain HTTP on the test's own port: HTTPS would take the one fixed port 8443 in every process
    // (HTTPS is tested in tests/server/https.test.ts).
    cwd: process.cwd(),
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', PERPETUA_DEMO: '1', STATIC_DIR: '', HTTPS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) {
          clearTimeout(timeout);
          resolve(entry.url);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => {
      clearTimeout(timeout);
      reject(new Error(`server exited (${how}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
