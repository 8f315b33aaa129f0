// Trust figures: the policy check per action over its corpus, what redaction adds per stored event, and what OCR masking adds per frame.
import { cpus } from 'node:os';
import { benchPolicy } from '../../agents/run/policy-bench.ts';
import { benchRedaction } from '../../agents/store/redact-bench.ts';
import { benchSecretTextMask } from './secret-text.ts';
import { printRows } from './stats.ts';

export async function benchTrust(): Promise<void> {
  const policy = benchPolicy();
  printRows(`Policy check per action (${policy.cases} corpus cases)`, [
    { name: 'median of the cases', value: `${policy.medianUs.toFixed(1)} µs` },
    { name: 'p95 of the cases', value: `${policy.p95Us.toFixed(1)} µs` },
    { name: 'slowest case', value: `${policy.maxUs.toFixed(1)} µs (${policy.slowest})` },
  ]);
  const redaction = benchRedaction();
  printRows('Redaction and caps per stored event', [
    { name: 'redact + cap + serialise', value: `median ${redaction.perEventUs.median.toFixed(1)} µs, p95 ${redaction.perEventUs.p95.toFixed(1)} µs` },
    { name: 'plain JSON.stringify', value: `${redaction.plainUs.toFixed(1)} µs` },
  ]);
  const ocr = await benchSecretTextMask();
  printRows(`OCR masking of card numbers and keys per 1280x800 frame (${ocr.frames} frames each, tesseract with one thread)`, [
    ...ocr.figures.map((f) => ({ name: `${f.lines} lines of text (${f.masked} words masked)`, median: f.medianMs, p95: f.p95Ms })),
    { name: 'load average meanwhile', value: `${ocr.load.toFixed(1)} on ${cpus().length} cores` },
  ]);
}
