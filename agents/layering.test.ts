// The layers: which module may import which is checked by the linter (biome.json, noRestrictedImports,
// which sees static, dynamic and require imports). What it cannot check is that the renderer takes
// only *types* from the contract; this test does, with TypeScript's own parser, so comments and
// strings cannot fool it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface ImportSite {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** Every module a file loads: import and export-from declarations, import(), require() and import x = require(). */
export function importsOf(fileName: string, text: string): ImportSite[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec)) sites.push({ specifier: spec.text, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      // `import { type A, type B }` is type-only too: every named binding marked type, no default.
      const allTypes = !!clause && !clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause?.isTypeOnly || allTypes);
    } else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal as ts.Expression, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** What a renderer file may not load: anything of the engine but the contract's types, and Electron. */
function rendererOffences(file: string, text: string): string[] {
  return importsOf(file, text)
    .filter(({ specifier, typeOnly }) => {
      if (specifier === 'electron' || specifier.startsWith('electron/') || /(^|\/)electron\//.test(specifier)) return true;
      if (!/(^|\/)agents(\/|$)/.test(specifier)) return false;
      return !(typeOnly && /(^|\/)agents\/contract(\.ts)?$/.test(specifier));
    })
    .map((s) => `${relative(root, file)}:${s.line}: ${s.specifier}${s.typeOnly ? ' (types)' : ''}`);
}

describe('layering', () => {
  it('renderer/ takes only types from the contract, and nothing else from the engine or Electron', () => {
    const files = sourcesUnder(join(root, 'renderer', 'src'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => rendererOffences(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('sees every way of loading a module, and is not fooled by comments or strings', () => {
    const text = [
      "// import { commands } from '../../agents/contract.ts';",
      "const s = \"from '../../agents/run/agent-run.ts'\";",
      "import type { Run } from '../../agents/contract.ts';",
      "import { type Thread, type Settings } from '../../agents/contract.ts';",
      "import { commands } from '../../agents/contract.ts';",
      "export { x } from '../../agents/run/events.ts';",
      "const e = await import('electron');",
      "const r = require('../../agents/store/store.ts');",
      "import ipc = require('electron');",
    ].join('\n');
    expect(rendererOffences('/x/renderer/src/probe.tsx', text).map((o) => o.replace(/^.*?:(\d+): /, '$1 '))).toEqual([
      "5 ../../agents/contract.ts",
      "6 ../../agents/run/events.ts",
      '7 electron',
      "8 ../../agents/store/store.ts",
      '9 electron',
    ]);
  });
});
