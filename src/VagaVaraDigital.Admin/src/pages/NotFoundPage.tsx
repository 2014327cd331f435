import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../components/Page';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.notFoundTitle')} intro={t('errors.notFound')}>
      <p>
        <Link to="/">{t('errors.toStart')}</Link>
      </p>
    </Page>
  );
}
