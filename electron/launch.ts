// `npm start` (after `npm run build`): runs the Electron app where its binary exists; otherwise says
// so and serves the same UI to a browser with `deskpilot serve`, opening the printed URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { appRoot, electronBinary, electronVersion } from './electron-binary.ts';
import { ensureElectronSqlite } from './native-sqlite.ts';

function startElectron(binary: string): ChildProcess | undefined {
  let sqlite: string;
  try {
    sqlite = ensureElectronSqlite(electronVersion());
  } catch (err) {
    console.error(`${(err as Error).message}\nStarting the browser UI instead.`);
    return undefined;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DESKPILOT_SQLITE_BINDING: sqlite };
  // Inherited, it would make the binary run as plain Node.
  delete env['ELECTRON_RUN_AS_NODE'];
  return spawn(binary, [appRoot], { stdio: 'inherit', env });
}

function startServe(): ChildProcess {
  const child = spawn(process.execPath, [join(appRoot, 'bin', 'deskpilot.js'), 'serve'], { stdio: ['inherit', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(line);
    const url = /^Deskpilot UI: (\S+)/.exec(line)?.[1];
    if (url) openUrl(url);
  });
  return child;
}

function openUrl(url: string): void {
  const linuxDesktop = process.platform === 'linux' && (process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  const opener =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['rundll32', 'url.dll,FileProtocolHandler', url] : linuxDesktop ? ['xdg-open', url] : undefined;
  if (!opener) return console.log('No desktop here to open a browser on: open this URL in a browser.');
  const [cmd, ...args] = opener as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`Could not run ${cmd}: open this URL in a browser.`));
  child.unref();
}

const binary = electronBinary();
if (!binary) console.log('No Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD?); starting the browser UI instead: deskpilot serve');
const child = (binary && startElectron(binary)) || startServe();

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (err) => {
  console.error(`Could not start: ${err.message}`);
  process.exit(1);
});
