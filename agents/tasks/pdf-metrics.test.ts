// compare_pdfs on PDFs LibreOffice makes from documents we write: the same text scores 1, other
// text less (with where it differs), a blank page or a file that is no PDF 0.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRICS, type MetricContext } from './metrics.ts';
import { docx, writeFixture } from './ooxml-fixtures.ts';
import { pdfPages } from './pdf-metrics.ts';
import { parseTask } from './task-schema.ts';
import { unsupportedParts } from './task-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'deskpilot-pdf-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: MetricContext = { run: { status: 'done' } };
const comparePdfs = METRICS['compare_pdfs']!;
const pdf = (name: string) => join(dir, 'out', `${name}.pdf`);

beforeAll(async () => {
  const docs: Record<string, string[]> = {
    a: ['Quarterly report', 'Sales rose by 12 percent in the north.'],
    same: ['Quarterly report', 'Sales rose by 12 percent in the north.'],
    other: ['Quarterly report', 'Sales fell by 3 percent in the south.'],
    blank: [''],
  };
  const files = Object.entries(docs).map(([name, paragraphs]) => writeFixture(join(dir, `${name}.docx`), docx(paragraphs)));
  // One LibreOffice in a profile of its own converts them all (each PDF carries its own creation time).
  await promisify(execFile)('soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--nologo', '--convert-to', 'pdf', '--outdir', join(dir, 'out'), ...files], { timeout: 150_000 });
}, 180_000);

describe('compare_pdfs', () => {
  it('reads each page of a PDF LibreOffice wrote', async () => {
    const pages = await pdfPages(pdf('a'));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Sales rose by 12 percent in the north.');
  });

  it('scores 1 for the same text in another PDF file', async () => {
    expect(await comparePdfs(pdf('a'), pdf('same'), {}, ctx)).toEqual({ score: 1 });
  });

  it('scores other text below 1 and says where it differs; a blank page scores 0', async () => {
    const other = await comparePdfs(pdf('other'), pdf('a'), {}, ctx);
    expect(other.score).toBeGreaterThan(0.5);
    expect(other.score).toBeLessThan(1);
    expect(other.detail).toMatch(/^text similarity 0\.\d{3}; page 1 differs at character 23: "fell by 3 percent in the south." vs expected "rose by 12 percent in the north."$/);
    const blank = await comparePdfs(pdf('blank'), pdf('a'), {}, ctx);
    expect(blank.score).toBe(0);
    expect(blank.detail).toContain('text similarity 0.000');
  });

  it('averages over lists of PDFs, and a file that is no PDF adds 0', async () => {
    const notPdf = join(dir, 'notes.pdf');
    writeFileSync(notPdf, 'just text');
    const out = await comparePdfs([pdf('same'), notPdf], [pdf('a'), pdf('a')], {}, ctx);
    expect(out.score).toBe(0.5);
    expect(out.detail).toBe('PDF 2: notes.pdf is not a PDF pdftotext can read');
  });

  it('is reported unsupported before a run when pdftotext is missing', () => {
    const task = parseTask({ id: 'p', instruction: 'x', evaluator: { func: 'compare_pdfs', result: { type: 'vm_file', path: '/home/user/a.pdf' }, expected: { type: 'cloud_file', path: 'http://files.test/a.pdf' } } });
    expect(unsupportedParts(task)).toEqual([]);
    vi.stubEnv('PATH', dir);
    try {
      expect(unsupportedParts(task)).toEqual(['func "compare_pdfs" needs pdftotext (not installed; it comes with poppler-utils)']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
