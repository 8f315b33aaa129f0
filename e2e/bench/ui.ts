// UI figures: an event appended in the engine to its row rendered in Chromium, and the time to open
// a 1,000-step run. The real server and the built renderer, in headless Debian Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppService } from '../../agents/app/app-service.ts';
import { MemorySecrets } from '../../agents/app/secrets.ts';
import { RENDERER_DIR } from '../../agents/cli/serve-commands.ts';
import { startServer } from '../../agents/server/http-server.ts';
import { launchChromium } from '../support/ui-serve.ts';
import { printRows, timingRow } from './stats.ts';
import { runStart, stepRunEvents } from './ui-run-events.ts';

export async function benchUi({ liveSteps = 60, longSteps = 1000, opens = 12 } = {}): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dp-bench-ui-'));
  const service = await AppService.open({ dataDir, transport: 'http', secrets: new MemorySecrets(), env: {} });
  const server = await startServer({ service, host: '127.0.0.1', port: 0, staticDir: RENDERER_DIR });
  const browser = await launchChromium();
  try {
    const { store } = service;
    const png = await sharp({ create: { width: 1024, height: 640, channels: 3, background: '#dfe6ee' } }).png().toBuffer();
    const shot = store.putBlob(png, 'png');

    // A 1,000-step run (10,000 events) to open, and a live run to append to.
    const longThread = store.createThread('bench: long run');
    const long = store.createRun({ threadId: longThread.id, task: 'a 1,000-step run', provider: 'bench' });
    store.append(long.id, runStart(long.task));
    for (let s = 1; s <= longSteps; s++) store.appendMany(long.id, stepRunEvents(s, shot));
    store.append(long.id, { type: 'run_finished', steps: longSteps, answer: 'done' });
    store.setRunStatus(long.id, 'done', { answer: 'done' });
    const liveThread = store.createThread('bench: live run');
    const live = store.createRun({ threadId: liveThread.id, task: 'a live run', provider: 'bench' });
    store.append(live.id, runStart(live.task));

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx compiles the evaluated functions with esbuild's keepNames, which calls a __name helper.
    await page.addInitScript('globalThis.__name = (f) => f');
    const rendered = new Map<number, number>();
    await page.exposeFunction('__benchRowRendered', (step: number) => {
      if (!rendered.has(step)) rendered.set(step, performance.now());
    });
    await page.goto(`${server.url}#/threads/${liveThread.id}/runs/${live.id}`);
    await page.getByTestId('run-view').waitFor();
    await page.evaluate(() => {
      const report = (window as unknown as { __benchRowRendered: (s: number) => void }).__benchRowRendered;
      new MutationObserver(() => {
        for (const row of document.querySelectorAll<HTMLElement>('[data-testid="step-row"]')) {
          const step = Number(row.dataset['step']);
          if (!row.dataset['benchSeen']) {
            row.dataset['benchSeen'] = '1';
            report(step);
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });

    // Event appended -> row on screen, one step at a time with a pause between, as a live run does.
    const latencies: number[] = [];
    for (let s = 1; s <= liveSteps; s++) {
      const t0 = performance.now();
      store.append(live.id, { type: 'step_started', step: s });
      const deadline = t0 + 5000;
      while (!rendered.has(s) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      if (!rendered.has(s)) throw new Error(`row for step ${s} never rendered`);
      latencies.push(rendered.get(s)! - t0);
      for (const e of stepRunEvents(s, shot).slice(1)) store.append(live.id, e);
      await new Promise((r) => setTimeout(r, 40));
    }

    // Opening the long run: from the click on its row in the list to its timeline rows on screen.
    const openMs: number[] = [];
    for (let i = 0; i < opens; i++) {
      // A fresh page each time, so nothing of the run is cached in the store.
      await page.goto(`${server.url}#/threads/${longThread.id}`);
      await page.reload();
      await page.getByTestId('run-item').first().waitFor();
      openMs.push(
        await page.evaluate(async () => {
          const start = performance.now();
          document.querySelector<HTMLElement>('[data-testid="run-item"]')!.click();
          return new Promise<number>((resolve) => {
            const check = () => {
              const view = document.querySelector('[data-testid="run-view"]');
              if (view?.getAttribute('data-status') === 'done' && document.querySelector('[data-testid="step-row"]')) resolve(performance.now() - start);
              else requestAnimationFrame(check);
            };
            check();
          });
        }),
      );
    }
    printRows('UI (deskpilot serve + built renderer in headless Chromium)', [
      timingRow(`event appended -> its row rendered (${liveSteps} live steps)`, latencies, 'p95 <= 100 ms'),
      timingRow(`open a ${longSteps.toLocaleString('en')}-step run (${(longSteps * 10).toLocaleString('en')} events), ${opens} times`, openMs, '<= 300 ms'),
    ]);
  } finally {
    await browser.close();
    await server.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
