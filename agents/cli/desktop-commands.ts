// deskpilot shot | do: capture a display, or perform one action on it, through the desktop driver.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { ActionError, parseDesktopAction } from '../desktop/actions.ts';
import type { ImageFormat } from '../desktop/driver.ts';
import { OutOfBoundsError } from '../desktop/geometry.ts';
import { openTarget } from '../desktop/targets.ts';
import { CliError, interruptSignal, requireString, type Command } from './command.ts';

const FORMATS: Record<string, ImageFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

function displayOption(values: Record<string, unknown>, usage: string): string {
  const display = requireString(values, 'display', usage);
  if (!/^:\d+(\.\d+)?$/.test(display)) throw new CliError(`--display must look like :101, not "${display}"`);
  return display;
}

export const desktopCommands: Command[] = [
  {
    path: ['shot'],
    usage: 'shot --display :N --out FILE [--width W] [--method nut|screenshot-desktop]',
    summary: 'write a screenshot of a display to FILE (.png, .jpg or .webp), optionally scaled to width W',
    options: { display: { type: 'string' }, out: { type: 'string' }, width: { type: 'string' }, method: { type: 'string', default: 'nut' }, quality: { type: 'string' } },
    async run({ values }) {
      const usage = this.usage;
      const display = displayOption(values, usage);
      const out = requireString(values, 'out', usage);
      const format = FORMATS[extname(out).toLowerCase()];
      if (!format) throw new CliError(`--out must end in .png, .jpg or .webp, not "${out}"`);
      const width = values.width === undefined ? undefined : Number(values.width);
      if (width !== undefined && (!Number.isInteger(width) || width < 16 || width > 16_384)) throw new CliError('--width must be a whole number of pixels between 16 and 16384');
      const method = values.method === 'screenshot-desktop' ? 'screenshot-desktop' : values.method === 'nut' ? 'nut' : undefined;
      if (!method) throw new CliError('--method must be nut or screenshot-desktop');
      const { driver } = await openTarget({ kind: 'display', display });
      try {
        const shot = await driver.capture({ format, method, ...(width ? { width } : {}), ...(values.quality ? { quality: Number(values.quality) } : {}) }, interruptSignal());
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, shot.data);
        process.stdout.write(`${out}: ${shot.image.width}x${shot.image.height} ${format} of a ${shot.screen.width}x${shot.screen.height} screen (scale ${shot.scaleX.toFixed(3)})\n`);
      } finally {
        await driver.close();
      }
      return 0;
    },
  },
  {
    path: ['do'],
    usage: `do --display :N '<action JSON>'`,
    summary: `perform one action in screen pixels, e.g. '{"type":"click","x":100,"y":200}' or '{"type":"type","text":"hi\\n"}'`,
    options: { display: { type: 'string' } },
    async run({ values, positionals }) {
      const display = displayOption(values, this.usage);
      if (positionals.length !== 1) throw new CliError(`give exactly one action as JSON, e.g. deskpilot do --display ${display} '{"type":"click","x":100,"y":200}'`);
      let action;
      try {
        action = parseDesktopAction(positionals[0]);
      } catch (err) {
        throw new CliError((err as ActionError).message);
      }
      const { driver } = await openTarget({ kind: 'display', display });
      try {
        await driver.perform(action, interruptSignal());
      } catch (err) {
        const e = err as Error;
        throw new CliError(`${action.type} failed: ${e.message}`, err instanceof ActionError || err instanceof OutOfBoundsError ? 2 : 1);
      } finally {
        await driver.close();
      }
      process.stderr.write(`performed ${action.type}\n`);
      return 0;
    },
  },
];
