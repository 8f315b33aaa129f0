// Replays over data through the CLI on a real X display: an automation run once per CSV row types
// each row's values into xterm (the file it appends to holds every line, in order); a row made to
// fail (its shell step exits non-zero) is reported in the results CSV while the others succeed, and
// the batch is one inbox item; an .xlsx LibreOffice saved reads as its CSV would; with --parallel 2, four
// rows run two at a time, each on a sandbox of its own (its file checked), one failing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_FORMAT } from '../agents/automations/automation.ts';
import { AutomationStore } from '../agents/automations/automation-store.ts';
import { parseCsv } from '../agents/automations/rows.ts';
import { ScheduleStore } from '../agents/automations/schedule-store.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { Store } from '../agents/store/store.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { runDeskpilot } from './support/cli.ts';

let display: VirtualDisplay;
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dp-replay-rows-'));
  db = join(dir, 'deskpilot.db');
  display = await startDisplay({ size: { width: 1024, height: 700 } });
  await openXterm(display, 'rows-xterm');
  const store = Store.open(db);
  new AutomationStore(store.db, join(dir, 'automations')).save({
    format: AUTOMATION_FORMAT, name: 'add row', params: [{ name: 'name' }, { name: 'amount' }], allowHealing: false,
    steps: [
      // A row named FAIL fails here, before anything is typed.
      { id: 's1', intent: 'shell: test "{{name}}" != FAIL', action: { type: 'tool', name: 'shell', input: { command: 'test "{{name}}" != FAIL' } } },
      { id: 's2', intent: 'type the row', action: { type: 'type', text: 'echo "{{name}} {{amount}}" >> ~/rows.txt\n' } },
    ],
  });
  store.close();
});

