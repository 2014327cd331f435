import { useEffect } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import i18n from './i18n';
import { rememberLanguage, setLanguage, type Language } from './i18n';
import { api, setAntiforgeryToken, unwrap } from './api/client';
import { useSession } from './session';

const key = (userId: string | undefined) => ['me', 'preferences', userId ?? ''];

/** The stored choice wins over the browser's after sign-in; nothing stored → the browser's choice stays. */
export function languageToApply(stored: string | null | undefined, current: string): Language | null {
  return (stored === 'sv' || stored === 'en') && stored !== current ? stored : null;
}

/**
 * The language is remembered per person (on the account, GET/PUT /api/me/preferences) as well as per browser:
 * once the session names a signed-in user, their stored language is applied.
 */
export function useUserLanguage() {
  const session = useSession();
  const user = session.data?.authenticated ? session.data.user : null;
  const prefs = useQuery({
    queryKey: key(user?.id),
    queryFn: () => unwrap(api.GET('/api/me/preferences')),
    enabled: !!user,
    staleTime: Infinity,
    retry: false,
  });
  useEffect(() => {
    const lang = languageToApply(prefs.data?.language, i18n.language);
    if (lang) {
      rememberLanguage(lang);
      void i18n.changeLanguage(lang);
    }
  }, [prefs.data]);
}

/**
 * Before the first render (main.tsx): who is signed in, and — for a person — the account's language, applied
 * before anything localised is painted, so a reload never flashes the browser's remembered language first.
 * Both answers are put in the query cache (useSession and useUserLanguage then need no request). Whatever fails
 * here only means the screen renders as before and asks again.
 */
export async function bootstrapLanguage(client: QueryClient): Promise<void> {
  try {
    const session = await unwrap(api.GET('/api/auth/session'));
    setAntiforgeryToken(session.antiforgeryToken);
    client.setQueryData(['session'], session);
    const user = session.authenticated ? session.user : null;
    if (!user) return;
    const prefs = await unwrap(api.GET('/api/me/preferences'));
    client.setQueryData(key(user.id), prefs);
    const lang = languageToApply(prefs.language, i18n.language);
    if (lang) {
      rememberLanguage(lang);
      await i18n.changeLanguage(lang);
    }
  } catch {
    /* rendered with the browser's choice; the hooks retry */
  }
}

/** Switches the language here and, when someone is signed in, on their account too. */
export function useChooseLanguage() {
  const session = useSession();
  const client = useQueryClient();
  const user = session.data?.authenticated ? session.data.user : null;
  return async (lang: Language) => {
    await setLanguage(lang);
    if (!user) return;
    try {
      const saved = await unwrap(api.PUT('/api/me/preferences', { body: { language: lang } }));
      client.setQueryData(key(user.id), saved);
    } catch {
      /* the choice still holds in this browser; the next switch tries again */
    }
  };
}
