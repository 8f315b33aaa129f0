// What a tool's environment keeps and drops, and the contexts built for a sandbox and for the user's screen.
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isSecretVariable, scrubEnvironment, toolContextFor } from './environment.ts';

describe('scrubEnvironment', () => {
  it('drops keys, tokens, passwords and the app\'s own variables by name', () => {
    for (const name of [
      'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'AZURE_OPENAI_API_KEY',
      'OPENROUTER_API_KEY', 'HF_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN', 'NPM_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN', 'DESKPILOT_SERVE_TOKEN', 'DESKPILOT_HOME', 'DB_PASSWORD', 'MYSQL_PWD_PASSWORD', 'CLIENT_SECRET',
      'npm_config__authToken', 'npm_config_//registry.npmjs.org/:_authToken', 'SSH_AUTH_SOCK', 'STRIPE_KEY', 'NODE_OPTIONS',
    ]) expect(isSecretVariable(name, 'harmless'), name).toBe(true);
  });

  it('drops values that look like keys whatever they are called', () => {
    for (const value of [
      'sk-proj-abcdefghijklmnop', 'sk-ant-api03-abcdefghijkl', 'ghp_abcdefghijklmnopqrstuvwxyz01', 'github_pat_11ABCDEFG0123456789abcdef',
      'xoxb-1234567890-abcdef', 'AKIAABCDEFGHIJKLMNOP', 'AIzaSyA1234567890abcdefghijklmnopqrs', 'hf_abcdefghijklmnopqrstuvwxyz0123456',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'http://user:secret@proxy.example:3128',
    ]) expect(isSecretVariable('SOMETHING', value), value).toBe(true);
  });

  it('keeps what programs need', () => {
    const kept = {
      PATH: '/usr/bin:/bin', HOME: '/home/u', DISPLAY: ':0', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TMPDIR: '/tmp', XDG_RUNTIME_DIR: '/run/user/1000',
      XDG_CONFIG_HOME: '/home/u/.config', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus', XAUTHORITY: '/home/u/.Xauthority',
      TERM: 'xterm-256color', SHELL: '/bin/bash', USER: 'u', NPM_CONFIG_USERCONFIG: '/home/u/.npmrc', HTTPS_PROXY: 'http://proxy:3128',
      EDITOR: 'vim', KEYBOARD_LAYOUT: 'us', TOKENIZERS_PARALLELISM: 'false', XDG_SESSION_ID: '3',
    };
    const scrubbed = scrubEnvironment({ ...kept, OPENAI_API_KEY: 'x', UNSET: undefined });
    // TOKENIZERS_PARALLELISM holds no token but its name says one: dropping it is the safe mistake.
    const { TOKENIZERS_PARALLELISM: _t, ...expected } = kept;
    expect(scrubbed).toEqual(expected);
  });
});

describe('toolContextFor', () => {
  const baseEnv = { PATH: '/usr/bin:/bin', HOME: '/home/u', USER: 'u', DISPLAY: ':0', OPENAI_API_KEY: 'sk-abcdefghijklmnopqrst', EDITOR: 'vim', LC_TIME: 'C' };

  it('a sandbox sees its own HOME, DISPLAY and bus, a few basics of ours, and nothing else', () => {
    const sandbox = { env: { HOME: '/tmp/sb/home', DISPLAY: ':7', TMPDIR: '/tmp/sb/tmp', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/sb/bus' } };
    const ctx = toolContextFor({ runId: 'r1', sandbox, baseEnv, extraRoots: ['~/shared', '/data'], maxTimeoutMs: 5000 });
    expect(ctx.env).toEqual({ ...sandbox.env, PATH: '/usr/bin:/bin', USER: 'u', SHELL: '/bin/bash', LC_TIME: 'C' });
    expect(ctx).toMatchObject({ runId: 'r1', cwd: '/tmp/sb/home', roots: ['/tmp/sb/home', '/tmp/sb/home/shared', '/data'], maxTimeoutMs: 5000, sandboxed: true });
  });

  it('the user\'s own screen: this environment scrubbed, HOME as working folder and root', () => {
    const ctx = toolContextFor({ runId: 'r2', baseEnv });
    expect(ctx.env).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/u', USER: 'u', DISPLAY: ':0', EDITOR: 'vim', LC_TIME: 'C' });
    expect(ctx).toMatchObject({ cwd: '/home/u', roots: ['/home/u'], sandboxed: false });
    expect(toolContextFor({ runId: 'r3', baseEnv: { PATH: '/bin' } }).cwd).toBe(homedir());
  });
});
