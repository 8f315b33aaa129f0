import { describe, expect, it } from 'vitest';
import { parseTask, TaskFormatError } from './task-schema.ts';

/** Shaped like the tasks in OSWorld's evaluation_examples. */
const osworldCalc = {
  id: '0bf05a7d-b28b-44d2-955a-50b41e24012a',
  snapshot: 'libreoffice_calc',
  instruction: 'I would like to pad all the numbers in the Old ID column with zeros in front, to fill them up to seven digits.',
  source: 'https://example.invalid/forum',
  config: [
    { type: 'download', parameters: { files: [{ url: 'https://example.invalid/Customers.xlsx', path: '/home/user/Customers.xlsx' }] } },
    { type: 'open', parameters: { path: '/home/user/Customers.xlsx' } },
  ],
  trajectory: 'trajectories/',
  related_apps: ['libreoffice_calc'],
  evaluator: {
    postconfig: [
      { type: 'activate_window', parameters: { window_name: 'Customers.xlsx - LibreOffice Calc', strict: true } },
      { type: 'sleep', parameters: { seconds: 0.5 } },
      { type: 'execute', parameters: { command: ['python', '-c', "import pyautogui; pyautogui.hotkey('ctrl', 's');"] } },
    ],
    func: 'compare_table',
    expected: { type: 'cloud_file', path: 'https://example.invalid/Customers_gold.xlsx', dest: 'Customers_gold.xlsx' },
    result: { type: 'vm_file', path: '/home/user/Customers.xlsx', dest: 'Customers.xlsx' },
    options: { rules: [{ type: 'sheet_data', sheet_idx0: 0, sheet_idx1: 'EI0' }] },
  },
};

describe('parseTask', () => {
  it('reads an OSWorld Calc task: config steps, postconfig, getters and options', () => {
    const task = parseTask(osworldCalc);
    expect(task.id).toBe(osworldCalc.id);
    expect(task.config).toEqual([
      { type: 'download', files: [{ url: 'https://example.invalid/Customers.xlsx', path: '/home/user/Customers.xlsx' }] },
      { type: 'open', path: '/home/user/Customers.xlsx' },
    ]);
    expect(task.evaluator.postconfig).toEqual([
      { type: 'activate_window', windowName: 'Customers.xlsx - LibreOffice Calc', strict: true, byClass: false },
      { type: 'sleep', seconds: 0.5 },
      { type: 'execute', command: ['python', '-c', "import pyautogui; pyautogui.hotkey('ctrl', 's');"], shell: false },
    ]);
    expect(task.evaluator.metrics).toEqual([{
      func: 'compare_table',
      result: { type: 'vm_file', path: '/home/user/Customers.xlsx', multi: false },
      expected: { type: 'cloud_file', path: 'https://example.invalid/Customers_gold.xlsx', multi: false },
      options: { rules: [{ type: 'sheet_data', sheet_idx0: 0, sheet_idx1: 'EI0' }] },
    }]);
    expect(task.evaluator.conj).toBe('and');
    expect(task.extra).toMatchObject({ snapshot: 'libreoffice_calc', related_apps: ['libreoffice_calc'] });
  });

  it('lines up lists of funcs, getters and options, and spreads a single getter over all funcs', () => {
    const task = parseTask({
      id: 't', instruction: 'x',
      evaluator: {
        func: ['check_include_exclude', 'exact_match'], conj: 'or',
        result: { type: 'vm_command_line', command: 'ls ~', shell: true },
        expected: [{ type: 'rule', rules: { include: ['a'] } }, { type: 'rule', rules: { expected: 'b' } }],
        options: [{}, { x: 1 }],
      },
    });
    expect(task.evaluator.conj).toBe('or');
    expect(task.evaluator.metrics.map((m) => [m.func, m.result, m.expected, m.options])).toEqual([
      ['check_include_exclude', { type: 'vm_command_line', command: 'ls ~', shell: true }, { type: 'rule', rules: { include: ['a'] } }, {}],
      ['exact_match', { type: 'vm_command_line', command: 'ls ~', shell: true }, { type: 'rule', rules: { expected: 'b' } }, { x: 1 }],
    ]);
    expect(() => parseTask({ id: 't', instruction: 'x', evaluator: { func: ['a', 'b'], result: [{ type: 'rule', rules: 1 }] } }))
      .toThrow(/evaluator.result: a list of 1 for 2 funcs/);
  });

  it('keeps unknown step and getter types as unsupported instead of failing', () => {
    const task = parseTask({
      id: 't', instruction: 'x',
      config: [{ type: 'googledrive', parameters: { settings_file: 'x' } }, { type: 'command', parameters: { command: 'true' } }],
      evaluator: { func: 'check_accessibility_tree', result: { type: 'accessibility_tree' }, expected: { type: 'rule', rules: {} } },
    });
    expect(task.config).toEqual([{ type: 'unsupported', name: 'googledrive' }, { type: 'execute', command: 'true', shell: false }]);
    expect(task.evaluator.metrics[0]!.result).toEqual({ type: 'unsupported', name: 'accessibility_tree' });
  });

  it('reads chrome_open_tabs, the Chrome getters and a download checksum', () => {
    const task = parseTask({
      id: 't', instruction: 'x',
      config: [
        { type: 'chrome_open_tabs', parameters: { urls_to_open: ['https://example.com'] } },
        { type: 'download', parameters: { files: [{ url: 'http://h/a.docx', path: '~/a.docx', sha256: 'a'.repeat(64) }] } },
      ],
      evaluator: { func: 'is_expected_tabs', result: { type: 'open_tabs_info' }, expected: { type: 'rule', rules: {} } },
    });
    expect(task.config).toEqual([
      { type: 'chrome_open_tabs', urls: ['https://example.com'] },
      { type: 'download', files: [{ url: 'http://h/a.docx', path: '~/a.docx', sha256: 'a'.repeat(64) }] },
    ]);
    expect(task.evaluator.metrics[0]!.result).toEqual({ type: 'chrome', name: 'open_tabs_info', params: { type: 'open_tabs_info' } });
  });

  it('names the file and the step when a known step is malformed', () => {
    expect(() => parseTask({ id: 't', instruction: 'x', config: [{ type: 'sleep', parameters: { seconds: 'soon' } }], evaluator: { func: 'infeasible' } }, 'a.json'))
      .toThrow(new TaskFormatError('a.json: config[0] (sleep): seconds: Invalid input: expected number, received string'));
    expect(() => parseTask({ id: 't', instruction: 'x', evaluator: { func: 'exact_match', result: { type: 'vm_file' } } }, 'b.json')).toThrow(/^b\.json: evaluator\.result \(vm_file\): path/);
    expect(() => parseTask({ id: 't', evaluator: { func: 'infeasible' } }, 'c.json')).toThrow(/^c\.json: instruction/);
    expect(() => parseTask([], 'd.json')).toThrow(TaskFormatError);
    expect(() => parseTask({ id: 't', instruction: 'x', evaluator: { func: 'exact_match', result: { type: 'vm_file', path: ['a', 'b'] } } })).toThrow(/"multi": true goes with a list/);
  });
});
