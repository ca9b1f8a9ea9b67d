import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';

export type MessageArgs = Record<string, FluentVariable>;

/** Builds a bundle from one .ftl source; syntax or duplicate-id problems are returned, not thrown. */
export function createBundle(locale: string, source: string): { bundle: FluentBundle; errors: Error[] } {
  const bundle = new FluentBundle(locale);
  const errors = bundle.addResource(new FluentResource(source));
  return { bundle, errors };
}

/**
 * The text of a message (or of one of its attributes). A missing message shows its id, so
 * that a gap is visible and never crashes the page; the unit tests keep the files complete.
 */
export function formatMessage(bundle: FluentBundle | null, id: string, args?: MessageArgs, attribute?: string): string {
  const message = bundle?.getMessage(id);
  const pattern = attribute ? message?.attributes[attribute] : message?.value;
  if (!bundle || !pattern) {
    const missing = attribute ? `${id}.${attribute}` : id;
    for (const listener of problemListeners) listener({ locale: bundle?.locales[0], id: missing });
    return missing;
  }
  const errors: Error[] = [];
  const text = bundle.formatPattern(pattern, args ?? null, errors);
  for (const error of errors) {
    for (const listener of problemListeners) listener({ locale: bundle.locales[0], id, error });
  }
  return text;
}

/** A message that is missing, or that could not be formatted (e.g. a variable not given). */
export interface MessageProblem {
  locale: string | undefined;
  id: string;
  error?: Error;
}

const problemListeners = new Set<(problem: MessageProblem) => void>();

/** Be told of every missing or broken message (tests; a warning in development). Returns an unsubscribe function. */
export function onMessageProblem(listener: (problem: MessageProblem) => void): () => void {
  problemListeners.add(listener);
  return () => problemListeners.delete(listener);
}
