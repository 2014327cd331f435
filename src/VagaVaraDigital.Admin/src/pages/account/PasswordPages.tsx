import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorMessage } from '../../components/PageState';
import { Field, fieldErrors } from '../../components/Field';
import { useSession } from '../../session';

/** "Glömt lösenord": the same answer whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (!session.data) await session.refetch();
      await unwrap(api.POST('/api/auth/password/forgot', { body: { email } }));
      setSent(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('signIn.forgotTitle')}>
      {error ? <ErrorMessage error={error} /> : null}
      {sent ? (
        <p role="status">{t('signIn.forgotSent')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="form" noValidate>
          <p>{t('signIn.forgotHelp')}</p>
          <Field id="email" type="email" label={t('signIn.email')} autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          <button type="submit" className="button" disabled={email.trim() === ''}>{t('signIn.forgotSend')}</button>
        </form>
      )}
      <p><Link to="/konto/logga-in">{t('signIn.backToSignIn')}</Link></p>
    </Page>
  );
}

/** Choosing a password from an e-mailed link: the invitation (first password) or a reset. */
export function SetPasswordPage({ mode }: { mode: 'invitation' | 'reset' }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const userId = params.get('anvandare');
  const token = params.get('kod');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setErrors({});
    try {
      if (!session.data) await session.refetch();
      const body = { userId, token, password };
      await unwrap(mode === 'invitation' ? api.POST('/api/auth/invitations/accept', { body }) : api.POST('/api/auth/password/reset', { body }));
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors) setErrors(fieldErrors(err.problem.errors));
      else setError(err);
    }
  };
  const title = mode === 'invitation' ? t('signIn.activateTitle') : t('signIn.resetTitle');
  return (
    <Page title={title}>
      {error ? <ErrorMessage error={error} /> : null}
      {done ? (
        <p role="status">
          {t('signIn.passwordSet')} <Link to="/konto/logga-in">{t('signIn.signIn')}</Link>
        </p>
      ) : !userId || !token ? (
        <p>{t('signIn.linkBroken')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="form" noValidate>
          <Field id="password" type="password" label={t('signIn.newPassword')} hint={t('signIn.passwordRules')} autoComplete="new-password"
            value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} required minLength={12} />
          <button type="submit" className="button" disabled={password.length === 0}>{t('signIn.setPassword')}</button>
        </form>
      )}
    </Page>
  );
}
