// deskpilot serve: the app's UI and contract over HTTP + WebSocket (browser mode, remote supervision).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppService } from '../app/app-service.ts';
import { FileSecrets } from '../app/secrets.ts';
import { isLoopback } from '../server/origin.ts';
import { startServer } from '../server/http-server.ts';
import { defaultDataDir } from '../store/paths.ts';
import { CliError, optionReader, type Command } from './command.ts';
import { checkDisplay } from './display-option.ts';

const USAGE = 'serve [--host 127.0.0.1] [--port 7430] [--display :N] [--data-dir DIR] [--new-token]';
const { usageError, str } = optionReader(USAGE);
export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export const serveCommands: Command[] = [
  {
    path: ['serve'],
    usage: USAGE,
    summary: 'serve the app in a browser (loopback by default; the printed link carries the access token); Ctrl+C stops it',
    options: { host: { type: 'string' }, port: { type: 'string' }, display: { type: 'string' }, 'data-dir': { type: 'string' }, 'new-token': { type: 'boolean' } },
    async run({ values }) {
      const host = str(values, 'host') ?? '127.0.0.1';
      const portText = str(values, 'port') ?? '7430';
      const port = Number(portText);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be 0-65535, not "${portText}"`);
      const rawDisplay = str(values, 'display');
      const display = rawDisplay === undefined ? undefined : checkDisplay(rawDisplay, USAGE);
      const dataDir = resolve(str(values, 'data-dir') ?? defaultDataDir());
      const note = (line: string) => process.stderr.write(`${line}\n`);
      if (!existsSync(RENDERER_DIR)) note(`deskpilot: the UI is not built (${RENDERER_DIR} is missing): run npm run build`);

      let service: AppService;
      try {
        // Keys typed into this UI are kept encrypted in the data folder (secrets.json, its key in secrets.key, both 0600).
        service = await AppService.open({ dataDir, transport: 'http', secrets: new FileSecrets(dataDir), ...(display ? { display } : {}) });
      } catch (err) {
        throw new CliError(`cannot open the data folder ${dataDir}: ${(err as Error).message}`, 1);
      }
      for (const w of service.warnings) note(`deskpilot: ${w}`);
      let server;
      try {
        // The same token after a restart, so open pages carry on; --new-token rotates it (old links stop working).
        const token = serveToken(dataDir, values['new-token'] === true);
        if (values['new-token'] === true) note('deskpilot: a new access token was made: pages and links with the old one must use the new link');
        server = await startServer({ service, host, port, staticDir: RENDERER_DIR, token });
      } catch (err) {
        await service.close();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new CliError(`port ${port} on ${host} is in use: pick another with --port N (or --port 0 for any free one)`, 1);
        throw new CliError(`cannot listen on ${host}:${port}: ${e.message}`, 1);
      }
      if (!isLoopback(host)) note(`deskpilot: listening on ${host}: anyone who has the link can control this desktop. Share it only over a network you trust (or an SSH tunnel).`);
      process.stdout.write(`Deskpilot UI: ${server.url}\n`);

      const stopped = new Promise<NodeJS.Signals>((done) => {
        process.once('SIGINT', () => done('SIGINT'));
        process.once('SIGTERM', () => done('SIGTERM'));
      });
      const signal = await stopped;
      note(`deskpilot: ${signal}: stopping (active runs are aborted)`);
      await server.close();
      await service.close();
      return 0;
    },
  },
];

/** The serve token kept in the data folder (owner-only), made on first use or when asked to rotate. */
export function serveToken(dataDir: string, rotate: boolean): string {
  const file = join(dataDir, 'serve-token');
  if (!rotate && existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (/^[\w-]{32,}$/.test(kept)) {
      chmodSync(file, 0o600); // tightened if someone loosened it
      return kept;
    }
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync's mode applies only when it creates the file
  return token;
}
