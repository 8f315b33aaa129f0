/// <reference path="./x11.d.ts" />
// One long-lived X connection per display (the `x11` protocol client), for the window queries made
// around every capture and action: a round trip on a local socket instead of spawning xdotool and
// xprop several times a step.
import x11 from 'x11';

/** The display the queries run against, and its environment for the few queries still made by a program (the connection itself authenticates with this process's XAUTHORITY; sandboxes need none). */
export interface XTarget {
  display: string;
  env?: Record<string, string | undefined>;
}

export class XQueryError extends Error {
  override name = 'XQueryError';
}

/** The calls of the `x11` client used here; the package ships no types. */
interface XClient {
  InternAtom(onlyIfExists: boolean, name: string, cb: (err: Error | null, atom: number) => void): void;
  GetProperty(del: number, wid: number, name: number, type: number, offset: number, length: number, cb: (err: Error | null, prop: { type: number; format: number; data: Buffer }) => void): void;
  GetGeometry(wid: number, cb: (err: Error | null, g: { width: number; height: number }) => void): void;
  TranslateCoordinates(src: number, dst: number, x: number, y: number, cb: (err: Error | null, r: { destX: number; destY: number }) => void): void;
  GetWindowAttributes(wid: number, cb: (err: Error | null, a: { mapState: number }) => void): void;
  on(event: 'error' | 'end', fn: (err?: Error) => void): void;
  stream?: { unref?: () => void; destroy?: () => void };
  terminate(): void;
}

interface XDisplay {
  client: XClient;
  screen: { root: number }[];
}

/** A property's raw value: its type atom, element size and bytes. */
export interface XProperty {
  type: number;
  format: number;
  data: Buffer;
}

const VIEWABLE = 2;
const ANY_PROPERTY_TYPE = 0;

export class XConnection {
  private atoms = new Map<string, Promise<number>>();
  private closed = false;
  /** The cache entry this connection came from, so closing a stale one never drops a newer one. */
  entry?: Promise<XConnection>;

  constructor(private readonly client: XClient, readonly root: number, readonly display: string) {
    client.on('error', () => this.close());
    client.on('end', () => this.close());
  }

  /** The cached connection to the target's display, opened on first use and again after it was lost. */
  static for(x: XTarget): Promise<XConnection> {
    const key = x.display;
    const open = connections.get(key);
    if (open) return open;
    const opening: Promise<XConnection> = connect(x).then(
      (c) => ((c.entry = opening), c),
      (err: Error) => {
        connections.delete(key);
        throw new XQueryError(`cannot connect to the X display ${x.display}: ${err.message}`);
      },
    );
    connections.set(key, opening);
    return opening;
  }

  atom(name: string): Promise<number> {
    let atom = this.atoms.get(name);
    if (!atom) {
      atom = this.call<number>((cb) => this.client.InternAtom(false, name, cb));
      this.atoms.set(name, atom);
    }
    return atom;
  }

  /** A property of a window, or undefined when the window has it not (or is gone). */
  async property(wid: number, name: string): Promise<XProperty | undefined> {
    const atom = await this.atom(name);
    const prop = await this.call<XProperty>((cb) => this.client.GetProperty(0, wid, atom, ANY_PROPERTY_TYPE, 0, 1 << 16, cb)).catch(gone);
    return prop && prop.type !== 0 ? prop : undefined;
  }

  /** Window ids in a root property such as _NET_CLIENT_LIST (32-bit elements). */
  async windowList(name: string): Promise<number[]> {
    const prop = await this.property(this.root, name);
    if (!prop || prop.format !== 32) return [];
    return Array.from({ length: prop.data.length / 4 }, (_, i) => prop.data.readUInt32LE(i * 4));
  }

  async viewable(wid: number): Promise<boolean> {
    const attrs = await this.call<{ mapState: number }>((cb) => this.client.GetWindowAttributes(wid, cb)).catch(gone);
    return attrs?.mapState === VIEWABLE;
  }

  /** The window's inside area in root coordinates, or undefined when it is gone. */
  async rect(wid: number): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
    const [geo, pos] = await Promise.all([
      this.call<{ width: number; height: number }>((cb) => this.client.GetGeometry(wid, cb)).catch(gone),
      this.call<{ destX: number; destY: number }>((cb) => this.client.TranslateCoordinates(wid, this.root, 0, 0, cb)).catch(gone),
    ]);
    return geo && pos ? { x: pos.destX, y: pos.destY, width: geo.width, height: geo.height } : undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (connections.get(this.display) === this.entry) connections.delete(this.display);
    try {
      this.client.terminate();
    } catch {
      // already gone
    }
  }

  private call<T>(send: (cb: (err: Error | null, value: T) => void) => void): Promise<T> {
    if (this.closed) return Promise.reject(new XQueryError(`the connection to ${this.display} was lost`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new XQueryError(`the X display ${this.display} did not answer within 5 s`)), 5000);
      send((err, value) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value);
      });
    });
  }
}

/** Asked about a window that has just closed: an answer (nothing), not a failure; a lost connection still fails. */
function gone(err: unknown): undefined {
  if (err instanceof XQueryError) throw err;
  return undefined;
}

const connections = new Map<string, Promise<XConnection>>();

function connect(x: XTarget): Promise<XConnection> {
  return new Promise<XConnection>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
    const client = x11.createClient({ display: x.display }, (err: Error | null, display: XDisplay) => {
      clearTimeout(timer);
      if (err) return reject(err);
      // Queries are made around captures for as long as the process lives; the socket must not keep it alive.
      display.client.stream?.unref?.();
      resolve(new XConnection(display.client, display.screen[0]!.root, x.display));
    }) as unknown as { on(e: 'error', fn: (err: Error) => void): void };
    client.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
