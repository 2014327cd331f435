import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

/** Switches between Swedish and English; the choice is remembered. The button is labelled in the target language. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const target = t('app.switchToLang') as Language;
  return (
    <button type="button" className="link-button" lang={target} onClick={() => void setLanguage(target)}>
      {t('app.switchTo')}
    </button>
  );
}
