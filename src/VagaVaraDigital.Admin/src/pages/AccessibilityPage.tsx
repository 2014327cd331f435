import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

const sections = ['how', 'test', 'known', 'report', 'supervision'] as const;

/** Tillgänglighetsredogörelse, as the Swedish law (2018:1937) requires of public digital services. */
export function AccessibilityPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('a11y.title')} intro={t('a11y.lead')}>
      {sections.map((s) => (
        <section key={s} aria-labelledby={`a11y-${s}`}>
          <h2 id={`a11y-${s}`}>{t(`a11y.${s}Title`)}</h2>
          <p>{t(`a11y.${s}`)}</p>
        </section>
      ))}
      <p className="muted">{t('a11y.updated')}</p>
    </Page>
  );
}
