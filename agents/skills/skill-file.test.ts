// The SKILL.md parser and validator on a corpus of good and broken files, each checked for exactly
// which fields are at fault; then the same files on disk through readSkillFolder (size limit, NUL).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SKILL_FILE_BYTES, nameProblem, parseSkillText, readSkillFolder, suggestName } from './skill-file.ts';

const fm = (fields: string, body = '# Steps\nDo it.\n') => `---\n${fields}\n---\n${body}`;
const ok = (name: string, extra = '') => fm(`name: ${name}\ndescription: Does a thing. Use when a thing is needed.${extra ? `\n${extra}` : ''}`);

interface Case {
  label: string;
  folder: string;
  text: string;
  /** Fields with errors ('' for a file-level error); empty: valid. */
  errors: string[];
  /** Fields with warnings ('' for the body); omitted: not checked. */
  warnings?: string[];
  check?: (r: ReturnType<typeof parseSkillText>) => void;
}

const CORPUS: Case[] = [
  // Valid
  { label: 'minimal', folder: 'pdf-tools', text: ok('pdf-tools'), errors: [], warnings: [] },
  { label: 'every optional field', folder: 'pdf-processing', text: ok('pdf-processing', 'license: Apache-2.0\ncompatibility: Requires poppler-utils\nmetadata:\n  author: example-org\n  version: "1.0"\nallowed-tools: shell read_file'), errors: [], warnings: [],
    check: (r) => expect(r.frontmatter).toMatchObject({ license: 'Apache-2.0', compatibility: 'Requires poppler-utils', metadata: { author: 'example-org', version: '1.0' }, allowedTools: ['shell', 'read_file'] }) },
  { label: 'allowed-tools as a YAML list (the spec allows it)', folder: 'a', text: ok('a', 'allowed-tools:\n  - Bash(git:*)\n  - Read'), errors: [], warnings: [], check: (r) => expect(r.frontmatter.allowedTools).toEqual(['Bash(git:*)', 'Read']) },
  { label: 'allowed-tools with Claude patterns', folder: 'a', text: ok('a', 'allowed-tools: Bash(git:*) Bash(jq:*) Read'), errors: [], check: (r) => expect(r.frontmatter.allowedTools).toEqual(['Bash(git:*)', 'Bash(jq:*)', 'Read']) },
  { label: 'digits only', folder: '2048', text: ok('"2048"'), errors: [] },
  { label: 'one character', folder: 'x', text: ok('x'), errors: [] },
  { label: '64 characters', folder: 'a'.repeat(64), text: ok('a'.repeat(64)), errors: [] },
  { label: 'unicode lowercase name', folder: 'café-tools', text: ok('café-tools'), errors: [] },
  { label: 'CJK name (letters without case)', folder: '表格', text: ok('表格'), errors: [] },
  { label: 'BOM', folder: 'bom', text: `\uFEFF${ok('bom')}`, errors: [], warnings: [] },
  { label: 'CRLF line endings', folder: 'crlf', text: ok('crlf').replace(/\n/g, '\r\n'), errors: [], warnings: [], check: (r) => expect(r.body).toBe('# Steps\nDo it.\n') },
  { label: 'BOM and CRLF', folder: 'both', text: `\uFEFF${ok('both').replace(/\n/g, '\r\n')}`, errors: [] },
  { label: 'folded multi-line description', folder: 'multi', text: fm('name: multi\ndescription: >\n  Converts files.\n  Use when asked to convert.'), errors: [], check: (r) => expect(r.frontmatter.description).toBe('Converts files. Use when asked to convert.') },
  { label: 'unicode description with emoji', folder: 'uni', text: fm('name: uni\ndescription: "Résumé → PDF 📄, 表格の変換"'), errors: [], check: (r) => expect(r.frontmatter.description).toBe('Résumé → PDF 📄, 表格の変換') },
  { label: 'description of exactly 1024 characters (emoji count once)', folder: 'd', text: fm(`name: d\ndescription: "${'📄'.repeat(1024)}"`), errors: [] },
  { label: 'quoted name', folder: 'quoted', text: fm("name: 'quoted'\ndescription: x"), errors: [] },
  { label: 'trailing spaces on the --- lines', folder: 'ts', text: '---  \nname: ts\ndescription: d\n---   \nbody', errors: [] },
  { label: 'a --- line inside the body stays in the body', folder: 'hr', text: fm('name: hr\ndescription: d', 'one\n---\ntwo\n'), errors: [], check: (r) => expect(r.body).toBe('one\n---\ntwo\n') },
  { label: 'YAML comments', folder: 'c', text: fm('# a comment\nname: c # the folder\ndescription: d'), errors: [] },
  { label: 'metadata number coerced with a warning', folder: 'm', text: ok('m', 'metadata:\n  version: 1.0'), errors: [], warnings: ['metadata'], check: (r) => expect(r.frontmatter.metadata).toEqual({ version: '1' }) },
  { label: 'unknown top-level field: warning only', folder: 'u', text: ok('u', 'version: 2'), errors: [], warnings: ['version'] },
  { label: 'empty body: warning', folder: 'e', text: fm('name: e\ndescription: d', ''), errors: [], warnings: [''] },
  { label: 'body over 500 lines: warning', folder: 'long', text: ok('long').replace('Do it.\n', 'line\n'.repeat(600)), errors: [], warnings: [''] },

  // Missing or malformed frontmatter
  { label: 'no frontmatter', folder: 'a', text: '# Just markdown\n', errors: [''] },
  { label: 'frontmatter not closed', folder: 'a', text: '---\nname: a\ndescription: d\n# body', errors: [''] },
  { label: 'empty file', folder: 'a', text: '', errors: [''] },
  { label: 'frontmatter after a blank line', folder: 'a', text: `\n${ok('a')}`, errors: [''] },
  { label: 'empty frontmatter', folder: 'a', text: '---\n---\nbody', errors: [''] },
  { label: 'frontmatter is a list', folder: 'a', text: '---\n- name: a\n---\n', errors: [''] },
  { label: 'frontmatter is a plain string', folder: 'a', text: '---\njust text\n---\n', errors: [''] },
  { label: 'bad YAML: unclosed quote', folder: 'a', text: fm('name: "a\ndescription: d'), errors: [''] },
  { label: 'bad YAML: bad indentation', folder: 'a', text: fm('name: a\n  description: d\n bad: x'), errors: [''] },
  { label: 'bad YAML: colon in an unquoted value', folder: 'a', text: fm('name: a\ndescription: Use it: when: needed'), errors: [''] },
  { label: 'bad YAML: duplicate key', folder: 'a', text: fm('name: a\nname: b\ndescription: d'), errors: [''] },
  { label: 'bad YAML: tab indentation', folder: 'a', text: fm('name: a\nmetadata:\n\tauthor: x\ndescription: d'), errors: [''] },

  // name
  { label: 'name missing', folder: 'a', text: fm('description: d'), errors: ['name'] },
  { label: 'name empty', folder: 'a', text: fm('name:\ndescription: d'), errors: ['name'] },
  { label: 'name empty string', folder: 'a', text: fm('name: ""\ndescription: d'), errors: ['name'] },
  { label: 'name uppercase', folder: 'PDF-Processing', text: ok('PDF-Processing'), errors: ['name'] },
  { label: 'name leading hyphen', folder: '-pdf', text: ok('-pdf'), errors: ['name'] },
  { label: 'name trailing hyphen', folder: 'pdf-', text: ok('pdf-'), errors: ['name'] },
  { label: 'name double hyphen', folder: 'pdf--processing', text: ok('pdf--processing'), errors: ['name'] },
  { label: 'name with underscore', folder: 'pdf_tools', text: ok('pdf_tools'), errors: ['name'] },
  { label: 'name with a space', folder: 'pdf tools', text: ok("'pdf tools'"), errors: ['name'] },
  { label: 'name with a dot', folder: 'pdf.tools', text: ok('pdf.tools'), errors: ['name'] },
  { label: 'name with a slash', folder: 'a', text: ok('a/b'), errors: ['name'] },
  { label: 'name 65 characters', folder: 'a'.repeat(65), text: ok('a'.repeat(65)), errors: ['name'] },
  { label: 'name a number', folder: '42', text: ok('42'), errors: ['name'] },
  { label: 'name a list', folder: 'a', text: fm('name: [a]\ndescription: d'), errors: ['name'] },
  { label: 'name differs from the folder', folder: 'pdf-tools', text: ok('pdf-processing'), errors: ['name'] },
  { label: 'name differs from the folder only by case of the folder', folder: 'Pdf', text: ok('pdf'), errors: ['name'] },
  { label: 'name in compatibility form (fullwidth letters)', folder: 'ａｂ', text: ok('ａｂ'), errors: ['name'] },

  // description
  { label: 'description missing', folder: 'a', text: fm('name: a'), errors: ['description'] },
  { label: 'description empty', folder: 'a', text: fm('name: a\ndescription: ""'), errors: ['description'] },
  { label: 'description only spaces', folder: 'a', text: fm('name: a\ndescription: "   "'), errors: ['description'] },
  { label: 'description 1025 characters', folder: 'a', text: fm(`name: a\ndescription: ${'x'.repeat(1025)}`), errors: ['description'] },
  { label: 'description a mapping', folder: 'a', text: fm('name: a\ndescription:\n  what: x'), errors: ['description'] },
  { label: 'description a number', folder: 'a', text: fm('name: a\ndescription: 12'), errors: ['description'] },
  { label: 'both missing', folder: 'a', text: fm('license: MIT'), errors: ['name', 'description'] },

  // Optional fields
  { label: 'compatibility over 500 characters', folder: 'a', text: ok('a', `compatibility: ${'y'.repeat(501)}`), errors: ['compatibility'] },
  { label: 'compatibility empty', folder: 'a', text: ok('a', 'compatibility: ""'), errors: ['compatibility'] },
  { label: 'compatibility a list', folder: 'a', text: ok('a', 'compatibility: [linux]'), errors: ['compatibility'] },
  { label: 'metadata a list', folder: 'a', text: ok('a', 'metadata: [a, b]'), errors: ['metadata'] },
  { label: 'metadata a string', folder: 'a', text: ok('a', 'metadata: author'), errors: ['metadata'] },
  { label: 'metadata nested mapping', folder: 'a', text: ok('a', 'metadata:\n  author:\n    name: x'), errors: ['metadata'] },
  { label: 'license a mapping', folder: 'a', text: ok('a', 'license:\n  spdx: MIT'), errors: ['license'] },
  { label: 'allowed-tools a number', folder: 'a', text: ok('a', 'allowed-tools: 3'), errors: ['allowed-tools'] },
  { label: 'allowed-tools a list of mappings', folder: 'a', text: ok('a', 'allowed-tools:\n  - shell: yes'), errors: ['allowed-tools'] },
  { label: 'several errors at once', folder: 'x', text: fm(`name: Bad_Name\ndescription: ""\ncompatibility: ${'z'.repeat(600)}\nmetadata: [1]`), errors: ['name', 'description', 'compatibility', 'metadata'] },
];

