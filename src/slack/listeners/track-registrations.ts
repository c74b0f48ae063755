import type { App } from '@slack/bolt';

/** A listener's constraint as Bolt takes it: an id, a pattern, or an object of ids/patterns. */
export type InteractionConstraint = string | RegExp | { readonly [field: string]: unknown };

/** Every constraint a listener was registered with, per surface. */
export interface KnownInteractions {
  readonly actions: InteractionConstraint[];
  readonly commands: InteractionConstraint[];
  /** Shortcuts and modals (callback_id). */
  readonly callbacks: InteractionConstraint[];
  readonly options: InteractionConstraint[];
}

export function createKnownInteractions(): KnownInteractions {
  return { actions: [], commands: [], callbacks: [], options: [] };
}

const matchesValue = (pattern: unknown, value: string | undefined): boolean =>
  pattern === undefined || (typeof pattern === 'string' ? pattern === value : pattern instanceof RegExp ? value !== undefined && pattern.test(value) : false);

/** Whether a registered constraint would take an interaction with this id (action_id, command or callback_id). */
export function constraintMatches(c: InteractionConstraint, id: string | undefined, idField: 'action_id' | 'callback_id'): boolean {
  if (typeof c === 'string' || c instanceof RegExp) return matchesValue(c, id);
  // Object constraints: the id field decides; one without it (e.g. only block_id or type) is taken as matching.
  return matchesValue(c[idField] ?? c.callback_id ?? c.action_id, id);
}

/**
 * Records every listener registered on `app` — through the interaction seam or straight with
 * `app.action`/`view`/`shortcut`/`command`/`options` — so the unknown-interaction middleware never
 * mistakes a handled interaction for an unknown one, whoever registered it.
 */
export function trackRegistrations(app: App, known: KnownInteractions): void {
  const surfaces = [
    ['action', known.actions],
    ['command', known.commands],
    ['view', known.callbacks],
    ['shortcut', known.callbacks],
    ['options', known.options],
  ] as const;
  const methods = app as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [method, list] of surfaces) {
    const original = methods[method]!.bind(app);
    methods[method] = (constraint: unknown, ...rest: unknown[]) => {
      list.push(constraint as InteractionConstraint);
      return original(constraint, ...rest);
    };
  }
}
