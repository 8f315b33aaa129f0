// npm run bench tasks: `tasks check` over 400 task files, and a sandbox's set-up time (display start to
// settled screen after the config steps) for a Calc, a Writer, an Impress and a Chromium task.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTasks } from '../../agents/cli/tasks-check-commands.ts';
import { openTarget } from '../../agents/desktop/targets.ts';
import { runConfig } from '../../agents/tasks/config.ts';
import { machineEnv } from '../../agents/tasks/machine.ts';
import { docx } from '../../agents/tasks/ooxml-fixtures.ts';
import { findTaskFiles } from '../../agents/tasks/run-task.ts';
import type { TaskSandbox } from '../../agents/tasks/sandbox.ts';
import { parseTask } from '../../agents/tasks/task-schema.ts';
import { printRows, time, timingRow, type Row } from './stats.ts';

const G = 'https://files.example.test/download?id=';

/** Task shapes like OSWorld's: Writer and Impress with downloads and pyautogui postconfig, Chrome with tabs, an unsupported one. */
function taskShape(i: number): Record<string, unknown> {
  const save = { type: 'execute', parameters: { command: ['python', '-c', "import pyautogui; import time; pyautogui.hotkey('ctrl', 's'); time.sleep(0.5);"] } };
  const office = (ext: string, func: string) => ({
    id: `t${i}`, snapshot: 'x', instruction: 'x',
    config: [{ type: 'download', parameters: { files: [{ url: `${G}${i}a`, path: `/home/user/Desktop/f${i}.${ext}` }] } }, { type: 'open', parameters: { path: `/home/user/Desktop/f${i}.${ext}` } }],
    evaluator: { postconfig: [{ type: 'activate_window', parameters: { window_name: `f${i}.${ext} - LibreOffice`, strict: true } }, save], func, result: { type: 'vm_file', path: `/home/user/Desktop/f${i}.${ext}` }, expected: { type: 'cloud_file', path: `${G}${i}b` } },
  });
  switch (i % 4) {
    case 0: return office('docx', 'compare_docx_files');
    case 1: return office('pptx', 'compare_pptx_files');
    case 2: return {
      id: `t${i}`, instruction: 'x',
      config: [{ type: 'launch', parameters: { command: ['google-chrome', '--remote-debugging-port=1337'] } }, { type: 'chrome_open_tabs', parameters: { urls_to_open: ['https://a.test', 'https://b.test'] } }],
      evaluator: { func: 'is_expected_tabs', result: { type: 'open_tabs_info' }, expected: { type: 'rule', rules: { type: 'url', urls: ['https://a.test'] } } },
    };
    default: return { id: `t${i}`, instruction: 'x', config: [{ type: 'googledrive', parameters: {} }], evaluator: { func: 'compare_pdf_images', result: { type: 'pdf_file' } } };
  }
}

async function benchCheck(dir: string): Promise<Row[]> {
  const domains = ['libreoffice_writer', 'libreoffice_impress', 'chrome', 'multi_apps'];
  for (let i = 0; i < 400; i++) {
    const d = join(dir, 'examples', domains[i % 4]!);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `t${i}.json`), JSON.stringify(taskShape(i)));
  }
  const samples: number[] = [];
  for (let n = 0; n < 5; n++) {
    const [ms] = await time(async () => checkTasks(await findTaskFiles([join(dir, 'examples')]), join(dir, 'cache')));
    samples.push(ms);
  }
  return [timingRow('tasks check, 400 task files (find, read, parse, check)', samples)];
}

async function setUp(name: string, dir: string, config: unknown[]): Promise<Row> {
  const [ms] = await time(async () => {
    const opened = await openTarget({ kind: 'sandbox', launch: [] });
    try {
      const v = opened.virtual!;
      const sandbox: TaskSandbox = { display: v, driver: opened.driver, taskDir: dir, warnings: [], env: machineEnv(v.env, 9400 + Math.floor(Math.random() * 500)), screen: v.info.size, osworldProfile: true };
      sandbox.chromePort = Number(sandbox.env!['DESKPILOT_CHROME_PORT']);
      await runConfig(parseTask({ id: name, instruction: 'x', config, evaluator: { func: 'infeasible' } }).config, sandbox, new AbortController().signal);
    } finally {
      await opened.close();
    }
  });
  return { name: `${name}: display start to settled screen`, value: `${(ms / 1000).toFixed(1)} s` };
}

export async function benchTasks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-tasks-'));
  try {
    printRows('Task check (no display; median of 5)', await benchCheck(dir));
    writeFileSync(join(dir, 'sheet.csv'), 'item,qty\napple,3\npear,5\n');
    writeFileSync(join(dir, 'letter.docx'), docx(['Dear Ada,', 'Thank you.']));
    writeFileSync(join(dir, 'page.html'), '<!doctype html><title>Bench</title><h1>Bench</h1>');
    const rows: Row[] = [];
    rows.push(await setUp('Calc (open a .csv)', dir, [{ type: 'download', parameters: { files: [{ url: 'sheet.csv', path: '~/sheet.csv' }] } }, { type: 'open', parameters: { path: '~/sheet.csv' } }]));
    rows.push(await setUp('Writer (open a .docx)', dir, [{ type: 'download', parameters: { files: [{ url: 'letter.docx', path: '~/letter.docx' }] } }, { type: 'open', parameters: { path: '~/letter.docx' } }]));
    rows.push(await setUp('Impress (new presentation)', dir, [{ type: 'launch', parameters: { command: ['libreoffice', '--impress'] } }]));
    rows.push(await setUp('Chromium (google-chrome + chrome_open_tabs)', dir, [
      { type: 'launch', parameters: { command: ['google-chrome', '--remote-debugging-port=1337', `file://${join(dir, 'page.html')}`] } },
      { type: 'chrome_open_tabs', parameters: { urls_to_open: [`file://${join(dir, 'page.html')}#2`] } },
    ]));
    printRows('Task sandbox set-up (one run each; moves with the machine load)', rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTasks();
