// Pages other than Today (and Today's chart) load on first use as their own chunks, so the first
// paint of Today only parses and runs what its figures need. A chunk is fetched once and kept.
import type { ComponentChild, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any page's props
export function lazyPage<P extends Record<string, any>>(
  load: () => Promise<ComponentType<P>>,
  /** What shows while it loads (default: "Loading…"); null for nothing. */
  placeholder: ComponentChild = <p role="status">Loading…</p>,
): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  return function LazyPage(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (component) return;
      let live = true;
      loading ??= load().then((c) => (loaded = c));
      loading.then(
        (c) => live && setComponent(() => c),
        () => {
          loading = null;
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, [component]);
    if (failed) return <p class="error" role="alert">This page could not be loaded; check the connection to the box and reload.</p>;
    if (!component) return <>{placeholder}</>;
    const Component = component;
    return <Component {...props} />;
  };
}
