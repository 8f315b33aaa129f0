// The Skills view's calls: any skills.* command, its failure returned beside the form that asked
// (an expired token still goes to the token page). The view keeps its own list: it is small and
// only that view shows it.
import type { CommandInput, CommandName, CommandOutput } from '../../../agents/contract.ts';
import type { Outcome } from './automations-slice.ts';
import type { Deps, Slice } from './store-types.ts';

export type SkillCommand = Extract<CommandName, `skills.${string}`>;

export interface SkillsSlice {
  skillCommand<C extends SkillCommand>(command: C, input: CommandInput<C>): Promise<Outcome<CommandOutput<C>>>;
}

export const createSkillsSlice = ({ transport }: Deps): Slice<SkillsSlice> => (_set, get) => ({
  skillCommand: async (command, input) => {
    try {
      return { ok: true, value: await transport.call(command, input) };
    } catch (err) {
      get().noteAuthError(err);
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  },
});
