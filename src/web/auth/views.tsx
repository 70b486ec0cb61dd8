import { FormPage, type FormPageProps } from '../../views/form-page.tsx';

type PageState = Pick<FormPageProps, 'values' | 'errors' | 'alert'>;

export function LoginPage({ next, ...state }: PageState & { next?: string }) {
  return (
    <FormPage
      {...state}
      title="Sign In"
      action={next ? `/auth/login?next=${encodeURIComponent(next)}` : '/auth/login'}
      submit="Sign In"
      fields={[
        { name: 'username', label: 'Username or email', autocomplete: 'username', maxLength: 120 },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
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
            Remember me
          </label>
        </div>
      }
      footer={
        <>
          <p>
            New user? <a href="/auth/register">Click to Register!</a>
          </p>
          <p>
            Forgot your password? <a href="/auth/reset_password_request">Click to Reset It</a>
          </p>
        </>
      }
    />
  );
}

export function RegisterPage(state: PageState) {
  return (
    <FormPage
      {...state}
      title="Register"
      action="/auth/register"
      submit="Register"
      fields={[
        { name: 'username', label: 'Username', autocomplete: 'username', maxLength: 64 },
        { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', maxLength: 120 },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
        {
          name: 'password2',
          label: 'Repeat Password',
          type: 'password',
          autocomplete: 'new-password',
        },
      ]}
    />
  );
}

export function ResetRequestPage(state: PageState) {
  return (
    <FormPage
      {...state}
      title="Reset Password"
      action="/auth/reset_password_request"
      submit="Request Password Reset"
      fields={[
        { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', maxLength: 120 },
      ]}
    />
  );
}

export function ResetPasswordPage({ token, ...state }: PageState & { token: string }) {
  return (
    <FormPage
      {...state}
      title="Reset Your Password"
      action={`/auth/reset_password/${encodeURIComponent(token)}`}
      submit="Reset Password"
      fields={[
        { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
        {
          name: 'password2',
          label: 'Repeat Password',
          type: 'password',
          autocomplete: 'new-password',
        },
      ]}
    />
  );
}

export function ChangePasswordPage(state: PageState) {
  return (
    <FormPage
      {...state}
      title="Change Password"
      action="/auth/change_password"
      submit="Change Password"
      fields={[
        {
          name: 'current_password',
          label: 'Current password',
          type: 'password',
          autocomplete: 'current-password',
        },
        { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
        {
          name: 'password2',
          label: 'Repeat Password',
          type: 'password',
          autocomplete: 'new-password',
        },
      ]}
      footer={
        <p class="text-body-secondary">Changing your password signs you out everywhere else.</p>
      }
    />
  );
}

/** For old links and bookmarks to GET /auth/logout: logging out stays a CSRF-checked POST. */
export function LogoutPage() {
  return (
    <FormPage
      title="Log out"
      action="/auth/logout"
      submit="Log out"
      fields={[]}
      footer={
        <p>
          <a href="/index">Stay signed in</a>
        </p>
      }
    />
  );
}