afterAll(async () => {
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runDeskpilot(args, { DESKPILOT_HOME: join(dir, 'home') });

const rowsRun = (csv: string) => cli(['automations', 'run', 'add row', '--rows', csv, '--display', display.display, '--approve', 'never', '--db', db]);

describe('automations run --rows', () => {
  it('types each of five rows into xterm, in order, and writes the results beside the input', { timeout: 180_000 }, async () => {
    const csv = join(dir, 'five.csv');
    writeFileSync(csv, 'name,amount,ignored\nada,10,x\nbob,20,x\n"cy, jr",30,x\ndee,40,x\neve,50,x\n');
    const r = await rowsRun(csv);
    expect(r.code, r.stderr).toBe(0);
    const file = join(display.env.HOME!, 'rows.txt');
    await expect.poll(() => readFileSync(file, 'utf8').split('\n').length, { timeout: 5000 }).toBe(6);
    expect(await waitForFile(file)).toBe('ada 10\nbob 20\ncy, jr 30\ndee 40\neve 50\n');
    const results = parseCsv(readFileSync(join(dir, 'five.results.csv'), 'utf8')).rows;
    expect(results.map((x) => [x['row'], x['status']])).toEqual([['1', 'succeeded'], ['2', 'succeeded'], ['3', 'succeeded'], ['4', 'succeeded'], ['5', 'succeeded']]);
    expect(results.every((x) => /^[0-9A-Z]{26}$/.test(x['run_id']!))).toBe(true);
    expect(r.stderr).toContain('columns ignored are not parameters');
  });

  it('reports a failing row in the results CSV and goes on with the other four; one inbox item for the batch', { timeout: 180_000 }, async () => {
    const file = join(display.env.HOME!, 'rows.txt');
    rmSync(file, { force: true });
    const csv = join(dir, 'one-fails.csv');
    writeFileSync(csv, 'name,amount\nfay,1\ngus,2\nFAIL,3\nhal,4\nivy,5\n');
    const r = await rowsRun(csv);
    expect(r.code).toBe(1);
    await expect.poll(() => readFileSync(file, 'utf8').split('\n').length, { timeout: 5000 }).toBe(5);
    expect(readFileSync(file, 'utf8')).toBe('fay 1\ngus 2\nhal 4\nivy 5\n');
    const results = parseCsv(readFileSync(join(dir, 'one-fails.results.csv'), 'utf8')).rows;
    expect(results.map((x) => x['status'])).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded']);
    expect(results[2]!['reason']).toMatch(/step 1\/2 shell: test "\{\{name\}\}" != FAIL failed: shell reported an error/);
    expect(results[2]!['run_id']).toMatch(/^[0-9A-Z]{26}$/);

    const store = Store.open(db);
    const inbox = new ScheduleStore(store.db).inbox();
    store.close();
    expect(inbox[0]).toMatchObject({ automation: 'add row', runId: null, status: 'needs_attention', summary: expect.stringMatching(/^5 rows of one-fails\.csv: 4 succeeded, 1 failed \(rows 3\)/) });
  });

  it('reads the rows of an .xlsx that LibreOffice saved: strings, numbers and dates typed as a person reads them', { timeout: 240_000 }, async () => {
    const file = join(display.env.HOME!, 'rows.txt');
    rmSync(file, { force: true });
    writeFileSync(join(dir, 'sheet.csv'), 'name,amount\njo,12.5\nkai,2026-03-31\n"lu ü",7\n');
    await promisify(execFile)('soffice', [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'lo-profile')).href}`, '--headless', '--norestore', '--nologo',
      '--infilter=CSV:44,34,76,1,,0,false,true', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'xlsx'), join(dir, 'sheet.csv'),
    ], { timeout: 150_000 });
    const r = await rowsRun(join(dir, 'xlsx', 'sheet.xlsx'));
    expect(r.code, r.stderr).toBe(0);
    await expect.poll(() => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length : 0), { timeout: 5000 }).toBe(4);
    expect(await waitForFile(file)).toBe('jo 12.5\nkai 2026-03-31\nlu ü 7\n');
    const results = parseCsv(readFileSync(join(dir, 'xlsx', 'sheet.results.csv'), 'utf8')).rows;
    expect(results.map((x) => [x['row'], x['status']])).toEqual([['1', 'succeeded'], ['2', 'succeeded'], ['3', 'succeeded']]);
  });
});

describe('automations run --rows --parallel', () => {
  it('runs four rows two at a time, each on a sandbox of its own; a failing row does not stop the others', { timeout: 300_000 }, async () => {
    const out = join(dir, 'parallel-out');
    mkdirSync(out);
    const store = Store.open(db);
    new AutomationStore(store.db, join(dir, 'automations')).save({
      format: AUTOMATION_FORMAT, name: 'add row on sandbox', params: [{ name: 'name' }, { name: 'amount' }], allowHealing: false,
      steps: [
        { id: 's1', intent: 'shell: test "{{name}}" != FAIL', action: { type: 'tool', name: 'shell', input: { command: 'test "{{name}}" != FAIL' } } },
        // A sandbox starts empty: the automation opens its terminal and waits until it has the focus.
        {
          id: 's2', intent: 'shell: open xterm', action: { type: 'tool', name: 'shell', input: {
            command: 'setsid xterm -e bash --norc --noprofile +H </dev/null >/dev/null 2>&1 & w=$(xdotool search --sync --onlyvisible --class xterm | head -1) && xdotool windowactivate --sync "$w"',
          } },
        },
        { id: 's3', intent: 'type the row', action: { type: 'type', text: 'echo "{{name}} {{amount}}" >> ~/rows.txt\n' } },
        // Waits for the shell in xterm to write the line, then copies the sandbox's file out (the sandbox goes when the run ends).
        {
          id: 's4', intent: 'shell: check and copy rows.txt', action: { type: 'tool', name: 'shell', input: {
            command: `for i in $(seq 100); do grep -qxF "{{name}} {{amount}}" ~/rows.txt 2>/dev/null && break; sleep 0.1; done; { cat ~/rows.txt; echo "$HOME"; } > ${out}/{{name}}.txt; grep -qxF "{{name}} {{amount}}" ~/rows.txt`,
          } },
        },
      ],
    });
    store.close();
    const csv = join(dir, 'par.csv');
    writeFileSync(csv, 'name,amount\nana,1\nbo,2\nFAIL,3\ndot,4\n');
    // Rows in parallel on one screen would type into each other's windows; --parallel is only for rows.
    const onDisplay = await cli(['automations', 'run', 'add row on sandbox', '--rows', csv, '--parallel', '2', '--display', display.display, '--db', db]);
    expect([onDisplay.code, onDisplay.stderr]).toEqual([2, expect.stringContaining('--parallel runs each row on a sandbox of its own: leave out --display')]);
    const noRows = await cli(['automations', 'run', 'add row on sandbox', '--param', 'name=x', '--parallel', '2', '--db', db]);
    expect([noRows.code, noRows.stderr]).toEqual([2, expect.stringContaining('--parallel N goes with --rows')]);

    const r = await cli(['automations', 'run', 'add row on sandbox', '--rows', csv, '--parallel', '2', '--approve', 'never', '--db', db]);
    expect(r.code, r.stderr).toBe(1);

    // Each row's line is the only one in its own sandbox's file, and every sandbox had a HOME of its own.
    const homes = new Set<string>();
    for (const [name, amount] of [['ana', '1'], ['bo', '2'], ['dot', '4']] as const) {
      const [line, home, ...rest] = readFileSync(join(out, `${name}.txt`), 'utf8').split('\n');
      expect([line, rest]).toEqual([`${name} ${amount}`, ['']]);
      expect(home).toMatch(/deskpilot-display-/);
      homes.add(home!);
    }
    expect(homes.size).toBe(3);
    expect(existsSync(join(out, 'FAIL.txt'))).toBe(false);

    const results = parseCsv(readFileSync(join(dir, 'par.results.csv'), 'utf8')).rows;
    expect(results.map((x) => [x['row'], x['status']])).toEqual([['1', 'succeeded'], ['2', 'succeeded'], ['3', 'failed'], ['4', 'succeeded']]);
    expect(results[2]!['reason']).toMatch(/step 1\/4 shell: test "\{\{name\}\}" != FAIL failed: shell reported an error/);

    const check = Store.open(db);
    const runs = results.map((x) => check.getRun(x['run_id']!)!);
    const inbox = new ScheduleStore(check.db).inbox();
    check.close();
    // Two at a time: the first two rows overlapped, and no three runs ever did.
    const overlap = (a: (typeof runs)[number], b: (typeof runs)[number]) => a.createdAt < b.endedAt! && b.createdAt < a.endedAt!;
    expect(overlap(runs[0]!, runs[1]!)).toBe(true);
    for (const [i, a] of runs.entries()) for (const [j, b] of runs.entries()) for (const c of runs.slice(Math.max(i, j) + 1)) if (i < j) expect(overlap(a, b) && overlap(a, c) && overlap(b, c)).toBe(false);
    expect(inbox[0]).toMatchObject({ automation: 'add row on sandbox', runId: null, status: 'needs_attention', summary: expect.stringMatching(/^4 rows of par\.csv: 3 succeeded, 1 failed \(rows 3\)/) });
  });
});
