/** What every view gets and gives back. */
export interface ViewContext {
  /** Render the current route again now (after a command). */
  refresh(): void;
  /** Show a message in the banner (the API's message on a failed command). */
  notify(message: string, kind?: 'error' | 'info'): void;
}

export interface Rendered {
  node: Node;
  /** Render again after this many ms (a rollout is still moving); undefined: stay as is. */
  refreshMs?: number;
}
