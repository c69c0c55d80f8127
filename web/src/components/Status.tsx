// What a panel shows while it loads or when its request failed.
import type { ComponentChildren } from "preact";
import type { Loaded } from "../hooks";

export function Status<T>({ of, children }: { of: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (of.error) return <p class="error" role="alert">{of.error.message}</p>;
  if (of.data === undefined) return <p class="muted" aria-busy="true">Loading…</p>;
  return <>{children(of.data)}</>;
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state}`}>{state}</span>;
}