const fieldsOf = (r: ReturnType<typeof parseSkillText>, severity: 'error' | 'warning') => r.problems.filter((p) => p.severity === severity).map((p) => p.field ?? '');

describe('SKILL.md parser and validator: corpus', () => {
  it('has at least 40 files', () => expect(CORPUS.length).toBeGreaterThanOrEqual(40));

  for (const c of CORPUS) {
    it(c.label, () => {
      const r = parseSkillText(c.text, { file: `/skills/${c.folder}/SKILL.md`, folderName: c.folder });
      expect([...new Set(fieldsOf(r, 'error'))].sort()).toEqual([...c.errors].sort());
      if (c.warnings) expect([...new Set(fieldsOf(r, 'warning'))].sort()).toEqual([...c.warnings].sort());
      for (const p of r.problems) {
        expect(p.file).toBe(`/skills/${c.folder}/SKILL.md`);
        expect(p.message.length).toBeGreaterThan(15);
      }
      c.check?.(r);
    });
  }

  it('points at the line of a YAML error in the file (the frontmatter starts on line 2)', () => {
    const r = parseSkillText(fm('name: a\ndescription: "open'), { file: 'f', folderName: 'a' });
    expect(r.problems[0]!.message).toMatch(/line \d+/);
    expect(r.problems[0]!.message).toMatch(/not valid YAML/);
  });

  it('says what to rename when the name and the folder differ', () => {
    const r = parseSkillText(ok('pdf-processing'), { file: 'f', folderName: 'pdf-tools' });
    expect(r.problems[0]!.message).toBe('name "pdf-processing" differs from its folder "pdf-tools": rename the folder to "pdf-processing" or set name: pdf-tools');
  });

  it('suggests a valid name for a bad one', () => {
    expect(nameProblem('PDF_Processing')).toMatch(/e\.g\. "pdf-processing"/);
    expect(suggestName('  My Great  Skill!! ')).toBe('my-great-skill');
    expect(suggestName('--a--b--')).toBe('a-b');
    expect(nameProblem(suggestName('x'.repeat(80) + ' y'))).toBeUndefined();
  });

  it('survives YAML alias bombs without blowing up', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nname: a\ndescription: d';
    const r = parseSkillText(fm(bomb), { file: 'f', folderName: 'a' });
    expect(r.problems.some((p) => p.severity === 'error')).toBe(true);
  });
});

describe('readSkillFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'skill-file-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const make = (name: string, content: string | Buffer) => {
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(join(root, name, 'SKILL.md'), content);
    return join(root, name);
  };

  it('reads a valid skill', async () => {
    const r = await readSkillFolder(make('good', ok('good')));
    expect(r.problems).toEqual([]);
    expect(r.frontmatter.name).toBe('good');
    expect(r.file).toBe(join(root, 'good', 'SKILL.md'));
  });

  it('refuses a huge SKILL.md unread, with the size and the limit', async () => {
    const r = await readSkillFolder(make('huge', ok('huge') + 'x'.repeat(MAX_SKILL_FILE_BYTES)));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/is 25\d KB; the limit is 256 KB/);
    expect(r.text).toBe('');
  });

  it('refuses a binary file and reports a missing one', async () => {
    expect((await readSkillFolder(make('bin', Buffer.from([0x2d, 0x2d, 0x2d, 0, 1, 2])))).problems[0]!.message).toMatch(/not a text file/);
    mkdirSync(join(root, 'empty'));
    expect((await readSkillFolder(join(root, 'empty'))).problems[0]!.message).toMatch(/there is no SKILL.md/);
  });
});
