// Small hooks: the current route from the hash, and data loaded for a set of inputs.
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { parseRoute, type Route } from "./route";

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
}

// Runs `load` whenever a key changes; a late answer for old keys is dropped. The request starts as
// soon as the component is in the document (a layout effect), not after the next frame is drawn.
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useLayoutEffect(() => {
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, keys);
  return state;
}
