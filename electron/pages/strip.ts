// The control strip's buttons: pause/resume and abort for the run named in the page's query.
import type { DeskpilotApi } from '../../agents/contract.ts';

declare global {
  interface Window {
    deskpilot: DeskpilotApi;
  }
}

const api = window.deskpilot;
const runId = new URLSearchParams(location.search).get('run') ?? '';
const status = document.getElementById('status')!;
const pause = document.getElementById('pause') as HTMLButtonElement;
const abort = document.getElementById('abort') as HTMLButtonElement;
let state = 'running';

function render(): void {
  document.body.classList.toggle('paused', state === 'paused');
  pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
  status.textContent = state === 'paused' ? 'Paused' : state === 'waiting' ? 'Waiting for you' : 'Agent running';
}

function report(err: unknown): void {
  status.textContent = err instanceof Error ? err.message : String(err);
}

api.onEvent((e) => {
  if (e.kind === 'run_updated' && e.run.id === runId) {
    state = e.run.status;
    render();
  }
});
api.call('runs.get', { runId }).then((run) => {
  state = run.status;
  render();
}, report);

pause.addEventListener('click', () => {
  api.call('runs.control', { runId, action: state === 'paused' ? 'resume' : 'pause' }).catch(report);
});
abort.addEventListener('click', () => {
  abort.disabled = true;
  api.call('runs.control', { runId, action: 'abort' }).catch((err: unknown) => {
    abort.disabled = false;
    report(err);
  });
});
