// Risk of a shell command line, whether the model typed it into a terminal or called the shell tool.
// One place, so a `type` action and a `shell` call are judged alike. The text is first read as a
// shell would read it (quotes and escapes undone, split into simple commands, substitutions opened),
// then judged by shape where a shape exists (anything piped into a shell or interpreter, any
// command or process substitution, a computed command name) and by name for destructive commands.
import { parseKeys } from '../desktop/keys.ts';
import { comboRisks } from './key-risk.ts';
import { parseShell, type SimpleCommand } from './shell-parse.ts';

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'ash', 'yash', 'rbash']);
const INTERPRETER = /^(?:python[\d.]*|pypy[\d.]*|perl[\d.]*|ruby[\d.]*|irb|node(?:js)?|deno|bun|php[\d.]*|lua[\d.]*|luajit|tclsh[\d.]*|wish|rscript|osascript|pwsh|powershell|jshell|groovy|scala|julia|awk|gawk|mawk|nawk|expect)$/i;
// Commands that run the rest of their words as another command.
const WRAPPERS = new Set(['nohup', 'time', 'nice', 'ionice', 'exec', 'command', 'builtin', 'env', 'timeout', 'xargs', 'watch', 'stdbuf', 'setsid', 'chroot', 'strace', 'ltrace', 'unbuffer', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'nocorrect', 'noglob', 'flock', 'parallel', 'chrt', 'taskset', 'catchsegv', 'firejail', 'busybox']);
const AS_ROOT = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0', 'gksu', 'gksudo', 'kdesu', 'sudoedit']);
// Options of wrappers that take a value, so the value is not taken for the command.
const VALUE_OPTIONS = /^-(?:[ugpChUrtDRgn]|-user|-group|-prompt|-close-from|-host|-chdir|-role|-type|-signal|-kill-after|-adjustment|-classdata|-class|-interval|-max-args|-replace|-max-procs|-delimiter|-arg-file|I|L|P|n|s|d|k|a|E|c|S)$/;
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'lwp-download', 'http', 'https', 'xh', 'nc', 'ncat', 'socat', 'scp', 'rsync', 'ftp', 'tftp']);
const DECODERS = /^(?:base64|base32|basenc|xxd|uudecode|openssl|gpg|gzip|gunzip|zcat|bzip2|bunzip2|xz|unxz|rev|tr|od|printf)$/;

// The root or a top-level system folder, and the home folder: where broad changes are ruinous.
const SYSTEM_DIR = /^\/+\*?$|^\/(?:home|root|etc|usr|bin|sbin|lib\d*|var|boot|opt|srv|dev|proc|sys|mnt|media)\/?\*?$/;
const HOME_DIR = /^(?:~|\u0000HOME)\/?\*?$|^~[\w.-]+\/?$/;
const broad = (a: string) => SYSTEM_DIR.test(a) || HOME_DIR.test(a);
// Files whose truncation or change breaks a login or the system.
const PROTECTED_FILE = /^(?:(?:~|\u0000HOME|\/home\/[^/]+|\/root)\/\.[^/]|\/(?:etc|boot|usr|bin|sbin|lib\d*|var\/lib|sys|proc)\/|\/dev\/(?!null$|stdout$|stderr$|stdin$|tty$|fd\/|pts\/))/;
const NETWORK_DEVICE = /^\/dev\/(?:tcp|udp)\//;

