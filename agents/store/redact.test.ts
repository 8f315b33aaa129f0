import { describe, expect, it } from 'vitest';
import { isRealSecret, REDACTED, Redactor } from './redact.ts';

const OPENAI = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const ANTHROPIC = 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe';

describe('Redactor', () => {
  it('redacts a registered key wherever it appears whole, and only there', () => {
    const r = new Redactor(['my-own-local-key-1234']);
    expect(r.redact('401: bad key my-own-local-key-1234 (check it)')).toBe(`401: bad key ${REDACTED} (check it)`);
    expect(r.redact('"my-own-local-key-1234"')).toBe(`"${REDACTED}"`);
    // A longer word that merely contains the key is a different word.
    expect(r.redact('my-own-local-key-12345')).toBe('my-own-local-key-12345');
  });

  it('ignores placeholder and short keys, so ordinary words survive', () => {
    const r = new Redactor(['k', 'ollama', 'lm-studio', 'EMPTY', 'not-needed', undefined, null]);
    const text = 'ask k about kittens, then open ollama and lm-studio: EMPTY is not-needed';
    expect(r.redact(text)).toBe(text);
    expect(r.redactKeys(text)).toBe(text);
    expect(isRealSecret('lm-studio')).toBe(false);
    expect(isRealSecret('abcd1234')).toBe(true);
  });

  it.each([
    ['an OpenAI key', `key ${OPENAI} rejected`, `key ${REDACTED} rejected`],
    ['an Anthropic key', `x ${ANTHROPIC}.`, `x ${REDACTED}.`],
    ['an Authorization header', 'Authorization: Bearer abcdefghijklmnopqrstuv', `Authorization: Bearer ${REDACTED}`],
    ['a header in JSON', '{"authorization":"Bearer tok_123456789abc","x":1}', `{"authorization":"Bearer ${REDACTED}","x":1}`],
    ['a header in escaped JSON', '{\\"Authorization\\":\\"Bearer zzzzzzzzzzzz\\"}', `{\\"Authorization\\":\\"Bearer ${REDACTED}\\"}`],
    ['an x-api-key header', 'x-api-key: 0123456789abcdef', `x-api-key: ${REDACTED}`],
    ['a bearer token alone', 'sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123', `sent Bearer ${REDACTED}`],
    ['an AWS access key id', 'id AKIAIOSFODNN7EXAMPLE here', `id ${REDACTED} here`],
    ['a GitHub token', `ghp_${'a1B2c3D4e5'.repeat(4)}`, REDACTED],
    ['a Google API key', `?key=AIzaSyD-${'x1Y2z3W4v5'.repeat(3)}a&alt=json`, `?key=${REDACTED}&alt=json`],
    ['a Slack token', 'xoxb-123456789012-abcdefABCDEF', REDACTED],
    ['a private key block', 'k: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end', `k: ${REDACTED} end`],
    ['a private key block cut short', 'k: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk', `k: ${REDACTED}`],
  ])('redacts %s', (_name, text, expected) => {
    expect(new Redactor().redact(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const texts = [
      'Open the task-manager and the risk-assessment-spreadsheet-for-2025, then click OK.',
      'The sk-learn-compatible-estimator-pipeline is fine.',
      'Bearer of bad news; the bearer responsibilities-of-the-role are listed.',
      'Set the api_key field to short, the authorization: none.',
      'AKIA is not a key; ghp_ alone neither; AIza too short; xoxb- nothing.',
      'Name the file Invoice-2025-01-31.pdf and type "hello world" with ctrl+s.',
    ];
    const r = new Redactor([OPENAI]);
    for (const t of texts) expect(r.redact(t)).toBe(t);
  });

  it('keeps JSON valid when redacting JSON text', () => {
    const value = { error: `401 {"headers":{"Authorization":"Bearer ${OPENAI}"}}\nnext`, list: [`Bearer ${ANTHROPIC}`] };
    const out = new Redactor().redact(JSON.stringify(value));
    expect(out).not.toContain('sk-');
    expect(() => JSON.parse(out)).not.toThrow();
  });
});
