// An operator's action during a takeover (the live view), in a few words for the timeline.
import type { LoggedRunEvent } from '../../../../agents/contract.ts';

type OperatorAction = Extract<LoggedRunEvent, { type: 'operator_action' }>['action'];

export function describeOperatorAction(a: OperatorAction): string {
  switch (a.type) {
    case 'click':
      return `${a.button === 'left' ? '' : `${a.button} `}click at (${a.x}, ${a.y})`;
    case 'double_click':
    case 'triple_click':
    case 'move':
      return `${a.type.replace('_', ' ')} at (${a.x}, ${a.y})`;
    case 'drag': {
      const from = a.path[0]!;
      const to = a.path[a.path.length - 1]!;
      return `drag from (${from.x}, ${from.y}) to (${to.x}, ${to.y})`;
    }
    case 'scroll':
      return `scroll ${a.direction} ${a.amount}${a.x !== undefined ? ` at (${a.x}, ${a.y})` : ''}`;
    case 'type':
      return `typed ${JSON.stringify(a.text)}`;
    case 'keypress':
      return `pressed ${[a.keys].flat().join('+')}`;
    default:
      return a.type.replace('_', ' ');
  }
}
