import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams, Link } from 'react-router';
import { api, ApiError, setAntiforgeryToken, unwrap } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorMessage } from '../../components/PageState';
import { Field } from '../../components/Field';
import { groupKey, landingFor, useSession } from '../../session';
import { BusyButton } from '../../components/BusyButton';

type Step = 'email' | 'password' | 'mfa' | 'enrol' | 'recovery-codes';

/**
 * E-mail first: a domain with an organisation login goes to it (home-realm discovery), others get the
 * password form; then the TOTP code, or enrolment with recovery codes for the roles that must use MFA.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const returnTo = params.get('tillbaka');
  const session = useSession();
  const [step, setStep] = useState<Step>('email');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<{ sharedKey: string; authenticatorUri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      if (!session.data) await session.refetch();
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function finish() {
    const s = await unwrap(api.GET('/api/auth/session'));
    setAntiforgeryToken(s.antiforgeryToken);
    window.location.assign(landingFor(s.user, returnTo));
  }

  const submitEmail = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await unwrap(api.POST('/api/auth/discover', { body: { email } }));
      if (r.method === 'sso' && r.startUrl) {
        const url = new URL(r.startUrl, window.location.origin);
        if (returnTo) url.searchParams.set('returnUrl', returnTo);
        window.location.assign(url.pathname + url.search);
        return;
      }
      setStep('password');
    });
  };

  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await unwrap(api.POST('/api/auth/sign-in', { body: { email, password } }));
      setAntiforgeryToken(r.antiforgeryToken);
      setPassword('');
      if (r.status === 'mfa_required') setStep('mfa');
      else if (r.status === 'mfa_enrolment_required') {
        setEnrolment(await unwrap(api.POST('/api/auth/mfa/enrolment')));
        setStep('enrol');
      } else await finish();
    });
  };

  const submitMfa = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await unwrap(api.POST('/api/auth/mfa/verify', { body: useRecovery ? { code: null, recoveryCode: code } : { code, recoveryCode: null } }));
      setAntiforgeryToken(r.antiforgeryToken);
      await finish();
    });
  };

  const submitEnrolment = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await unwrap(api.POST('/api/auth/mfa/enrolment/confirm', { body: { code, recoveryCode: null } }));
      setAntiforgeryToken(r.antiforgeryToken);
      setRecoveryCodes(r.recoveryCodes);
      setStep('recovery-codes');
    });
  };

  const failure = error instanceof ApiError ? error : error ? new ApiError(0, {}) : null;

  return (
    <Page title={t('signIn.title')}>
      {failure && <ErrorMessage error={failure} />}
      {step === 'email' && (
        <form onSubmit={submitEmail} className="form" noValidate>
          <p>{t('signIn.emailFirst')}</p>
          <Field id="email" type="email" label={t('signIn.email')} autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          <BusyButton type="submit" className="button" disabled={email.trim() === ''} busy={busy}>{t('signIn.continue')}</BusyButton>
        </form>
      )}
      {step === 'password' && (
        <form onSubmit={submitPassword} className="form" noValidate>
          <p>{t('signIn.signingInAs', { email })} <button type="button" className="link-button" onClick={() => setStep('email')}>{t('signIn.otherEmail')}</button></p>
          <Field id="password" type="password" label={t('signIn.password')} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
          <div className="form-actions">
            <BusyButton type="submit" className="button" disabled={password === ''} busy={busy}>{t('signIn.signIn')}</BusyButton>
            <Link to="/konto/glomt-losenord">{t('signIn.forgot')}</Link>
          </div>
        </form>
      )}
      {step === 'mfa' && (
        <form onSubmit={submitMfa} className="form" noValidate>
          <p>{useRecovery ? t('signIn.recoveryHelp') : t('signIn.mfaHelp')}</p>
          <Field id="code" label={useRecovery ? t('signIn.recoveryCode') : t('signIn.code')} autoComplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'} value={code} onChange={(e) => setCode(e.target.value)} required autoFocus />
          <div className="form-actions">
            <BusyButton type="submit" className="button" disabled={code.trim() === ''} busy={busy}>{t('signIn.verify')}</BusyButton>
            <button type="button" className="link-button" onClick={() => { setUseRecovery(!useRecovery); setCode(''); }}>
              {useRecovery ? t('signIn.useApp') : t('signIn.useRecovery')}
            </button>
          </div>
        </form>
      )}
      {step === 'enrol' && enrolment && (
        <form onSubmit={submitEnrolment} className="form" noValidate>
          <p>{t('signIn.enrolHelp')}</p>
          <p>{t('signIn.enrolKey')} <code className="key">{groupKey(enrolment.sharedKey)}</code></p>
          <p><a href={enrolment.authenticatorUri}>{t('signIn.enrolOpenApp')}</a></p>
          <Field id="code" label={t('signIn.code')} autoComplete="one-time-code" inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} required />
          <BusyButton type="submit" className="button" disabled={code.trim() === ''} busy={busy}>{t('signIn.enrolConfirm')}</BusyButton>
        </form>
      )}
      {step === 'recovery-codes' && (
        <section aria-labelledby="codes">
          <h2 id="codes">{t('signIn.recoveryTitle')}</h2>
          <p>{t('signIn.recoveryKeep')}</p>
          <ul className="codes">{recoveryCodes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
          <button type="button" className="button" onClick={() => void finish()}>{t('signIn.continue')}</button>
        </section>
      )}
    </Page>
  );
}
