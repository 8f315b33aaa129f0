// The layout: threads on the left; the selected thread's runs, composer and run view on the right;
// or the settings, or the automations. Banners sit on top of the main area.
import { useEffect } from 'react';
import { routeThreadId } from '../state/route.ts';
import { useApp } from '../state/use-app.ts';
import { ActiveRuns, useActiveRuns } from './active-runs.tsx';
import { AutomationDetailView } from './automation-detail.tsx';
import { AutomationsView } from './automations-view.tsx';
import { SkillPage, SkillsView } from './skills-view.tsx';
import { ConnectionBanner, ErrorBanner } from './banners.tsx';
import { RecordingBanner } from './recording-banner.tsx';
import { RunLink } from './run-link.tsx';
import { RunPane } from './run-pane.tsx';
import { SettingsView } from './settings-view.tsx';
import { ShortcutHelp } from './shortcut-help.tsx';
import { Sidebar } from './sidebar.tsx';
import { ThreadPane } from './thread-pane.tsx';
import { TokenMissing } from './token-missing.tsx';

export function App() {
  const authFailed = useApp((s) => s.authFailed);
  const route = useApp((s) => s.route);
  const language = useApp((s) => s.settings?.language ?? 'en');
  const anyActive = useActiveRuns().length > 0;
  const threadOfRoute = routeThreadId(route);
  // A thread opened without a run shows its latest run, not an empty pane.
  const latestRunId = useApp((s) => (threadOfRoute ? s.runsByThread[threadOfRoute]?.[0]?.id : undefined));

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  if (authFailed) return <TokenMissing refused />;
  const threadId = routeThreadId(route);
  return (
    <div className="app">
      <Sidebar selectedThreadId={threadId} settingsOpen={route.name === 'settings'} automationsOpen={route.name === 'automations' || route.name === 'automation'} boardOpen={route.name === 'active'} skillsOpen={route.name === 'skills' || route.name === 'skill'} />
      <main className="main">
        <ConnectionBanner />
        <ErrorBanner />
        <RecordingBanner />
        {route.name === 'active' || (route.name === 'home' && anyActive) ? (
          <ActiveRuns />
        ) : route.name === 'settings' ? (
          <SettingsView />
        ) : route.name === 'automations' ? (
          <AutomationsView />
        ) : route.name === 'automation' ? (
          <AutomationDetailView key={route.automation} name={route.automation} />
        ) : route.name === 'skills' ? (
          <SkillsView />
        ) : route.name === 'skill' ? (
          <SkillPage key={route.skill} name={route.skill} />
        ) : route.name === 'runLink' ? (
          <RunLink runId={route.runId} />
        ) : (
          <div className="workspace">
            <ThreadPane threadId={threadId} selectedRunId={route.name === 'run' ? route.runId : latestRunId} />
            <RunPane threadId={threadId} runId={route.name === 'run' ? route.runId : latestRunId} />
          </div>
        )}
      </main>
      <ShortcutHelp />
    </div>
  );
}
