// The run's instructions (the skills block) reach each planner's prompt: the Responses API's
// `instructions`, the chat system message, and UI-TARS's opening prompt (it has no tools, so a
// skill loaded for the task reaches it only this way).
import { describe, expect, it } from 'vitest';
import { OpenAIChatPlanner } from '../models/openai-chat.ts';
import { OpenAIResponsesPlanner } from '../models/openai-responses.ts';
import type { PlannerContext } from '../models/planner.ts';
import { UITarsPlanner } from '../models/ui-tars.ts';

const SKILL = '## Skill "organize-files" (loaded for this task; its folder: /skills/organize-files)\nRename with the script.';
const ctx = (over: Partial<PlannerContext> = {}): PlannerContext => ({
  task: 'Rename the invoices', step: 1, screenshot: { dataUrl: 'data:image/png;base64,AAAA', image: { width: 1024, height: 640 } }, outcomes: [], userMessages: [], instructions: SKILL, ...over,
});
const opts = { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-test' };

describe('planners carry the run instructions', () => {
  it('Responses: the instructions field, after the adapter\'s own', () => {
    expect(new OpenAIResponsesPlanner(opts).buildBody(ctx()).instructions).toBe(SKILL);
    expect(new OpenAIResponsesPlanner({ ...opts, instructions: 'Be brief.' }).buildBody(ctx()).instructions).toBe(`Be brief.\n\n${SKILL}`);
    expect(new OpenAIResponsesPlanner(opts).buildBody(ctx({ instructions: undefined })).instructions).toBeUndefined();
  });

  it('chat: appended to the system message', () => {
    const p = new OpenAIChatPlanner(opts);
    const c = ctx();
    const system = p.buildBody(p.turnMessages(c), c.tools, c.instructions).messages[0]!;
    expect(system.role).toBe('system');
    expect(String(system.content)).toMatch(/\n\n## Skill "organize-files"[^]*Rename with the script\.$/);
  });

  it('UI-TARS: after its prompt in the first user message, or in the system message', () => {
    const p = new UITarsPlanner(opts);
    expect(p.supportsTools).toBe(false);
    const first = JSON.stringify(p.turnMessages(ctx())[0]);
    expect(first.indexOf('Rename with the script.')).toBeGreaterThan(0);
    expect(first.indexOf('Rename with the script.')).toBeLessThan(first.indexOf('## User Instruction'));
    const sys = new UITarsPlanner({ ...opts, promptRole: 'system' });
    expect(String(sys.buildBody(sys.turnMessages(ctx()), SKILL).messages[0]!.content)).toContain('Rename with the script.');
  });
});
