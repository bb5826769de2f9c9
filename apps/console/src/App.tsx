import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, Route, Router, Switch, useRoute } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { api, ApiError, setUnauthorizedHandler, tokenStore } from './api/client';
import type { Session } from './api/types';
import { LiveBadge, LiveUpdates } from './live/live';
import { CachePage } from './pages/CachePage';
import { EvaluatePage } from './pages/EvaluatePage';
import { FlagListPage } from './pages/FlagListPage';
import { FlagPage } from './pages/FlagPage';
import { HistoryPage } from './pages/HistoryPage';
import { SignInPage } from './pages/SignInPage';
import { SessionContext } from './session';

type Boot =
  | { state: 'checking' }
  | { state: 'signed-out'; notice?: string }
  | { state: 'in'; session: Session };

export function App() {
  const queryClient = useQueryClient();
  const [boot, setBoot] = useState<Boot>(() =>
    tokenStore.get() ? { state: 'checking' } : { state: 'signed-out' },
  );

  const signOut = useCallback(
    (notice?: string) => {
      tokenStore.clear();
      queryClient.clear();
      setBoot({ state: 'signed-out', notice });
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => signOut('The service refused your token. Sign in again.'));
    const token = tokenStore.get();
    if (token === null) return;
    api.session(token).then(
      (session) => setBoot({ state: 'in', session }),
      (error: unknown) =>
        signOut(
          error instanceof ApiError && error.status === 401
            ? 'The service refused your token. Sign in again.'
            : undefined,
        ),
    );
  }, [signOut]);

  const context = useMemo(
    () =>
      boot.state === 'in'
        ? { session: boot.session, canEdit: boot.session.role === 'admin', signOut }
        : null,
    [boot, signOut],
  );

  if (boot.state === 'checking') return <p className="boot">Loading…</p>;
  if (context === null)
    return (
      <SignInPage
        notice={boot.state === 'signed-out' ? boot.notice : undefined}
        onSignedIn={(token, session) => {
          tokenStore.set(token);
          setBoot({ state: 'in', session });
        }}
      />
    );
  return (
    <SessionContext.Provider value={context}>
      <LiveUpdates>
        <Router hook={useHashLocation}>
          <Shell>
            <Switch>
              <Route path="/" component={FlagListPage} />
              <Route path="/cache" component={CachePage} />
              <Route path="/flags/:name/evaluate">{(p) => <EvaluatePage name={p.name} />}</Route>
              <Route path="/flags/:name/history">{(p) => <HistoryPage name={p.name} />}</Route>
              <Route path="/flags/:name">{(p) => <FlagPage name={p.name} />}</Route>
              <Route>
                <h1>Not found</h1>
                <Link href="/">Back to the flags</Link>
              </Route>
            </Switch>
          </Shell>
        </Router>
      </LiveUpdates>
    </SessionContext.Provider>
  );
}

function NavLink({ href, children }: { href: string; children: string }) {
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <SessionContext.Consumer>
      {(value) => (
        <>
          {/* Not a fragment link: the hash is the router's. */}
          <a
            className="skip"
            href="#/"
            onClick={(event) => {
              event.preventDefault();
              document.getElementById('main')?.focus();
            }}
          >
            Skip to content
          </a>
          <header className="top">
            <span className="brand">edgeflags</span>
            <nav aria-label="Main">
              <NavLink href="/">Flags</NavLink>
              <NavLink href="/cache">Cache &amp; health</NavLink>
            </nav>
            <span className="who">
              <LiveBadge />
              {value?.session.open ? (
                <span className="badge warn">open: no admin token configured</span>
              ) : (
                <span className={value?.canEdit ? 'badge' : 'badge muted'}>
                  {value?.canEdit ? `admin · ${value.session.name}` : 'read-only'}
                </span>
              )}
              <Button className="button quiet" onPress={() => value?.signOut()}>
                Sign out
              </Button>
            </span>
          </header>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </>
      )}
    </SessionContext.Consumer>
  );
}
