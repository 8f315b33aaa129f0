// The `x11` package ships no types; x-connection.ts describes the few calls it makes.
declare module 'x11' {
  const x11: { createClient(options: { display: string }, cb: (err: Error | null, display: never) => void): unknown };
  export default x11;
}
