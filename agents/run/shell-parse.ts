// A small, forgiving shell lexer for the risk policy: it undoes quoting and escapes the way a
// shell would (r\m, 'rm', "r"m and $'\x72m' are all rm), splits a line into simple commands at
// ; && || | & and newlines, and hands back what runs inside $(...), `...`, <(...) and >(...) so
// the policy can judge it too. It never throws: unbalanced text is read as far as it goes.

export interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** Words with quoting removed. */
  words: string[];
  /** For each word, whether part of it is computed ($VAR, $(...), `...`, ${...}). */
  dynamic: boolean[];
  redirects: Redirect[];
  /** Standard input comes from the previous command through a pipe. */
  pipedIn: boolean;
  /** Index of the pipeline the command belongs to (commands joined by | share one). */
  pipeline: number;
}

export interface ParsedShell {
  commands: SimpleCommand[];
  /** Scripts run by command substitution ($(...) and backticks). */
  substitutions: string[];
  /** Scripts run by process substitution (<(...), >(...)). */
  processSubstitutions: string[];
  /** Words that stand for a process substitution, as they appear in a command's words. */
  processWords: Set<string>;
}

const CLOSERS: Record<string, string> = { '(': ')', '{': '}' };

/** The index just past the bracket matching the one at `open`, skipping quoted text. */
function matchClose(s: string, open: number): number {
  const o = s[open]!;
  const c = CLOSERS[o]!;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (ch === "'") i = skipTo(s, i + 1, "'");
    else if (ch === '"') i = skipDouble(s, i + 1);
    else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i + 1;
  }
  return s.length;
}

function skipTo(s: string, from: number, ch: string): number {
  const j = s.indexOf(ch, from);
  return j < 0 ? s.length : j;
}

function skipDouble(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length;
}

// ANSI-C quoting ($'...'): the escapes a shell decodes, so $'\x72\x6d' reads as rm.
function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

const OPERATORS = ['&&', '||', '|&', ';;', '|', ';', '&', '\n', '(', ')'];
const REDIRECT = /^(?:\d*|&)(?:>>|>\||>&|>|<<<|<<-|<<|<&|<>|<)/;