// Patterns in the text itself, whatever program reads it (a REPL, a database prompt, python -c).
const TEXT_PATTERNS: [RegExp, string][] = [
  [/\b(?:shutil\s*\.\s*)?rmtree\s*\(|\bos\s*\.\s*(?:remove|unlink|rmdir|removedirs)\s*\(|\.unlink\s*\(|\bfs\s*\.\s*(?:rm|rmdir|unlink)(?:Sync)?\s*\(|\b(?:rm|rmdir|unlink)Sync\s*\(|\brimraf\b|FileUtils\s*\.\s*rm(?:_rf|_r|_f)?\b|\bunlink\s+["']|\bFile\s*\.\s*delete\b/, 'deletes files from code'],
  [/\bos\s*\.\s*(?:system|popen|exec[lv]p?e?|spawn\w*)\s*\(|\bsubprocess\s*\.|\bpty\s*\.\s*spawn|\bchild_process\b|\b(?:execSync|spawnSync|execFileSync)\s*\(|__import__\s*\(\s*["']os|\bRuntime\s*\.\s*getRuntime|\bsystem\s*\(\s*["'`]|\bexec\s*\(\s*["'`](?:rm|sh|bash|curl|wget)\b/, 'runs shell commands from code'],
  [/\b(?:DROP|TRUNCATE)\s+(?:TABLE|DATABASE|SCHEMA|INDEX|VIEW|USER|ROLE)\b|\bTRUNCATE\s+[\w."`[\]]+\s*;|\bALTER\s+TABLE\s+\S+\s+DROP\b/i, 'destroys data'],
  // SQL's shape (a table name, then the end, a ; or a clause), so "delete from the list" in prose is not it.
  [/\bDELETE\s+FROM\s+[\w."`[\]]+\s*(?:;|$|\b(?:WHERE|USING|RETURNING|LIMIT)\b)/i, 'deletes rows'],
  [/\bUPDATE\s+[\w."`[\]]+\s+SET\b(?![^;]*\bWHERE\b)/i, 'changes every row of a table'],
];
// A run or replay of ours told to skip approvals would dodge the operator's; judged on words with quotes undone.
const approvalsOff = (words: string[]) =>
  words.some((w, i) => w === 'DESKPILOT_APPROVE=never' || w === '--approve=never' || (w === '--approve' && words[i + 1] === 'never'));
// A shell function that calls itself twice through a pipe or in the background: a fork bomb.
// Names start where a name cannot continue and bodies are bounded, so a long line stays linear.
const FORK_BOMB = /(?<![\w:.!@%^-])([\w:.!@%^-]{1,64})\s*\(\s*\)\s*\{[^}]{0,200}?\1\s*\|\s*\1|\bfunction\s+([\w:.-]{1,64})[^{]{0,20}\{[^}]{0,200}?\2\s*\|\s*\2|\bfork\s*\(\s*\)\s*(?:;|\))?\s*while|while\s*(?:True|1|\(1\))\s*:?\s*os\s*\.\s*fork/;

const MAX_COMMAND = 16 * 1024;

/** Reasons a command line is risky (each a short phrase such as "deletes files"); empty when it is not. */
export function assessCommand(command: string): string[] {
  const reasons = new Set<string>();
  // Reading is bounded in time: past the limit the rest is not read, so the text is risky unread.
  if (command.length > MAX_COMMAND) reasons.add(`is too long to check (${Math.round(command.length / 1024)} KB)`);
  judge(command.slice(0, MAX_COMMAND), reasons, 0);
  // The specific reason says more than the shape it was found by.
  if (reasons.has('runs a downloaded script') || reasons.has('runs decoded text as commands')) {
    reasons.delete('pipes into a shell');
    reasons.delete('pipes into an interpreter');
  }
  return [...reasons];
}

function judge(text: string, reasons: Set<string>, depth: number): void {
  if (!text.trim()) return;
  // Deeper nesting than any honest command is itself the evasion.
  if (depth > 6) {
    reasons.add('nests commands too deeply to check');
    return;
  }
  const flat = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ');
  for (const [re, why] of TEXT_PATTERNS) if (re.test(flat)) reasons.add(why);
  if (FORK_BOMB.test(flat)) reasons.add('starts a fork bomb');

  const parsed = parseShell(text);
  if (parsed.substitutions.length) reasons.add('runs a command substitution');
  if (parsed.processSubstitutions.length) reasons.add('runs a process substitution');
  for (const sub of [...parsed.substitutions, ...parsed.processSubstitutions]) judge(sub, reasons, depth + 1);

  const pipelines = new Map<number, SimpleCommand[]>();
  for (const cmd of parsed.commands) {
    if (approvalsOff(cmd.words)) reasons.add('turns approvals off');
    const list = pipelines.get(cmd.pipeline);
    if (list) list.push(cmd);
    else pipelines.set(cmd.pipeline, [cmd]);
  }
  for (const pipeline of pipelines.values()) {
    let downloaded = false;
    let decoded = false;
    for (const cmd of pipeline) {
      const names = judgeCommand(cmd, reasons, depth, parsed.processWords, parsed.processSubstitutions);
      const runsInput = names.some((n) => n.runsStdin);
      if (runsInput && downloaded) reasons.add('runs a downloaded script');
      if (runsInput && decoded) reasons.add('runs decoded text as commands');
      if (names.some((n) => DOWNLOADERS.has(n.name))) downloaded = true;
      if (names.some((n) => DECODERS.test(n.name))) decoded = true;
    }
  }
}

interface Invoked {
  name: string;
  /** Reads the program it runs from standard input. */
  runsStdin: boolean;
}

/** Judges one simple command (unwrapping sudo, env, xargs...) and says which programs it starts. */
function judgeCommand(cmd: SimpleCommand, reasons: Set<string>, depth: number, processWords: Set<string>, processScripts: string[]): Invoked[] {
  if (depth > 6) {
    reasons.add('nests commands too deeply to check');
    return [];
  }
  for (const r of cmd.redirects) judgeRedirect(r.op, r.target, reasons);
  let words = cmd.words;
  let dynamic = cmd.dynamic;
  const invoked: Invoked[] = [];
  let viaXargs = false;
  for (let guard = 0; guard < 16 && words.length; guard++) {
    // Leading assignments (FOO=bar cmd) are not the command.
    let k = 0;
    while (k < words.length && /^[A-Za-z_]\w*\+?=/.test(words[k]!)) k++;
    if (k === words.length) {
      if (cmd.words.length) invoked.push({ name: '', runsStdin: false });
      return invoked;
    }
    words = words.slice(k);
    dynamic = dynamic.slice(k);
    if (dynamic[0] && !processWords.has(words[0]!)) reasons.add('runs a command whose name is computed');
    const name = basename(words[0]!);
    const args = words.slice(1);
    if (AS_ROOT.has(name)) {
      reasons.add('runs as another user');
      const c = args.indexOf('-c');
      if (name === 'su' && c >= 0 && args[c + 1]) {
        judge(args[c + 1]!, reasons, depth + 1);
        return invoked;
      }
    }
    if (WRAPPERS.has(name) || AS_ROOT.has(name)) {
      if (name === 'xargs' || name === 'parallel') viaXargs = true;
      const skip = wrapperArgs(name, args, true);
      // Whether an option takes a value differs by program (xargs -r does not, sudo -r does):
      // when it matters, the reading where it takes none is judged too.
      const loose = wrapperArgs(name, args, false);
      if (loose !== skip) invoked.push(...judgeCommand({ ...cmd, words: args.slice(loose), dynamic: dynamic.slice(1 + loose), redirects: [] }, reasons, depth + 1, processWords, processScripts));
      words = args.slice(skip);
      dynamic = dynamic.slice(1 + skip);
      continue;
    }
    const pipedIn = cmd.pipedIn || viaXargs || cmd.redirects.some((r) => r.op.startsWith('<') && r.op !== '<>');
    invoked.push(...judgeProgram(name, args, cmd.redirects, pipedIn, viaXargs, reasons, depth, processWords, processScripts));
    return invoked;
  }
  // More wrappers than any honest command: what they wrap was not read.
  if (words.length) reasons.add('nests commands too deeply to check');
  return invoked;
}

function wrapperArgs(name: string, args: string[], values: boolean): number {
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') return i + 1;
    if (/^[A-Za-z_]\w*=/.test(a) && (name === 'env' || name === 'sudo')) i++;
    else if (a.startsWith('-') && a.length > 1) i += values && name !== 'command' && VALUE_OPTIONS.test(a) && !a.includes('=') ? 2 : 1;
    else if ((name === 'timeout' || name === 'nice' || name === 'watch' || name === 'chrt' || name === 'taskset') && /^[\d.]+[smhd]?$|^0x[\da-f]+$/i.test(a)) i++;
    else if ((name === 'chroot' || name === 'flock') && i === 0) i++;
    else if (name === 'su' || name === 'busybox') return name === 'busybox' ? i : args.length;
    else return i;
  }
  return i;
}

const basename = (w: string) => w.replace(/^.*\//, '');

function judgeProgram(name: string, args: string[], redirects: SimpleCommand['redirects'], pipedIn: boolean, viaXargs: boolean, reasons: Set<string>, depth: number, processWords: Set<string>, processScripts: string[]): Invoked[] {
  const lower = name.toLowerCase();
  const flags = args.filter((a) => /^-[A-Za-z]/.test(a)).join('');
  const has = (...opts: string[]) => args.some((a) => opts.includes(a));
  const shortFlag = (letters: RegExp) => args.some((a) => /^-[A-Za-z]+$/.test(a) && letters.test(a.slice(1)));
  const positional = args.filter((a) => !a.startsWith('-'));

  if (SHELLS.has(lower) || INTERPRETER.test(lower) || lower === 'eval' || lower === 'source' || lower === '.') {
    const shell = SHELLS.has(lower) || lower === 'eval' || lower === 'source' || lower === '.';
    const codeFlag = args.findIndex((a) => /^-[A-Za-z]*[ce]$|^--(?:eval|command|exec)$|^-r$/.test(a));
    // awk's program is its first word unless it comes from a file (-f).
    const awk = /^[gmn]?awk$/.test(lower) && !has('-f') ? positional[0] : undefined;
    const code = lower === 'eval' ? args.join(' ') : codeFlag >= 0 ? args[codeFlag + 1] : awk;
    if (code !== undefined) {
      if (shell) judge(code, reasons, depth + 1);
      else judgeCode(code, reasons, depth);
      if (viaXargs || /\u0000|\{\}/.test(code)) reasons.add('runs commands it is given as input');
    }
    // A here-string or here-document fed to a shell is a script too.
    if (shell) for (const r of redirects) if (r.op === '<<<') judge(r.target, reasons, depth + 1);
    const fromProcess = args.some((a) => processWords.has(a));
    if (fromProcess) {
      reasons.add('runs a script from another command\'s output');
      if (processScripts.some((p) => /\b(?:curl|wget|fetch|nc)\b/.test(p))) reasons.add('runs a downloaded script');
    }
    const scriptArg = positional.find((a) => a !== '-' && !processWords.has(a));
    const fromStdin = code === undefined && !has('-m') && (!scriptArg || has('-s', '-', '/dev/stdin') || scriptArg === '/dev/stdin');
    if (pipedIn && (shell || fromStdin)) reasons.add(shell ? 'pipes into a shell' : 'pipes into an interpreter');
    if (has('/dev/stdin') || (lower === 'source' || lower === '.') && args.some((a) => /^\/dev\/(?:stdin|fd\/)/.test(a))) reasons.add('runs commands it is given as input');
    return [{ name: lower, runsStdin: shell || fromStdin }];
  }

  if (/^mkfs(?:\.\w+)?$|^mkdosfs$|^mkntfs$/.test(lower)) reasons.add('formats or repartitions a disk');
  switch (lower) {
    case 'rm':
    case 'unlink':
      if (lower === 'rm' && (shortFlag(/[rRf]/) || has('--recursive', '--force', '--no-preserve-root', '--dir'))) reasons.add('deletes files');
      else if (positional.some((a) => broad(a) || a === '*' || PROTECTED_FILE.test(expandHome(a)))) reasons.add('deletes files');
      break;
    case 'find':
      if (has('-delete')) reasons.add('deletes files');
      for (const [i, a] of args.entries()) {
        if (/^-(?:exec|execdir|ok|okdir)$/.test(a)) {
          const end = args.findIndex((b, j) => j > i && (b === ';' || b === '+'));
          const inner = args.slice(i + 1, end < 0 ? undefined : end);
          if (/^(?:rm|shred|unlink|srm|wipe)$/.test(basename(inner[0] ?? ''))) reasons.add('deletes files');
          judgeCommand({ words: inner, dynamic: inner.map(() => false), redirects: [], pipedIn: false, pipeline: 0 }, reasons, depth + 1, processWords, processScripts);
        }
      }
      break;
    case 'shred':
    case 'wipe':
    case 'srm':
    case 'blkdiscard':
      reasons.add('destroys files or disks');
      break;
    case 'dd':
      if (args.some((a) => a.startsWith('of='))) reasons.add('overwrites a disk or file with dd');
      break;
    case 'wipefs':
    case 'mkswap':
    case 'mke2fs':
    case 'sfdisk':
    case 'cfdisk':
    case 'gdisk':
    case 'sgdisk':
    case 'fdisk':
    case 'parted':
      if (!(['fdisk', 'parted', 'sfdisk', 'gdisk'].includes(lower) && (has('-l', '--list') || (lower === 'parted' && positional.at(-1) === 'print')))) reasons.add('formats or repartitions a disk');
      break;
    case 'chmod':
    case 'chown':
    case 'chgrp':
    case 'chattr':
    case 'setfacl':
      // The first word after the options is the mode or owner; the rest are targets.
      if (positional.slice(1).some((a) => SYSTEM_DIR.test(a) || ((shortFlag(/R/) || has('--recursive')) && HOME_DIR.test(a)))) reasons.add('changes permissions of system or home folders');
      break;
    case 'kill':
      if (killTargets(args).some((a) => a === '-1' || a === '0' || a === '1')) reasons.add('kills every process');
      break;
    case 'pkill':
    case 'killall':
    case 'killall5':
    case 'xkill':
    case 'skill':
      reasons.add('kills processes by name');
      break;
    case 'init':
    case 'telinit':
      if (lower === 'telinit' || positional.some((a) => /^[0-6sS]$/.test(a))) reasons.add('shuts down or restarts the machine');
      break;
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
    case 'kexec':
      reasons.add('shuts down or restarts the machine');
      break;
    case 'systemctl':
    case 'loginctl':
      if (positional.some((a) => /^(?:poweroff|reboot|halt|kexec|emergency|rescue|isolate|soft-reboot|kill-session|kill-user|terminate-session|terminate-user)$/.test(a))) reasons.add('shuts down or restarts the machine');
      break;
    case 'git':
      judgeGit(args, reasons);
      break;
    case 'apt':
    case 'apt-get':
    case 'aptitude':
    case 'dnf':
    case 'yum':
    case 'zypper':
    case 'snap':
    case 'flatpak':
    case 'brew':
    case 'port':
      if (positional.some((a) => /^(?:remove|purge|autoremove|uninstall|erase|rm)$/.test(a))) reasons.add('removes software');
      break;
    case 'dpkg':
    case 'rpm':
      if (has('-r', '-P', '--remove', '--purge', '-e', '--erase')) reasons.add('removes software');
      break;
    case 'pacman':
      if (/R/.test(flags) || has('--remove')) reasons.add('removes software');
      break;
    case 'pip':
    case 'pip3':
    case 'pipx':
    case 'conda':
    case 'gem':
      if (positional.includes('uninstall') || positional.includes('remove')) reasons.add('removes software');
      break;
    case 'npm':
    case 'pnpm':
    case 'yarn':
      if (positional.some((a) => /^(?:uninstall|remove|rm|un|r|unlink)$/.test(a)) && has('-g', '--global', 'global')) reasons.add('removes software');
      break;
    case 'userdel':
    case 'deluser':
    case 'groupdel':
      reasons.add('removes a user account');
      break;
    case 'crontab':
      if (shortFlag(/r/)) reasons.add('deletes the crontab');
      break;
    case 'tee':
    case 'truncate':
    case 'cp':
    case 'mv':
    case 'install':
    case 'ln':
    case 'sed':
      if (lower === 'sed' && !shortFlag(/i/) && !args.some((a) => a.startsWith('--in-place'))) break;
      if (positional.slice(lower === 'tee' || lower === 'sed' ? 0 : -1).some((a) => PROTECTED_FILE.test(expandHome(a)))) reasons.add('changes a startup or system file');
      if (lower === 'mv' && positional.slice(0, -1).some(broad)) reasons.add('moves away the home or a system folder');
      if (lower === 'mv' && positional.slice(0, -1).some((a) => PROTECTED_FILE.test(expandHome(a)))) reasons.add('changes a startup or system file');
      break;
    case 'nc':
    case 'ncat':
    case 'netcat':
      if (shortFlag(/e|c/) || has('--exec', '--sh-exec')) reasons.add('opens a remote shell');
      break;
    case 'socat':
      if (args.some((a) => /exec:|system:/i.test(a))) reasons.add('opens a remote shell');
      break;
    case 'alias':
      for (const a of args) if (a.includes('=')) judge(a.slice(a.indexOf('=') + 1), reasons, depth + 1);
      break;
    case 'xdotool':
      // Keys and window commands sent from a terminal are judged as if pressed.
      if (positional.some((a) => /^window(?:close|kill|quit)$/.test(a))) reasons.add('closes a window');
      if (positional[0] === 'key' || positional[0] === 'keydown') for (const combo of positional.slice(1)) for (const why of keyRisks(combo)) reasons.add(`sends ${why}`);
      break;
    case 'wmctrl':
      if (shortFlag(/c/) || has('-k')) reasons.add('closes a window');
      break;
    case 'history':
      if (shortFlag(/c/)) reasons.add('erases the shell history');
      break;
  }
  return [{ name: lower, runsStdin: false }];
}

// kill [-SIG | -s SIG | -n N] [--] pid...: the pids, where -1 means every process.
function killTargets(args: string[]): string[] {
  let i = 0;
  if (args[0] === '-s' || args[0] === '-n') i = 2;
  else if (args.length > 1 && /^-(?:\d+|[A-Za-z]+\d*)$/.test(args[0]!)) i = 1;
  if (args[i] === '--') i++;
  return args.slice(i);
}

function judgeGit(args: string[], reasons: Set<string>): void {
  // Global options come before the subcommand: git -C dir -c k=v push ...
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += /^-(?:C|c)$|^--(?:git-dir|work-tree|namespace)$/.test(args[i]!) ? 2 : 1;
  const sub = args[i];
  const rest = args.slice(i + 1);
  const has = (re: RegExp) => rest.some((a) => re.test(a));
  if (sub === 'push' && (has(/^--(?:force|force-with-lease|force-if-includes|mirror|delete|prune)(?:=.*)?$/) || has(/^-[A-Za-z]*[fd]/) || rest.some((a) => /^\+|^:[^/]/.test(a)))) reasons.add('rewrites or deletes remote history');
  if (sub === 'reset' && has(/^--(?:hard|merge|keep)$/)) reasons.add('discards work');
  if (sub === 'clean' && (has(/^-[A-Za-z]*f/) || has(/^--force$/))) reasons.add('discards work');
  if ((sub === 'checkout' || sub === 'switch') && has(/^(?:-f|--force|--discard-changes)$/)) reasons.add('discards work');
  if (sub === 'branch' && has(/^-[A-Za-z]*D$|^--delete$/) && has(/^-[A-Za-z]*D$|^--force$/)) reasons.add('discards work');
  if (sub === 'stash' && (rest[0] === 'clear' || rest[0] === 'drop')) reasons.add('discards work');
  if (sub === 'filter-branch' || sub === 'filter-repo' || (sub === 'reflog' && rest[0] === 'expire') || (sub === 'update-ref' && has(/^-d$/))) reasons.add('rewrites history');
}

// Code for python -c, perl -e, node -e...: what it does to files and processes.
function judgeCode(code: string, reasons: Set<string>, depth: number): void {
  const flat = code.replace(/\s+/g, ' ');
  for (const [re, why] of TEXT_PATTERNS) if (re.test(flat)) reasons.add(why);
  if (FORK_BOMB.test(flat)) reasons.add('starts a fork bomb');
  // Strings inside the code that read as shell commands (system("rm -rf ~")) are judged as such.
  for (const m of flat.matchAll(/(["'`])((?:(?!\1).){3,})\1/g)) if (depth < 6) judgeQuiet(m[2]!, reasons, depth + 1);
}

// Only the named destructive commands inside a string literal; quoting shapes there are normal code.
function judgeQuiet(text: string, reasons: Set<string>, depth: number): void {
  const inner = new Set<string>();
  judge(text, inner, depth);
  for (const why of inner) if (!/substitution|computed|given as input/.test(why)) reasons.add(why);
}

function judgeRedirect(op: string, target: string, reasons: Set<string>): void {
  const t = expandHome(target);
  if (NETWORK_DEVICE.test(t)) reasons.add('opens a network connection from the shell');
  else if (op.includes('>') && !op.includes('&') && PROTECTED_FILE.test(t)) reasons.add(op.includes('>>') ? 'changes a startup or system file' : 'overwrites a startup or system file');
  else if ((op === '>&' || op === '&>') && PROTECTED_FILE.test(t)) reasons.add('overwrites a startup or system file');
}

function expandHome(p: string): string {
  return p.replace(/^\u0000\{?HOME\}?/, '~');
}

function keyRisks(keys: string): string[] {
  try {
    return parseKeys(keys).flatMap(comboRisks);
  } catch {
    return []; // not a key name xdotool would take either
  }
}
