import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sv } from './sv';
import { en } from './en';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'vvd.lang';

/** The remembered choice, else Swedish (the service's language) — never the browser's guess. */
export function initialLanguage(stored: string | null): Language {
  return stored === 'en' ? 'en' : 'sv';
}

function readStored(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export async function setLanguage(lang: Language): Promise<void> {
  rememberLanguage(lang);
  await i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng: initialLanguage(readStored()),
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
