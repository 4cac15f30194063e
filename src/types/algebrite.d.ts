/** algebrite 1.4.0 ships no types: the little we use. It keeps global state (call clearall). */
declare module 'algebrite' {
  const Algebrite: { run(s: string): string; clearall(): void };
  export default Algebrite;
}