/** Splits shell text into simple commands, with the scripts that substitutions would run. */
export function parseShell(input: string): ParsedShell {
  // Line continuations join lines before anything else, as in a shell.
  const s = input.replace(/\\\r?\n/g, '').replace(/\r\n?/g, '\n');
  const out: ParsedShell = { commands: [], substitutions: [], processSubstitutions: [], processWords: new Set() };
  let cmd = newCommand(false, 0);
  let word = '';
  let inWord = false;
  let dyn = false;
  let pendingRedirect: string | undefined;
  let pipeline = 0;

  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect) cmd.redirects.push({ op: pendingRedirect, target: word });
    else {
      cmd.words.push(word);
      cmd.dynamic.push(dyn);
    }
    pendingRedirect = undefined;
    word = '';
    inWord = false;
    dyn = false;
  };
  const endCommand = (op: string) => {
    endWord();
    if (cmd.words.length || cmd.redirects.length) out.commands.push(cmd);
    if (op !== '|' && op !== '|&') pipeline++;
    cmd = newCommand(op === '|' || op === '|&', pipeline);
  };
  const substitution = (body: string) => {
    out.substitutions.push(body);
    word += '\u0000';
    inWord = true;
    dyn = true;
  };

  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const rest = s.slice(i, i + 4);
    if (ch === '\\') {
      if (i + 1 < s.length) word += s[++i];
      inWord = true;
    } else if (ch === "'") {
      const j = skipTo(s, i + 1, "'");
      word += s.slice(i + 1, j);
      inWord = true;
      i = j;
    } else if (rest.startsWith("$'")) {
      let j = i + 2;
      while (j < s.length && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
      word += decodeAnsiC(s.slice(i + 2, j));
      inWord = true;
      i = j;
    } else if (ch === '"') {
      const j = skipDouble(s, i + 1);
      const inner = parseDoubleQuoted(s.slice(i + 1, j));
      word += inner.text;
      if (inner.dynamic) dyn = true;
      out.substitutions.push(...inner.substitutions);
      inWord = true;
      i = j;
    } else if (rest.startsWith('$((')) {
      const j = matchClose(s, i + 1);
      const body = s.slice(i + 3, j - 2);
      if (/\$\(|`/.test(body)) out.substitutions.push(...parseDoubleQuoted(body).substitutions);
      word += '\u0000';
      inWord = true;
      dyn = true;
      i = j - 1;
    } else if (rest.startsWith('$(')) {
      const j = matchClose(s, i + 1);
      substitution(s.slice(i + 2, j - 1));
      i = j - 1;
    } else if (rest.startsWith('${')) {
      const j = matchClose(s, i + 1);
      word += `\u0000${/^[A-Za-z_]\w*/.exec(s.slice(i + 2, j - 1))?.[0] ?? ''}`;
      inWord = true;
      dyn = true;
      i = j - 1;
    } else if (ch === '$' && /[A-Za-z_0-9@*#?!$-]/.test(s[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z_0-9]*|^./.exec(s.slice(i + 1))!;
      word += `\u0000${m[0]}`;
      inWord = true;
      dyn = true;
      i += m[0].length;
    } else if (ch === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
      substitution(s.slice(i + 1, j));
      i = j;
    } else if ((rest.startsWith('<(') || rest.startsWith('>(')) && !inWord) {
      endWord();
      const j = matchClose(s, i + 1);
      out.processSubstitutions.push(s.slice(i + 2, j - 1));
      const marker = `\u0000proc${out.processSubstitutions.length}`;
      out.processWords.add(marker);
      if (pendingRedirect) cmd.redirects.push({ op: pendingRedirect, target: marker });
      else {
        cmd.words.push(marker);
        cmd.dynamic.push(true);
      }
      pendingRedirect = undefined;
      i = j - 1;
    } else if (ch === '#' && !inWord) {
      // A comment runs to the end of the line.
      const j = s.indexOf('\n', i);
      i = (j < 0 ? s.length : j) - 1;
    } else if (/\s/.test(ch) && ch !== '\n') {
      endWord();
    } else if (!inWord && REDIRECT.test(s.slice(i, i + 5))) {
      endWord();
      const op = REDIRECT.exec(s.slice(i, i + 5))![0];
      pendingRedirect = op.replace(/^\d+/, '');
      i += op.length - 1;
    } else if ((ch === '>' || ch === '<') && inWord && /^\d+$/.test(word)) {
      // "2>file": the digits were a file descriptor, not a word.
      word = '';
      inWord = false;
      const op = REDIRECT.exec(s.slice(i, i + 5))![0];
      pendingRedirect = op;
      i += op.length - 1;
    } else if (ch === '>' || ch === '<') {
      endWord();
      const op = REDIRECT.exec(s.slice(i, i + 5))![0];
      pendingRedirect = op;
      i += op.length - 1;
    } else {
      const op = OPERATORS.find((o) => s.startsWith(o, i));
      if (op) {
        endCommand(op);
        i += op.length - 1;
      } else {
        word += ch;
        inWord = true;
      }
    }
  }
  endCommand(';');
  return out;
}

function newCommand(pipedIn: boolean, pipeline: number): SimpleCommand {
  return { words: [], dynamic: [], redirects: [], pipedIn, pipeline };
}

// Inside double quotes only \ $ ` " are special; substitutions still run.
function parseDoubleQuoted(body: string): { text: string; dynamic: boolean; substitutions: string[] } {
  let text = '';
  let dynamic = false;
  const substitutions: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && /[\\$`"\n]/.test(body[i + 1] ?? '')) text += body[++i];
    else if (body.startsWith('$(', i) && !body.startsWith('$((', i)) {
      const j = matchClose(body, i + 1);
      substitutions.push(body.slice(i + 2, j - 1));
      text += '\u0000';
      dynamic = true;
      i = j - 1;
    } else if (ch === '`') {
      let j = i + 1;
      while (j < body.length && body[j] !== '`') j += body[j] === '\\' ? 2 : 1;
      substitutions.push(body.slice(i + 1, j));
      text += '\u0000';
      dynamic = true;
      i = j;
    } else if (ch === '$' && /[A-Za-z_{(0-9@*#?!$-]/.test(body[i + 1] ?? '')) {
      text += '\u0000';
      dynamic = true;
    } else text += ch;
  }
  return { text, dynamic, substitutions };
}
