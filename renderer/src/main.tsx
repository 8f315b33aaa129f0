// Start-up: pick the transport once, build the store, keep the route in step with the hash, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.tsx';
import { TokenMissing } from './components/token-missing.tsx';
import { parseHash } from './state/route.ts';
import { createAppStore } from './state/store.ts';
import { BlobUrlContext, StoreContext } from './state/use-app.ts';
import { pickTransport } from './transport/pick-transport.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const startup = pickTransport(window);

if (startup.kind === 'no-token') {
  root.render(<TokenMissing refused={false} />);
} else {
  const { transport } = startup;
  const store = createAppStore(transport, window.location.hash);
  window.addEventListener('hashchange', () => store.getState().setRoute(parseHash(window.location.hash)));
  root.render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <BlobUrlContext.Provider value={transport.blobUrl}>
          <App />
        </BlobUrlContext.Provider>
      </StoreContext.Provider>
    </StrictMode>,
  );
}
