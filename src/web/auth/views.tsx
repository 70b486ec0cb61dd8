import { useT } from '../../views/context.ts';
import { FormPage, type FormPageProps } from '../../views/form-page.tsx';

type PageState = Pick<FormPageProps, 'values' | 'errors' | 'alert'>;

export function LoginPage({ next, ...state }: PageState & { next?: string }) {
  const t = useT();
  return (
    <FormPage
      {...state}
      title={t('Sign In')}
      action={next ? `/auth/login?next=${encodeURIComponent(next)}` : '/auth/login'}
      submit={t('Sign In')}
      fields={[
        {
          name: 'username',
          label: t('Username or email'),
          autocomplete: 'username',
          maxLength: 120,
        },
        {
          name: 'password',
          label: t('Password'),
          type: 'password',
          autocomplete: 'current-password',
        },
      ]}
      extra={
        <div class="form-check mb-3">
          <input
            class="form-check-input"
            type="checkbox"
            id="field-remember_me"
            name="remember_me"
            value="y"
          />
          <label class="form-check-label" for="field-remember_me">
            {t('Remember me')}
          </label>
        </div>
      }
      footer={
        <>
          <p>
            {t('New user?')} <a href="/auth/register">{t('Click to Register!')}</a>
          </p>
          <p>
            {t('Forgot your password?')}{' '}
            <a href="/auth/reset_password_request">{t('Click to Reset It')}</a>
          </p>
        </>
      }
    />
  );
}

/** The two fields of a new password. */
function newPasswordFields(t: ReturnType<typeof useT>, label: string) {
  return [
    { name: 'password', label, type: 'password' as const, autocomplete: 'new-password' },
    {
      name: 'password2',
      label: t('Repeat Password'),
      type: 'password' as const,
      autocomplete: 'new-password',
    },
  ];
}

export function RegisterPage(state: PageState) {
  const t = useT();
  return (
    <FormPage
      {...state}
      title={t('Register')}
      action="/auth/register"
      submit={t('Register')}
      fields={[
        { name: 'username', label: t('Username'), autocomplete: 'username', maxLength: 64 },
        {
          name: 'email',
          label: t('Email'),
          type: 'email',
          autocomplete: 'email',
          maxLength: 120,
        },
        ...newPasswordFields(t, t('Password')),
      ]}
    />
  );
}

export function ResetRequestPage(state: PageState) {
  const t = useT();
  return (
    <FormPage
      {...state}
      title={t('Reset Password')}
      action="/auth/reset_password_request"
      submit={t('Request Password Reset')}
      fields={[
        {
          name: 'email',
          label: t('Email'),
          type: 'email',
          autocomplete: 'email',
          maxLength: 120,
        },
      ]}
    />
  );
}

export function ResetPasswordPage({ token, ...state }: PageState & { token: string }) {
  const t = useT();
  return (
    <FormPage
      {...state}
      title={t('Reset Your Password')}
      action={`/auth/reset_password/${encodeURIComponent(token)}`}
      submit={t('Reset Password')}
      fields={newPasswordFields(t, t('New password'))}
    />
  );
}

export function ChangePasswordPage(state: PageState) {
  const t = useT();
  return (
    <FormPage
      {...state}
      title={t('Change Password')}
      action="/auth/change_password"
      submit={t('Change Password')}
      fields={[
        {
          name: 'current_password',
          label: t('Current password'),
          type: 'password',
          autocomplete: 'current-password',
        },
        ...newPasswordFields(t, t('New password')),
      ]}
      footer={
        <p class="text-body-secondary">
          {t('Changing your password signs you out everywhere else.')}
        </p>
      }
    />
  );
}

/** For old links and bookmarks to GET /auth/logout: logging out stays a CSRF-checked POST. */
export function LogoutPage() {
  const t = useT();
  return (
    <FormPage
      title={t('Log out')}
      action="/auth/logout"
      submit={t('Log out')}
      fields={[]}
      footer={
        <p>
          <a href="/index">{t('Stay signed in')}</a>
        </p>
      }
    />
  );
}
