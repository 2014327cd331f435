import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, TextAreaField } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { DataTable } from '../../components/charts/DataTable';
import { splitUris, uriProblems, type UriProblem } from './redirectUris';
import { BusyButton } from '../../components/BusyButton';

type Created = components['schemas']['CreatedApiClient'];
type ApiClient = components['schemas']['ApiClient'];
type Kind = 'machine' | 'interactive';
const OPTIONAL_SCOPES = ['profile', 'email', 'offline_access', 'reach.read'] as const;

/**
 * SystemAdmin: clients of the OpenID Connect server. Machine clients (client credentials, scope reach.read — e.g.
 * Lantmäteriet's statistics system) and interactive clients (authorization code + PKCE; public — a native or
 * browser app without a secret — or confidential — a web application with a secret), with their redirect and
 * post-logout redirect addresses. A secret is shown once, right after registration; revoking removes the client.
 */
export function ApiClientsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['system', 'api-clients'], queryFn: () => unwrap(api.GET('/api/system/api-clients')) });
  const [kind, setKind] = useState<Kind>('machine');
  const [name, setName] = useState('');
  const [confidential, setConfidential] = useState(false);
  const [redirects, setRedirects] = useState('');
  const [postLogout, setPostLogout] = useState('');
  const [scopes, setScopes] = useState<string[]>(['profile', 'email']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Created | null>(null);
  // True when the notice shows a rotated secret of an existing client rather than a new registration.
  const [rotated, setRotated] = useState(false);
  const [editing, setEditing] = useState<ApiClient | null>(null);
  const [savedAddresses, setSavedAddresses] = useState<string | null>(null);
  const createdHeading = useRef<HTMLHeadingElement>(null);
  const summary = useRef<HTMLDivElement>(null);

  const describe = (p: UriProblem) => t(`apiClients.uriProblems.${p.code}`, { uri: p.uri, scheme: 'scheme' in p ? p.scheme : '' });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/system/api-clients', {
      body: kind === 'machine'
        ? { displayName: name, kind, scopes: ['reach.read'], redirectUris: [] }
        : {
          displayName: name, kind, confidential, scopes: ['openid', ...scopes],
          redirectUris: splitUris(redirects), postLogoutRedirectUris: splitUris(postLogout),
        },
    })),
    onSuccess: (r) => {
      setErrors({});
      setName('');
      setRedirects('');
      setPostLogout('');
      setRotated(false);
      setCreated(r);
      void client.invalidateQueries({ queryKey: ['system', 'api-clients'] });
    },
    onError: (e) => {
      // The API's messages (Swedish) per field; several addresses may each have one.
      if (e instanceof ApiError && e.problem.errors) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(e.problem.errors)) out[k[0].toLowerCase() + k.slice(1)] = v.join(' ');
        setErrors(out);
      }
    },
  });
  const revoke = useMutation({
    mutationFn: (clientId: string) => unwrap(api.DELETE('/api/system/api-clients/{clientId}', { params: { path: { clientId } } })),
    onSuccess: (_, clientId) => {
      if (created?.client.clientId === clientId) setCreated(null);
      void client.invalidateQueries({ queryKey: ['system', 'api-clients'] });
    },
  });
  const rotate = useMutation({
    mutationFn: (clientId: string) => unwrap(api.POST('/api/system/api-clients/{clientId}/secret', { params: { path: { clientId } } })),
    onSuccess: (r) => { setRotated(true); setCreated(r); },
  });
  useEffect(() => { if (created) createdHeading.current?.focus(); }, [created]);

  const validate = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (name.trim().length === 0) found.displayName = t('apiClients.nameRequired');
    if (kind === 'interactive') {
      const list = splitUris(redirects);
      const problems = uriProblems(list, !confidential);
      if (list.length === 0) found.redirectUris = t('apiClients.redirectRequired');
      else if (problems.length > 0) found.redirectUris = problems.map(describe).join(' ');
      const after = uriProblems(splitUris(postLogout), !confidential);
      if (after.length > 0) found.postLogoutRedirectUris = after.map(describe).join(' ');
    }
    return found;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => summary.current?.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    create.mutate();
  };
  const labels = {
    displayName: t('apiClients.name'), redirectUris: t('apiClients.redirectUris'), postLogoutRedirectUris: t('apiClients.postLogoutRedirectUris'),
    kind: t('apiClients.kind'), scopes: t('apiClients.scopes'), confidential: t('apiClients.clientType'),
  };
  const origin = window.location.origin;
  const createdIsMachine = created?.client.kind === 'machine';
  return (
    <Page title={t('apiClients.title')} intro={t('apiClients.intro')}>
      {created && (
        <section aria-labelledby="created-client" className="notice">
          <h2 id="created-client" ref={createdHeading} tabIndex={-1}>
            {t(rotated ? 'apiClients.rotatedTitle' : 'apiClients.createdTitle', { name: created.client.displayName })}
          </h2>
          {created.clientSecret && <p><strong>{t('apiClients.secretOnce')}</strong></p>}
          <dl className="plain">
            <dt>{t('apiClients.clientId')}</dt><dd><code className="break">{created.client.clientId}</code></dd>
            {created.clientSecret && <><dt>{t('apiClients.secret')}</dt><dd><code className="secret">{created.clientSecret}</code></dd></>}
            {!createdIsMachine && <><dt>{t('apiClients.authorizeUrl')}</dt><dd><code className="break">{`${origin}/connect/authorize`}</code></dd></>}
            <dt>{t('apiClients.tokenUrl')}</dt><dd><code className="break">{`${origin}/connect/token`}</code></dd>
            {!createdIsMachine && <><dt>{t('apiClients.discoveryUrl')}</dt><dd><code className="break">{`${origin}/.well-known/openid-configuration`}</code></dd></>}
            <dt>{t('apiClients.scopes')}</dt><dd><code>{created.client.scopes.join(' ')}</code></dd>
            {!createdIsMachine && <><dt>{t('apiClients.pkce')}</dt><dd>{t('apiClients.pkceRequired')}</dd></>}
          </dl>
          <button type="button" className="button secondary small" onClick={() => setCreated(null)}>
            {created.clientSecret ? t('apiClients.secretSaved') : t('common.close')}
          </button>
        </section>
      )}
      {(revoke.error || rotate.error) && <ErrorMessage error={revoke.error ?? rotate.error} />}
      <QueryView query={query}>
        {(rows) => rows.length === 0 ? <p>{t('apiClients.none')}</p> : (
          <DataTable caption={t('apiClients.listCaption')} captionHidden rows={rows} rowKey={(c) => c.clientId}
            columns={[
              { key: 'name', header: t('apiClients.name'), cell: (c) => c.displayName ?? c.clientId },
              { key: 'id', header: t('apiClients.clientId'), cell: (c) => <code className="break">{c.clientId}</code> },
              {
                key: 'kind', header: t('apiClients.kind'), cell: (c) => (
                  <>
                    {t(`apiClients.kinds.${c.kind}`, { defaultValue: c.kind })}
                    {c.kind === 'interactive' && <><br /><span className="muted">{t(`apiClients.clientTypes.${c.clientType}`, { defaultValue: c.clientType })}</span></>}
                  </>
                ),
              },
              { key: 'scopes', header: t('apiClients.scopes'), cell: (c) => c.scopes.join(', ') },
              {
                key: 'uris', header: t('apiClients.addresses'), cell: (c) => c.redirectUris.length + c.postLogoutRedirectUris.length === 0 ? '–' : (
                  <ul className="plain-list">
                    {c.redirectUris.map((u) => <li key={`r${u}`}><code className="break">{u}</code></li>)}
                    {c.postLogoutRedirectUris.map((u) => <li key={`p${u}`}>{t('apiClients.afterSignOut')} <code className="break">{u}</code></li>)}
                  </ul>
                ),
              },
              {
                key: 'action', header: t('apiClients.actions'), cell: (c) => (
                  <div className="button-row">
                  {c.kind === 'interactive' && (
                    <button type="button" className="button secondary small" onClick={() => { setSavedAddresses(null); setEditing(c); }}>
                      {t('apiClients.editAddresses', { name: c.displayName ?? c.clientId })}
                    </button>
                  )}
                  {(c.kind === 'machine' || c.clientType === 'confidential') && (
                    <ConfirmAction label={t('apiClients.rotate', { name: c.displayName ?? c.clientId })} className="button secondary small"
                      message={t('apiClients.confirmRotate', { name: c.displayName ?? c.clientId })} confirmLabel={t('apiClients.confirmRotateButton')}
                      pending={rotate.isPending} onConfirm={() => rotate.mutate(c.clientId)} />
                  )}
                  <ConfirmAction label={t('apiClients.revoke', { name: c.displayName ?? c.clientId })}
                    message={t('apiClients.confirmRevoke', { name: c.displayName ?? c.clientId })} confirmLabel={t('apiClients.confirmRevokeButton')}
                    pending={revoke.isPending} onConfirm={() => revoke.mutate(c.clientId)} />
                  </div>
                ),
              },
            ]} />
        )}
      </QueryView>
      {savedAddresses && <p role="status" className="notice">{savedAddresses}</p>}
      {editing && (
        <AddressesForm key={editing.clientId} client={editing} onCancel={() => setEditing(null)}
          onSaved={(c) => { setEditing(null); setSavedAddresses(t('apiClients.addressesSaved', { name: c.displayName ?? c.clientId })); }} />
      )}
      <section aria-labelledby="new-client" className="card">
        <h2 id="new-client">{t('apiClients.newTitle')}</h2>
        <form onSubmit={submit} className="form" noValidate>
          <div ref={summary}><ErrorSummary errors={errors} labels={labels} /></div>
          {create.error && !(create.error instanceof ApiError && create.error.problem.errors) && <ErrorMessage error={create.error} />}
          <fieldset id="kind">
            <legend>{t('apiClients.kind')}</legend>
            <div className="checkbox">
              <input type="radio" id="kind-machine" name="kind" checked={kind === 'machine'} onChange={() => setKind('machine')} aria-describedby="kind-machine-hint" />
              <label htmlFor="kind-machine">{t('apiClients.kinds.machine')}<span id="kind-machine-hint" className="hint block">{t('apiClients.machineHelp')}</span></label>
            </div>
            <div className="checkbox">
              <input type="radio" id="kind-interactive" name="kind" checked={kind === 'interactive'} onChange={() => setKind('interactive')} aria-describedby="kind-interactive-hint" />
              <label htmlFor="kind-interactive">{t('apiClients.kinds.interactive')}<span id="kind-interactive-hint" className="hint block">{t('apiClients.interactiveHelp')}</span></label>
            </div>
          </fieldset>
          <Field id="displayName" label={labels.displayName} hint={t('apiClients.nameHint')} value={name} onChange={(e) => setName(e.target.value)}
            error={errors.displayName} required maxLength={200} autoComplete="off" />
          {kind === 'interactive' && (
            <>
              <fieldset id="confidential">
                <legend>{t('apiClients.clientType')}</legend>
                <div className="checkbox">
                  <input type="radio" id="type-public" name="clientType" checked={!confidential} onChange={() => setConfidential(false)} aria-describedby="type-public-hint" />
                  <label htmlFor="type-public">{t('apiClients.clientTypes.public')}<span id="type-public-hint" className="hint block">{t('apiClients.publicHelp')}</span></label>
                </div>
                <div className="checkbox">
                  <input type="radio" id="type-confidential" name="clientType" checked={confidential} onChange={() => setConfidential(true)} aria-describedby="type-confidential-hint" />
                  <label htmlFor="type-confidential">{t('apiClients.clientTypes.confidential')}<span id="type-confidential-hint" className="hint block">{t('apiClients.confidentialHelp')}</span></label>
                </div>
              </fieldset>
              <TextAreaField id="redirectUris" label={labels.redirectUris} hint={t('apiClients.redirectHint')} value={redirects}
                onChange={(e) => setRedirects(e.target.value)} error={errors.redirectUris} required />
              <TextAreaField id="postLogoutRedirectUris" label={labels.postLogoutRedirectUris} hint={t('apiClients.postLogoutHint')} value={postLogout}
                onChange={(e) => setPostLogout(e.target.value)} error={errors.postLogoutRedirectUris} />
              <div id="scopes">
                <CheckboxGroup legend={t('apiClients.scopes')} hint={t('apiClients.scopesHint')} name="scope"
                  options={OPTIONAL_SCOPES.map((s) => ({ value: s, label: t(`apiClients.scopeNames.${s.replace('.', '_')}`) }))} value={scopes} onChange={setScopes} />
              </div>
            </>
          )}
          <BusyButton type="submit" className="button" busy={create.isPending}>{create.isPending ? t('common.saving') : t('apiClients.register')}</BusyButton>
        </form>
      </section>
    </Page>
  );
}

