// A sandboxed run's screen, live: noVNC's RFB client over serve's /api/vnc/<runId> socket (the page's
// token cookie or ?token= go with it), or in the desktop app over the loopback socket runs.liveView offers.
// View only until the operator takes over; nothing is drawn on the sandbox.
import type RFB from '@novnc/novnc';
import { useEffect, useMemo, useRef, useState } from 'react';
import { t } from '../i18n/index.ts';
import { useApp, useBlobUrl } from '../state/use-app.ts';

type LinkState = 'connecting' | 'live' | 'closed';

/** Where serve's live view socket is, or undefined where the page has no server of its own (Electron's IPC transport). */
function serveUrl(blobUrl: (ref: string) => string, runId: string, viewer: string): string | undefined {
  const probe = blobUrl('probe');
  if (!probe.startsWith('/api/')) return undefined;
  const token = new URL(probe, location.href).searchParams.get('token');
  const query = `viewer=${viewer}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/vnc/${encodeURIComponent(runId)}?${query}`;
}

function newViewerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function LiveView({ runId, paused }: { runId: string; paused: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | undefined>(undefined);
  const [link, setLink] = useState<LinkState>('connecting');
  const [controlling, setControlling] = useState(false);
  const [busy, setBusy] = useState(false);
  const viewer = useMemo(newViewerId, []);
  const blobUrl = useBlobUrl();
  const takeOver = useApp((s) => s.takeOver);
  const handBack = useApp((s) => s.handBack);
  const liveViewUrl = useApp((s) => s.liveViewUrl);
  const direct = serveUrl(blobUrl, runId, viewer);
  // In the desktop app the engine offers a socket of its own, with a token for this viewer.
  const [offered, setOffered] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (direct) return;
    let gone = false;
    void liveViewUrl(runId, viewer).then((u) => {
      if (gone) return;
      if (u) setOffered(u);
      else setLink('closed');
    });
    return () => {
      gone = true;
    };
  }, [direct, liveViewUrl, runId, viewer]);
  const url = direct ?? offered;

  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    let client: RFB | undefined;
    // Loaded on demand: noVNC is only needed once a sandboxed run is open.
    void import('@novnc/novnc').then(({ default: RFBClass }) => {
      if (cancelled || !box.current) return;
      client = new RFBClass(box.current, url, { shared: true });
      client.viewOnly = true;
      client.scaleViewport = true;
      client.background = 'transparent';
      client.addEventListener('connect', () => setLink('live'));
      client.addEventListener('disconnect', () => setLink('closed'));
      rfb.current = client;
    });
    return () => {
      cancelled = true;
      client?.disconnect();
      rfb.current = undefined;
    };
  }, [url]);

  useEffect(() => {
    if (rfb.current) rfb.current.viewOnly = !controlling;
    if (controlling) rfb.current?.focus();
  }, [controlling]);

  // Resumed from elsewhere (the controls bar, another operator): this page no longer has the screen.
  useEffect(() => {
    if (!paused) setControlling(false);
  }, [paused]);

  const toggle = async () => {
    setBusy(true);
    const ok = controlling ? await handBack(runId) : await takeOver(runId, viewer);
    if (ok) setControlling(!controlling);
    setBusy(false);
  };
  return (
    // The live screen's place in the run pane; a column so the screen takes what the bar leaves.
    <div className="live-screen live-view" style={{ flexDirection: 'column', alignItems: 'stretch', gap: 6 }} data-testid="live-view" data-state={link} data-controlling={controlling}>
      <div className="live-view-bar" style={{ display: 'flex', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
        <span className="small muted" data-testid="live-view-status">
          {link === 'connecting' ? t('live.connecting') : link === 'closed' ? t('live.closed') : controlling ? t('live.controlling') : t('live.viewOnly')}
        </span>
        {link === 'live' && (
          <button type="button" data-testid={controlling ? 'hand-back' : 'take-over'} disabled={busy} onClick={() => void toggle()}>
            {controlling ? t('live.handBack') : t('live.takeOver')}
          </button>
        )}
      </div>
      <div className="live-view-screen" style={{ flex: 1, minHeight: 0, width: '100%' }} ref={box} role="img" aria-label={t('live.label')} />
    </div>
  );
}
