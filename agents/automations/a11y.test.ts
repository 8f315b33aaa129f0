// The accessibility probe's plumbing without a desktop: reading the script's answer (and its
// failures), evidence from a component, and a probe that cannot answer (no python, hung, aborted,
// no display) resolving with a reason instead of throwing. The real AT-SPI tree: e2e/a11y.test.ts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { a11yEvidence, accessibleAt, atspiProbe, evidenceOf, findAccessible, parseProbeOutput, runProbe, type A11yProbe } from './a11y.ts';
import { evidenceSchema } from './automation.ts';

const FILE = { name: 'File', role: 'menu', box: { left: 320, top: 167, width: 39, height: 25 } };
const line = (o: unknown) => `${JSON.stringify(o)}\n`;

describe('parseProbeOutput', () => {
  it('reads the components of the last JSON line, names with whitespace collapsed', () => {
    const out = 'some library chatter\n' + line({ ok: true, hits: [FILE, { name: '  Save      As... ', role: 'menu item', box: { left: 320, top: 344, width: 304, height: 25 } }], apps: 1, visited: 94, partial: false, unresponsive: 0, ms: 80 });
    expect(parseProbeOutput(out, '')).toEqual({ components: [FILE, { name: 'Save As...', role: 'menu item', box: { left: 320, top: 344, width: 304, height: 25 } }] });
  });

  it('drops hits without a usable box or name', () => {
    const hits = [FILE, { name: 'Gone', role: 'menu item', box: { left: 0, top: 0, width: 0, height: 25 } }, { name: 'x', role: 'text' }, { role: 'text', box: FILE.box }, null];
    expect(parseProbeOutput(line({ ok: true, hits, apps: 1 }), '').components).toEqual([FILE]);
  });

  it('says why nothing was found: no app on the bus, apps that did not answer, a walk cut short', () => {
    expect(parseProbeOutput(line({ ok: true, hits: [], apps: 0 }), '').reason).toMatch(/^no application on the display exposes an accessibility tree \(GTK2 apps need GTK_MODULES=gail:atk-bridge/);
    expect(parseProbeOutput(line({ ok: true, hits: [], apps: 2, unresponsive: 1 }), '').reason).toBe('1 application did not answer');
    expect(parseProbeOutput(line({ ok: true, hits: [FILE], apps: 3, partial: true, visited: 20001 }), '')).toEqual({
      components: [FILE], reason: 'the tree was too big or slow to read whole (stopped after 20001 components)',
    });
    expect(parseProbeOutput(line({ ok: true, hits: [FILE], apps: 1, unresponsive: 0, partial: false }), '').reason).toBeUndefined();
  });

  it("passes on the script's own reason", () => {
    expect(parseProbeOutput(line({ ok: false, reason: "pyatspi is not available to /usr/bin/python3: No module named 'pyatspi'" }), '')).toEqual({ components: [], reason: "pyatspi is not available to /usr/bin/python3: No module named 'pyatspi'" });
  });

  it('explains a crash from stderr: no accessibility bus, no pyatspi, a signal', () => {
    const bus = "(process:4098): dbind-ERROR **: 22:06:03.099: AT-SPI: Couldn't connect to accessibility bus. Is at-spi-bus-launcher running?\n";
    expect(parseProbeOutput('', bus, { code: null, signal: 'SIGTRAP' }).reason).toMatch(/^no AT-SPI accessibility bus for this display \(no AT_SPI_BUS property on its root window/);
    const traceback = 'Traceback (most recent call last):\n  File "<string>", line 3, in <module>\nModuleNotFoundError: No module named \'gi\'\n';
    expect(parseProbeOutput('', traceback, { code: 1, signal: null }).reason).toBe('pyatspi is not installed for the system python3 (python3-pyatspi, gir1.2-atspi-2.0)');
    expect(parseProbeOutput('', 'Segmentation fault\n', { code: null, signal: 'SIGSEGV' }).reason).toBe('the accessibility probe was killed by SIGSEGV: Segmentation fault');
    expect(parseProbeOutput('{not json', '', { code: 0, signal: null }).reason).toBe('the accessibility probe printed no answer');
  });
});

describe('evidence from a component', () => {
  it('keeps the name, the role and the point relative to the centre, and fits the evidence schema', () => {
    const e = evidenceOf(FILE, { x: 345, y: 185 });
    expect(e).toEqual({ name: 'File', role: 'menu', offset: { x: 6, y: 6 } });
    expect(evidenceSchema.parse({ point: { x: 345, y: 185 }, a11y: e })).toMatchObject({ a11y: e });
    // Older evidence without an offset still parses.
    expect(evidenceSchema.parse({ point: { x: 1, y: 2 }, a11y: { name: 'File', role: 'menu' } }).a11y).toEqual({ name: 'File', role: 'menu' });
  });

  it('is not a paragraph of text, nor nameless', () => {
    expect(evidenceOf({ ...FILE, name: 'word '.repeat(60) }, { x: 330, y: 170 })).toBeUndefined();
    expect(evidenceOf({ ...FILE, name: '   ' }, { x: 330, y: 170 })).toBeUndefined();
  });

  it('asks a given probe, and tells why there is no evidence', async () => {
    const probe: A11yProbe = { at: async () => ({ components: [FILE] }), find: async () => ({ components: [] }) };
    expect(await a11yEvidence(probe, { x: 339, y: 179 })).toEqual({ name: 'File', role: 'menu', offset: { x: 0, y: 0 } });
    const reasons: string[] = [];
    const none: A11yProbe = { at: async () => ({ components: [], reason: 'no bus' }), find: async () => ({ components: [] }) };
    expect(await a11yEvidence(none, { x: 1, y: 1 }, { onReason: (r) => reasons.push(r) })).toBeUndefined();
    expect(reasons).toEqual(['no bus']);
  });
});

describe('a probe that cannot answer resolves with a reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-a11y-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A stand-in for python3: a shell script run as `python -c SOURCE ARGS...`. */
  const fakePython = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('python3 missing', async () => {
    const r = await runProbe(':1', ['at', '1', '1'], { python: join(dir, 'no-such-python') });
    expect(r.components).toEqual([]);
    expect(r.reason).toMatch(/no-such-python is not installed: the accessibility tree is read with python3 and pyatspi$/);
  });

  it('a hung probe is killed at the timeout', async () => {
    const python = fakePython('hangs', 'exec sleep 30');
    const started = Date.now();
    const r = await runProbe(':1', ['find', 'File', 'menu'], { python, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r).toMatchObject({ components: [], reason: 'the accessibility probe did not answer within 300 ms (an app that does not respond?)' });
  });

  it('an abort ends it at once', async () => {
    const python = fakePython('hangs-too', 'exec sleep 30');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    expect(await runProbe(':1', ['at', '1', '1'], { python, signal: ac.signal })).toMatchObject({ components: [], reason: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('no DISPLAY', async () => {
    expect((await runProbe({ DISPLAY: '' }, ['at', '1', '1'])).reason).toBe('no DISPLAY to read the accessibility tree of');
  });

  it('passes the arguments, the display and a walking budget under the timeout to the script', async () => {
    // Echoes what it was given as a hit: name = the arguments after the source, role = DISPLAY.
    const python = fakePython('echo', 'shift 2; printf \'{"ok": true, "apps": 1, "hits": [{"name": "%s", "role": "%s", "box": {"left": 1, "top": 2, "width": 3, "height": %s}}]}\\n\' "$*" "$DISPLAY" "$DESKPILOT_A11Y_BUDGET_MS"');
    const found = await findAccessible({ DISPLAY: ':42' }, { name: ' Save   As ', role: 'menu item' }, { python, timeoutMs: 3000 });
    expect(found).toEqual([{ name: 'find Save As menu item', role: ':42', box: { left: 1, top: 2, width: 3, height: 2300 } }]);
    expect(await accessibleAt(':43', { x: 10.4, y: 20.6 }, { python })).toMatchObject({ name: 'at 10 21', role: ':43' });
    expect((await atspiProbe(':44', { python }).find({ name: 'OK', role: 'push button' })).components[0]).toMatchObject({ name: 'find OK push button', role: ':44' });
  });

  it('a crash of the real script is explained, not thrown (no bus: DISPLAY names no server)', async () => {
    const reasons: string[] = [];
    const r = await accessibleAt({ DISPLAY: ':65000', DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined, AT_SPI_BUS_ADDRESS: undefined }, { x: 1, y: 1 }, { onReason: (m) => reasons.push(m) });
    expect(r).toBeUndefined();
    expect(reasons).toHaveLength(1);
    // With python3-pyatspi installed (build/install-linux-deps.sh): libatspi aborts for want of a bus.
    expect(reasons[0]).toMatch(/^(no AT-SPI accessibility bus for this display|pyatspi is not)/);
  });
});
