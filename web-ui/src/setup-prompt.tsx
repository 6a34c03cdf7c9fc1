// For the owner until the setup wizard is finished: the wizard opens by itself on the start page
// (once per page load, so the owner can leave it), and every other page says setup is waiting.
import { useEffect, useRef } from 'preact/hooks';
import { useApi } from './hooks.js';
import type { Route } from './lib/routes.js';

let opened = false;

export function SetupPrompt({ page }: { page: Route['page'] }) {
  const progress = useApi<{ setup: { finished: boolean } }>('/api/setup/progress');
  const unfinished = progress.data !== null && !progress.data.setup.finished;
  // Asked again on every page change (the owner may have just finished).
  const shownOn = useRef(page);
  useEffect(() => {
    if (shownOn.current === page) return;
    shownOn.current = page;
    progress.reload();
  }, [page, progress]);
  useEffect(() => {
    if (!unfinished || opened) return;
    opened = true;
    if (location.hash === '' || location.hash === '#' || location.hash === '#/') location.hash = '#/setup';
  }, [unfinished]);
  // Only an answer asked for on this page counts: right after "Finish setup" the one from the
  // wizard's page still says unfinished until the new one is in.
  const fresh = shownOn.current === page && !progress.loading;
  if (!unfinished || !fresh || page === 'setup') return null;
  return (
    <p class="note">
      Setup is not finished. <a href="#/setup">Continue setting up the box</a>
    </p>
  );
}
