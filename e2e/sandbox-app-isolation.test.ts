// Apps on a sandbox's display are kept from the other sandboxes' files as its commands are: an app
// launched on one sandbox (a shell in place of any app) cannot read a marker in another's HOME,
// while its own HOME and the rest of the machine stay reachable.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { sandboxesHidden } from '../agents/tools/sandbox-jail.ts';
import { waitForFile } from './support/apps.ts';

let a: VirtualDisplay;
let b: VirtualDisplay;
let outside: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startDisplay({ size: { width: 640, height: 480 } }), startDisplay({ size: { width: 640, height: 480 } })]);
  outside = mkdtempSync(join(tmpdir(), 'dp-isolation-outside-'));
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  if (outside) rmSync(outside, { recursive: true, force: true });
});

describe.runIf(sandboxesHidden())("a sandbox's apps", () => {
  it("cannot read another sandbox's HOME; their own HOME and other folders they can", async () => {
    writeFileSync(join(a.env.HOME!, 'marker.txt'), 'secret-of-a\n');
    writeFileSync(join(outside, 'shared.txt'), 'shared\n');
    const report = join(b.env.HOME!, 'report.txt');
    const script = [
      `cat ${a.env.HOME}/marker.txt 2>&1 || true`,
      `echo own=$(cat ~/own.txt 2>&1)`,
      `echo shared=$(cat ${outside}/shared.txt 2>&1)`,
    ].join('; ');
    writeFileSync(join(b.env.HOME!, 'own.txt'), 'mine');
    await b.launch('bash', ['-c', `{ ${script}; } > ${report}.part; mv ${report}.part ${report}`]);
    const seen = await waitForFile(report);
    expect(seen).not.toContain('secret-of-a');
    expect(seen).toMatch(/marker\.txt: (No such file|Permission denied)/);
    expect(seen).toContain('own=mine');
    expect(seen).toContain('shared=shared');
    // The marker is still there for anyone outside the sandboxes.
    expect(readFileSync(join(a.env.HOME!, 'marker.txt'), 'utf8')).toBe('secret-of-a\n');
  });
});
