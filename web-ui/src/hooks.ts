// Small hooks the pages share: data from the API with loading and error states, and a ticking clock.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** GETs `path` (again when it changes, and every `refreshMs` when given); null path: nothing. */
export function useApi<T>(path: string | null, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: unknown) => live && setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  useEffect(() => {
    if (!refreshMs || path === null) return;
    const t = window.setInterval(reload, refreshMs);
    return () => window.clearInterval(t);
  }, [path, refreshMs, reload]);
  return { ...state, reload };
}

/** Date.now(), re-read every `everyMs` (null: not ticking). */
export function useNow(everyMs: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (everyMs === null) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}
