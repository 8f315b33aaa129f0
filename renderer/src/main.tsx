// Start-up: pick the transport once, build the store, keep the route in step with the hash, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.tsx';
import { parseHash } from './state/route.ts';
import { applyTheme, readTheme } from './preferences.ts';
import { createAppStore } from './state/store.ts';
import { BlobUrlContext, StoreContext } from './state/use-app.ts';
import { pickTransport } from './transport/pick-transport.ts';
import './styles.css';

// The chosen theme before the first paint, so a dark page never flashes light.
applyTheme(readTheme());
const root = createRoot(document.getElementById('root')!);
// The server served this page only to a holder of the token (link or cookie); a refused call shows the token page.
const transport = pickTransport(window);
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