/**
 * An interactive client's redirect and post-logout addresses, changed after registration: checked here as the API checks
 * them (https, or loopback http for a public client), then PUT /api/system/api-clients/{clientId}/addresses (the API
 * checks again and says per address what is wrong). The heading takes focus when the form opens.
 */
export function AddressesForm({ client: c, onSaved, onCancel }: { client: ApiClient; onSaved: (c: ApiClient) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [redirects, setRedirects] = useState(c.redirectUris.join('\n'));
  const [postLogout, setPostLogout] = useState(c.postLogoutRedirectUris.join('\n'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const publicClient = c.clientType === 'public';
  const describe = (p: UriProblem) => t(`apiClients.uriProblems.${p.code}`, { uri: p.uri, scheme: 'scheme' in p ? p.scheme : '' });
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/system/api-clients/{clientId}/addresses', {
      params: { path: { clientId: c.clientId } }, body: { redirectUris: splitUris(redirects), postLogoutRedirectUris: splitUris(postLogout) },
    })),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['system', 'api-clients'] });
      onSaved(updated);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.problem.errors) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(e.problem.errors)) out[`edit${k[0].toUpperCase()}${k.slice(1)}`] = v.join(' ');
        setErrors(out);
        requestAnimationFrame(() => summary.current?.querySelector<HTMLElement>('.error-summary')?.focus());
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const list = splitUris(redirects);
    const problems = uriProblems(list, publicClient);
    if (list.length === 0) found.editRedirectUris = t('apiClients.redirectRequired');
    else if (problems.length > 0) found.editRedirectUris = problems.map(describe).join(' ');
    const after = uriProblems(splitUris(postLogout), publicClient);
    if (after.length > 0) found.editPostLogoutRedirectUris = after.map(describe).join(' ');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => summary.current?.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    save.mutate();
  };
  const labels = { editRedirectUris: t('apiClients.redirectUris'), editPostLogoutRedirectUris: t('apiClients.postLogoutRedirectUris') };
  const name = c.displayName ?? c.clientId;
  return (
    <section aria-labelledby="edit-addresses" className="card">
      <h2 id="edit-addresses" ref={heading} tabIndex={-1}>{t('apiClients.editAddressesTitle', { name })}</h2>
      <p className="muted">{t(`apiClients.clientTypes.${c.clientType}`, { defaultValue: c.clientType })}</p>
      <form onSubmit={submit} className="form" noValidate>
        <div ref={summary}><ErrorSummary errors={errors} labels={labels} /></div>
        {save.error && !(save.error instanceof ApiError && save.error.problem.errors) && <ErrorMessage error={save.error} />}
        <TextAreaField id="editRedirectUris" label={labels.editRedirectUris} hint={t('apiClients.redirectHint')} value={redirects}
          onChange={(e) => setRedirects(e.target.value)} error={errors.editRedirectUris} required />
        <TextAreaField id="editPostLogoutRedirectUris" label={labels.editPostLogoutRedirectUris} hint={t('apiClients.postLogoutHint')} value={postLogout}
          onChange={(e) => setPostLogout(e.target.value)} error={errors.editPostLogoutRedirectUris} />
        <div className="button-row">
          <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('apiClients.saveAddresses')}</BusyButton>
          <button type="button" className="button secondary" onClick={onCancel}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
