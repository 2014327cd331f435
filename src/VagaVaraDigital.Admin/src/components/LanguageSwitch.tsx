import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import { useChooseLanguage, useUserLanguage } from '../userLanguage';

/**
 * Switches between Swedish and English; the choice is remembered in this browser and, when signed in, on the
 * person's account (so it follows them). The button is labelled in the target language.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  useUserLanguage();
  const choose = useChooseLanguage();
  const target = t('app.switchToLang') as Language;
  return (
    <button type="button" className="link-button" lang={target} onClick={() => void choose(target)}>
      {t('app.switchTo')}
    </button>
  );
}
