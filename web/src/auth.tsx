import * as oauth from 'oauth4webapi';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * Sign-in: the OAuth 2.0 authorization-code flow with PKCE (oauth4webapi), the flow a public
 * browser client should use. The gateway's /portal-config.json names the endpoints: the
 * development IdP's login page under `npm start`, the regency's OpenID Connect provider in
 * production. The access token is a JWT the gateway verifies; it is kept in sessionStorage (this
 * tab only, gone when it closes). Its claims are read here for display and for which menus to
 * show only: every decision is the gateway's.
 */
interface AuthConfig {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  scope: string;
  endSessionEndpoint?: string;
}

export interface Session {
  token: string;
  expiresAt: number;
  sub: string;
  name: string;
  roles: string[];
  nip?: string;
  agency?: string;
}

const SESSION_KEY = 'gerbang.session';
const PENDING_KEY = 'gerbang.signin';
const CALLBACK_PATH = '/auth/callback';

function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return s && s.expiresAt > Date.now() + 30_000 ? s : null;
  } catch {
    return null;
  }
}

function sessionFromToken(token: string, expiresIn?: number): Session {
  const payload = JSON.parse(new TextDecoder().decode(base64url(token.split('.')[1] ?? ''))) as Record<string, unknown>;
  const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + (expiresIn ?? 3600) * 1000;
  return {
    token,
    expiresAt: exp,
    sub: typeof payload.sub === 'string' ? payload.sub : '',
    name: [payload.name, payload.preferred_username, payload.sub].find((v): v is string => typeof v === 'string') ?? '',
    roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
    ...(typeof payload.nip === 'string' ? { nip: payload.nip } : {}),
    ...(typeof payload.agency === 'string' ? { agency: payload.agency } : {}),
  };
}

function base64url(s: string): Uint8Array {
  const b = atob(
    s
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(s.length / 4) * 4, '='),
  );
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

let configPromise: Promise<AuthConfig | null> | undefined;
function authConfig(): Promise<AuthConfig | null> {
  configPromise ??= fetch('/portal-config.json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<{ auth: AuthConfig | null }>) : { auth: null }))
    .then((c) => c.auth)
    .catch(() => null);
  return configPromise;
}

function server(config: AuthConfig): oauth.AuthorizationServer {
  const abs = (u: string) => new URL(u, window.location.origin).toString();
  return { issuer: config.issuer, authorization_endpoint: abs(config.authorizationEndpoint), token_endpoint: abs(config.tokenEndpoint) };
}

const redirectUri = () => new URL(CALLBACK_PATH, window.location.origin).toString();
// Plain http only on this machine (npm start); anywhere else the IdP must be https.
const insecureOk = () => ['127.0.0.1', 'localhost', '[::1]'].includes(window.location.hostname);

/** Sends the browser to the IdP's login page; `returnTo` is where to come back to afterwards. */
async function beginSignIn(returnTo: string): Promise<void> {
  const config = await authConfig();
  if (!config) throw new Error('sign-in is not configured');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(server(config).authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** On /auth/callback: trades the code for a token. Returns where to go next. */
export async function completeSignIn(current: URL): Promise<{ session: Session; returnTo: string }> {
  const config = await authConfig();
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!config || !pending) throw new Error('no sign-in in progress');
  const as = server(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier, {
    // Deprecated by oauth4webapi only to stand out; it is on solely for an IdP on a loopback address (development).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    [oauth.allowInsecureRequests]: insecureOk(),
  });
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  const session = sessionFromToken(result.access_token, result.expires_in);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return { session, returnTo: pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/' };
}

// Functions, not methods: they are closures, and handed on as they are (`onClick={auth.signOut}`).
interface AuthState {
  session: Session | null;
  signIn: (returnTo?: string) => void;
  signOut: () => void;
  /** After the callback stored a new session. */
  refresh: () => void;
  hasRole: (role: string) => boolean;
  /** Sign-in could not start (no identity provider configured, or it cannot be reached). */
  unavailable: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [unavailable, setUnavailable] = useState(false);
  const refresh = useCallback(() => setSession(loadSession()), []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(null);
  }, []);
  useEffect(() => {
    // A token that expires while the page is open: back to signed out.
    if (!session) return;
    const timer = setTimeout(signOut, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, signOut]);
  const value = useMemo<AuthState>(
    () => ({
      session,
      refresh,
      signOut,
      signIn: (returnTo = window.location.pathname) => {
        setUnavailable(false);
        beginSignIn(returnTo).catch(() => setUnavailable(true));
      },
      hasRole: (role) => session?.roles.includes(role) ?? false,
      unavailable,
    }),
    [session, refresh, signOut, unavailable],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The current token for the GraphQL client (outside React). */
export function currentToken(): string | undefined {
  return loadSession()?.token;
}
