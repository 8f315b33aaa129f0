// npm run bench [section...]: prints the figures the issues name; nothing here passes or fails.
import { benchDesktop } from './desktop.ts';
import { benchLiveView } from './live-view.ts';
import { benchLoop } from './loop.ts';
import { benchUi } from './ui.ts';
import { benchAutomations } from './automations.ts';
import { benchParsers } from '../../agents/models/bench.ts';
import { benchFormats } from '../../agents/models/bench-formats.ts';
import { printRows } from './stats.ts';
import { benchTools } from './tools.ts';
import { benchTrust } from './trust.ts';
import { benchTasks } from './tasks.ts';

const sections: [string, () => Promise<void>][] = [
  ['desktop', () => benchDesktop()],
  ['loop', () => benchLoop()],
  ['ui', () => benchUi()],
  ['live', () => benchLiveView()],
  ['automations', () => benchAutomations()],
  ['tools', () => benchTools()],
  ['trust', () => benchTrust()],
  ['tasks', () => benchTasks()],
  ['models', async () => {
    // The image-token figures are arithmetic on the image size, not counts from a tokenizer or a server's usage: say so.
    printRows('Model replies and images (parse time per reply, measured; image tokens per step at default settings, 1280x800, COMPUTED from the published formulas (OpenAI: 85 + 170 per 512 px tile; Qwen2.5-VL: one token per 28x28 patch), not measured)', await benchParsers());
    printRows("Claude and Gemini formats (parse time; image tokens from each vendor's published formula, not measured; click round trip over every pixel)", benchFormats());
  }],
];
const only = process.argv.slice(2);
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
