// Terminal output as plain text for the timeline: ANSI escape sequences (colours, cursor moves,
// titles) and other control characters removed, line endings made \n. The result is shown as a
// text node, never as HTML.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes (ESC and one char).
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?/g;
// C0 and C1 controls other than tab and newline (\r is handled before).
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function terminalText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}
