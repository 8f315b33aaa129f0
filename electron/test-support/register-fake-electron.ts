// `node --import tsx --import ./register-fake-electron.ts dist/electron/main.js` runs the built main
// process against fake-electron.ts instead of the real module (which needs the Electron binary).
// The fake's URL goes on down the chain so tsx, registered first, still compiles it.
import { register } from 'node:module';

const fake = new URL('./fake-electron.ts', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? ${JSON.stringify(fake)} : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
