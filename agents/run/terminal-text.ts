// Model text (thoughts, questions, answers, error bodies) printed to a terminal must not drive it:
// OSC 52 writes the clipboard, OSC 0 sets the window title, CSI 2J clears the screen, ESC c resets it.

// Whole sequences go, payload included (an OSC 52 payload is the clipboard text; printing it is noise).
const SEQUENCE = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]', // CSI: cursor moves, clears, colours
    '\\x9b[0-?]*[ -/]*[@-~]', // the same as one C1 character
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?', // OSC, DCS, SOS, PM, APC to their end
    '\\x1b[ -/]*[0-~]', // two-character escapes (ESC c, ESC 7...)
  ].join('|'),
  'g',
);

// What is left: C0 but tab and newline (a lone \r rewrites the line), DEL, C1, a stray ESC, and the
// bidi overrides and isolates that make text read differently from what it is.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without escape sequences and control characters; newlines and tabs stay. */
export function forTerminal(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, '');
}

// JSON.stringify escapes C0 but not DEL, C1 or bidi controls; inside JSON strings \uXXXX is the same value.
const JSON_UNESCAPED = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** A JSON text safe to print: the same JSON value, with the controls JSON.stringify leaves raw escaped. */
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
