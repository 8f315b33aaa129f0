// Secrets in typed text: key-shaped strings, private keys, passwords and card numbers.

const PATTERNS: [RegExp, string][] = [
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, 'looks like an API key'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, 'looks like a GitHub token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'looks like an AWS key'],
  [/\bAIza[0-9A-Za-z_-]{35}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bglpat-[A-Za-z0-9_-]{20,}|\bBearer\s+[A-Za-z0-9._~+/=-]{20,}|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'looks like an access token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'contains a private key'],
  [/\b(password|passwd|pwd|secret|token)\s*[:=]/i, 'contains a password or secret'],
];

// Runs of digits with single separators: "4111 1111 1111 1111", "4111.1111.1111.1111", "4111-1111-...".
const DIGIT_RUN = /(?<!\d)\d+(?:[ .-]\d+)*(?!\d)/g;

/** Reasons typed text holds a secret (each a short phrase such as "looks like an API key"). */
export function secretRisks(text: string): string[] {
  const reasons: string[] = [];
  for (const [re, why] of PATTERNS) if (re.test(text)) reasons.push(why);
  if (hasCardNumber(text)) reasons.push('looks like a card number');
  return reasons;
}

/** Whether the text holds 13 to 19 digits, whole groups, that pass the Luhn check. */
export function hasCardNumber(text: string): boolean {
  for (const m of text.matchAll(DIGIT_RUN)) {
    const groups = m[0].split(/[ .-]/);
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length && digits.length < 19; j++) {
        digits += groups[j];
        if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) return true;
      }
    }
  }
  return false;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
