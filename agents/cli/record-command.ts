// deskpilot automations record --name NAME --display :N: records the operator's own mouse and keyboard
// until Ctrl+C, merges it into steps with evidence, lets them review the steps, and saves.
import { createInterface } from 'node:readline';
import { AutomationError, parameterize } from '../automations/automation.ts';
import { buildFromRecording, recordDisplay } from '../automations/recorder.ts';
import { applyEdit, EDIT_HELP, type Draft } from '../automations/step-edits.ts';
import { plural } from '../run/run-format.ts';
import { CliError, optionReader, type Command } from './command.ts';
import { describeStep, paramsFrom, withAutomations } from './automations-commands.ts';
import { checkDisplay } from './display-option.ts';

const USAGE = 'automations record --name NAME [--display :N] [--param k=v ...] [--description TEXT] [--review] [--no-ocr] [--json] [--db PATH]';
const note = (line: string) => process.stderr.write(`${line}\n`);

export const recordCommand: Command = {
  path: ['automations', 'record'],
  usage: USAGE,
  summary: 'record your own mouse and keyboard on a display until Ctrl+C, review the steps (d/m/t/a/p, s to save), and save them as an automation',
  options: {
    name: { type: 'string' }, display: { type: 'string' }, param: { type: 'string', multiple: true }, description: { type: 'string' },
    review: { type: 'boolean' }, 'no-ocr': { type: 'boolean' }, json: { type: 'boolean' }, db: { type: 'string' },
  },
  async run({ values }) {
    const { str, usageError } = optionReader(USAGE);
    const name = str(values, 'name');
    if (!name) throw usageError('give --name NAME');
    const display = checkDisplay(str(values, 'display') ?? process.env['DISPLAY'] ?? '', USAGE);
    const params = paramsFrom(values, USAGE);
    const review = values['review'] === true || (process.stdin.isTTY ?? false);
    const description = str(values, 'description');

    return withAutomations(values, async (automations, cli) => {
      automations.filePath(name); // a bad name fails now, not after the demonstration
      const existing = automations.get(name);
      const recorder = await recordDisplay(display, {
        onInput: (i) => {
          if (i.kind === 'down') note(`  ${i.button} press at (${i.x}, ${i.y})`);
        },
        onA11y: (p, found) => note(`    (${p.x}, ${p.y}) is ${found.role} '${found.name}'`),
      }).catch((err: Error) => {
        throw new CliError(`cannot record display ${display}: ${err.message}`, 1);
      });
      try {
        note(`Recording display ${display}${existing ? ` (saves "${name}" as v${existing.version + 1})` : ''}. Do the task there, then press Ctrl+C here to stop.`);
        const stoppedBy = await untilStopped(() => recorder.error);
        const recording = await recorder.stop({ droppingStopKey: stoppedBy === 'SIGINT' });
        if (recorder.error) note(`recording stopped early: ${recorder.error.message}`);
        if (recording.steps.length === 0) throw new CliError(`nothing was recorded on ${display} (${recording.events} input events): no automation saved`, 1);

        note(`Recorded ${recording.events} input events as ${plural(recording.steps.length, 'step')}; gathering evidence...`);
        const built = await buildFromRecording(cli.store, recording, {
          name, ...(description ? { description } : {}), ocr: values['no-ocr'] !== true,
          onProgress: (done, total) => note(`  evidence ${done}/${total}`),
        });
        for (const w of built.warnings) note(`warning: ${w}`);
        let draft: Draft = built.automation;
        if (Object.keys(params).length) draft = { ...draft, steps: parameterize(draft.steps, params), params: Object.entries(params).map(([n, v]) => ({ name: n, default: v })) };
        if (review) {
          const reviewed = await reviewSteps(draft);
          if (!reviewed) {
            note('discarded: nothing saved');
            return 1;
          }
          draft = reviewed;
        }
        const saved = automations.save(draft);
        if (values['json'] === true) process.stdout.write(`${JSON.stringify(saved)}\n`);
        else {
          for (const [i, s] of saved.steps.entries()) for (const line of describeStep(s, i, saved.steps.length)) process.stdout.write(`${line}\n`);
          process.stdout.write(`saved automation "${saved.name}" v${saved.version} (${plural(saved.steps.length, 'step')}) to ${automations.filePath(saved.name)}\n`);
        }
        return 0;
      } finally {
        await recorder.close().catch(() => undefined);
      }
    });
  },
};

/** Resolves on Ctrl+C (SIGINT), SIGTERM, or when the recorder reports the display gone. */
function untilStopped(failed: () => Error | undefined): Promise<'SIGINT' | 'SIGTERM' | 'failed'> {
  return new Promise((resolve) => {
    const done = (why: 'SIGINT' | 'SIGTERM' | 'failed') => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      clearInterval(timer);
      resolve(why);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer = setInterval(() => failed() && done('failed'), 250);
  });
}

/** Shows the steps and applies review commands (from a terminal or piped lines) until s or q. */
async function reviewSteps(start: Draft): Promise<Draft | undefined> {
  const interactive = process.stdin.isTTY ?? false;
  const rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stderr } : {}), terminal: interactive });
  let draft = start;
  const show = () => {
    for (const [i, s] of draft.steps.entries()) for (const line of describeStep(s, i, draft.steps.length)) note(line);
    note(`Review the steps (? for help, s to save, q to discard):`);
  };
  show();
  try {
    for await (const line of rl) {
      if (!line.trim()) continue;
      if (line.trim() === '?') {
        note(EDIT_HELP);
        continue;
      }
      try {
        const result = applyEdit(draft, line);
        if ('save' in result) return draft;
        if ('quit' in result) return undefined;
        draft = result.draft;
        note(result.message);
        show();
      } catch (err) {
        if (!(err instanceof AutomationError)) throw err;
        note(`error: ${err.message}`);
      }
    }
    // Input ended without s or q: keep the work rather than lose it.
    note('input ended: saving the steps as they are');
    return draft;
  } finally {
    rl.close();
  }
}
