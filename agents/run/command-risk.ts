// Risk of a shell command line, whether the model typed it into a terminal or called the shell tool.
// One place, so a `type` action and a `shell` call are judged alike.

const DANGEROUS_COMMANDS: [RegExp, string][] = [
  [/\brm\s+(?:-\S*\s+)*(?:-[a-zA-Z]*[rRf]|--recursive|--force)/, 'deletes files'],
  [/\b(?:mkfs|shutdown|reboot|poweroff|halt)\b|\bdd\s+if=/, 'runs a destructive system command'],
  [/\b(sudo|su)\s/, 'runs as another user'],
  [/\bgit\s+push\b.*--force|\bgit\s+reset\s+--hard/, 'rewrites history'],
  [/\b(DROP|TRUNCATE)\s+(TABLE|DATABASE)\b/i, 'destroys data'],
  [/curl[^|]*\|\s*(ba)?sh/, 'runs a downloaded script'],
];

/** Reasons a command line is risky (each a short phrase such as "deletes files"); empty when it is not. */
export function assessCommand(command: string): string[] {
  const reasons: string[] = [];
  for (const [re, why] of DANGEROUS_COMMANDS) if (re.test(command)) reasons.push(why);
  return reasons;
}
