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
import { benchParallel, parallelRows } from './parallel.ts';
import { benchMcp } from './mcp.ts';
import { benchSkills } from '../../agents/skills/bench.ts';

const sections: [string, () => Promise<void>][] = [
  ['desktop', () => benchDesktop()],
  ['loop', () => benchLoop()],
  ['ui', () => benchUi()],
  ['live', () => benchLiveView()],
  ['automations', () => benchAutomations()],
  ['tools', () => benchTools()],
  ['trust', () => benchTrust()],
  ['tasks', () => benchTasks()],
  ['parallel', async () => printRows('Parallel runs (each 20 steps, mock replying in 1.5 s)', parallelRows(await benchParallel()))],
  ['mcp', async () => printRows('MCP round trips from the SDK client over stdio, beside our own driver', await benchMcp())],
  ['skills', async () => {
    const s = await benchSkills();
    printRows('Skills', [
      { name: `discovery of ${s.skills} skills`, value: `median ${s.discoveryMedianMs.toFixed(1)} ms over ${s.discoveryRuns} runs`, target: '<= 100 ms' },
      { name: 'instructions that 50 skills add', value: `${s.instructionChars50} characters, about ${s.instructionTokens50} tokens (characters / 4, not a tokenizer); ${s.described50} described`, target: '<= 2,500 tokens' },
    ]);
  }],
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
