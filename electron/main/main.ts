// Deskpilot's Electron main process: the whole start-up reads top to bottom in onReady.
import { existsSync } from 'node:fs';
import { app, BrowserWindow, dialog } from 'electron';
import { AppService } from '../../agents/app/app-service.ts';
import { LoopbackLiveEndpoint } from '../../agents/server/loopback-live.ts';
import { defaultDataDir } from '../../agents/store/paths.ts';
import { ControlStrip } from './control-strip.ts';
import { setupIpc } from './ipc.ts';
import { registerBlobScheme, setupProtocol } from './protocol.ts';
import { openSecrets } from './secrets.ts';
import { setupSecurity } from './security.ts';
import { setupShortcuts } from './shortcuts.ts';
import { createMainWindow } from './windows.ts';

// The CLI reads and writes the same folder (agents/store/paths.ts), so both see one database.
app.setName('Deskpilot');
app.setPath('userData', defaultDataDir());
registerBlobScheme();

let service: AppService | undefined;
let mainWindow: BrowserWindow | undefined;

async function onReady(): Promise<void> {
  setupSecurity();
  const ownDisplay = process.env['DISPLAY'] || undefined;
  const strip = new ControlStrip(ownDisplay);
  service = await AppService.open({
    dataDir: app.getPath('userData'),
    transport: 'ipc',
    secrets: openSecrets(app.getPath('userData')),
    ...(ownDisplay ? { display: ownDisplay } : {}),
    wrapDriver: strip.wrapDriver,
    // The live view: a loopback WebSocket with a fresh token per viewer, so the preload stays the contract alone.
    liveEndpoint: new LoopbackLiveEndpoint(),
    ...sqliteBinding(),
  });
  for (const warning of service.warnings) console.warn(`Deskpilot: ${warning}`);
  setupProtocol(service);
  setupIpc(service);
  strip.attach(service);
  setupShortcuts(service);
  openMainWindow();
}

function openMainWindow(): void {
  mainWindow = createMainWindow();
  // The strip and marker are helpers of a run: closing the main window ends the app.
  mainWindow.once('closed', () => {
    mainWindow = undefined;
    app.quit();
  });
}

/** `npm start` builds better-sqlite3 for Electron's ABI beside the Node build the CLI uses. */
function sqliteBinding(): { sqliteBinding?: string } {
  const path = process.env['DESKPILOT_SQLITE_BINDING'];
  if (path && existsSync(path)) return { sqliteBinding: path };
  if (path) console.warn(`Deskpilot: DESKPILOT_SQLITE_BINDING points at a missing file (${path}); using the packaged better-sqlite3`);
  return {};
}

// Runs in flight are aborted and the database closed before the process goes.
let closed = false;
app.on('will-quit', (event) => {
  if (closed || !service) return;
  event.preventDefault();
  const closing = service;
  service = undefined;
  void closing
    .close()
    .catch((err: Error) => console.error(`Deskpilot: closing the engine: ${err.message}`))
    .finally(() => {
      closed = true;
      app.quit();
    });
});

app.on('second-instance', () => {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

// One app per data folder: two engines on one database would each think the other's runs crashed.
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app
    .whenReady()
    .then(onReady)
    .catch((err: Error) => {
      console.error(`Deskpilot could not start: ${err.stack ?? err.message}`);
      dialog.showErrorBox('Deskpilot could not start', err.message);
      app.exit(1);
    });
}
