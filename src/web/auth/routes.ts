import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { authenticate, registerUser, updateAccount } from '../../domain/accounts.ts';
import {
  requestPasswordReset,
  resetPassword,
  userForResetToken,
} from '../../domain/password-reset.ts';
import { DomainError } from '../../errors.ts';
import { publicOrigin } from '../../http/origin.ts';
import { msg } from '../../i18n/marker.ts';
import { logIn, logOut, requireLogin, signedIn } from '../../plugins/auth.ts';
import { profilePath } from '../../views/paths.ts';
import { fieldErrorOf, validateForm } from '../forms.ts';
import { safeNext } from '../safe-next.ts';
import {
  ChangePasswordForm,
  LoginForm,
  passwordsMatch,
  RegisterForm,
  ResetPasswordForm,
  ResetRequestForm,
} from './schemas.ts';
import {
  ChangePasswordPage,
  LoginPage,
  LogoutPage,
  RegisterPage,
  ResetPasswordPage,
  ResetRequestPage,
} from './views.tsx';

type Query = { Querystring: { next?: string } };
type Token = { Params: { token: string } };

/** Login, logout, registration, password reset and change: the pages under /auth. */
export async function authRoutes(app: FastifyInstance) {
  const { secretKey } = app.config;
  const redirectIfSignedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.user) return reply.redirect('/index');
  };

  app.get<Query>('/login', { preHandler: redirectIfSignedIn }, (request, reply) =>
    reply.render(h(LoginPage, { next: request.query.next })),
  );

  app.post<Query>(
    '/login',
    { preHandler: [redirectIfSignedIn, app.rateLimits.login] },
    async (request, reply) => {
      const form = validateForm(LoginForm, request.body, request.translator.t);
      const next = request.query.next;
      if (!form.ok) return reply.render(h(LoginPage, { ...form, next }), 400);
      const user = await authenticate(request.em, form.data.username, form.data.password);
      if (!user) {
        const alert = request.translator.t('Invalid username or password');
        return reply.render(
          h(LoginPage, { values: { username: form.data.username }, alert, next }),
          401,
        );
      }
      await logIn(request, user, form.data.remember_me === 'y');
      return reply.redirect(safeNext(next));
    },
  );

  app.get('/logout', async (request, reply) => {
    if (!request.user) return reply.redirect('/index');
    return reply.render(h(LogoutPage, {}));
  });

  app.post('/logout', async (request, reply) => {
    await logOut(request);
    return reply.redirect('/index');
  });

  app.get('/register', { preHandler: redirectIfSignedIn }, (_request, reply) =>
    reply.render(h(RegisterPage, { errors: {} })),
  );

  app.post(
    '/register',
    { preHandler: [redirectIfSignedIn, app.rateLimits.register] },
    async (request, reply) => {
      const form = validateForm(RegisterForm, request.body, request.translator.t);
      const mismatch = form.ok ? passwordsMatch(form.data, request.translator.t) : {};
      if (!form.ok || Object.keys(mismatch).length > 0) {
        const values = form.ok ? form.data : form.values;
        return reply.render(
          h(RegisterPage, { values, errors: form.ok ? mismatch : form.errors }),
          400,
        );
      }
      try {
        await registerUser(request.em, form.data);
      } catch (error) {
        if (!(error instanceof DomainError) || !error.field) throw error;
        return reply.render(
          h(RegisterPage, { values: form.data, errors: fieldErrorOf(error, request.translator.t) }),
          400,
        );
      }
      reply.flash(msg('Congratulations, you are now a registered user!'), 'success');
      return reply.redirect('/auth/login');
    },
  );

  app.get('/reset_password_request', { preHandler: redirectIfSignedIn }, (_request, reply) =>
    reply.render(h(ResetRequestPage, { errors: {} })),
  );

  app.post(
    '/reset_password_request',
    { preHandler: [redirectIfSignedIn, app.rateLimits.password] },
    async (request, reply) => {
      const form = validateForm(ResetRequestForm, request.body, request.translator.t);
      if (!form.ok) return reply.render(h(ResetRequestPage, form), 400);
      // Queued: the answer, and how long it takes, never depend on whether the address
      // has an account, nor on the mail server.
      const link = {
        url: `${publicOrigin(request)}/auth/reset_password/`,
        tokenIn: 'path',
      } as const;
      const { locale } = request.translator;
      await requestPasswordReset(app.jobs, form.data.email, link, locale).catch((error) =>
        request.log.error({ err: error }, 'could not queue a password reset email'),
      );
      reply.flash(msg('Check your email for the instructions to reset your password.'), 'info');
      return reply.redirect('/auth/login');
    },
  );

  const invalidLink = (reply: FastifyReply) => {
    reply.flash(msg('That password reset link is invalid or has expired.'), 'warning');
    return reply.redirect('/auth/reset_password_request');
  };

  app.get<Token>('/reset_password/:token', async (request, reply) => {
    const user = await userForResetToken(request.em, request.params.token, secretKey);
    if (!user) return invalidLink(reply);
    return reply.render(h(ResetPasswordPage, { token: request.params.token }));
  });

  app.post<Token>(
    '/reset_password/:token',
    { preHandler: app.rateLimits.password },
    async (request, reply) => {
      const { token } = request.params;
      const form = validateForm(ResetPasswordForm, request.body, request.translator.t);
      const errors = form.ok ? passwordsMatch(form.data, request.translator.t) : form.errors;
      if (!form.ok || Object.keys(errors).length > 0) {
        if (!(await userForResetToken(request.em, token, secretKey))) return invalidLink(reply);
        return reply.render(h(ResetPasswordPage, { token, errors }), 400);
      }
      const outcome = await resetPassword(request.em, token, form.data.password, secretKey);
      if (outcome === 'invalid-token') return invalidLink(reply);
      if (request.user) await logOut(request);
      reply.flash(msg('Your password has been reset.'), 'success');
      return reply.redirect('/auth/login');
    },
  );

  app.get('/change_password', { preHandler: requireLogin }, (_request, reply) =>
    reply.render(h(ChangePasswordPage, { errors: {} })),
  );

  app.post(
    '/change_password',
    { preHandler: [requireLogin, app.rateLimits.password] },
    async (request, reply) => {
      const user = signedIn(request);
      const form = validateForm(ChangePasswordForm, request.body, request.translator.t);
      const errors = form.ok ? passwordsMatch(form.data, request.translator.t) : form.errors;
      if (!form.ok || Object.keys(errors).length > 0)
        return reply.render(h(ChangePasswordPage, { errors }), 400);
      const outcome = await updateAccount(request.em, user, {
        currentPassword: form.data.current_password,
        newPassword: form.data.password,
        keep: { sessionId: request.session.sessionId },
      });
      if (outcome === 'wrong-password') {
        const wrong = {
          current_password: request.translator.t('Your current password is not correct.'),
        };
        return reply.render(h(ChangePasswordPage, { errors: wrong }), 400);
      }
      // A new id for this session too, in case the old one had leaked.
      await logIn(request, user, false);
      reply.flash(
        msg('Your password has been changed. Other sessions were signed out.'),
        'success',
      );
      return reply.redirect(profilePath(user));
    },
  );
}
