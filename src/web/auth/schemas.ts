import Type from 'typebox';
import { ANY_PASSWORD, EMAIL, NEW_PASSWORD, USERNAME } from '../../domain/rules.ts';
import type { Translate } from '../../errors.ts';

/** The web's account forms; the field rules are the domain's (src/domain/rules.ts). */

export const RegisterForm = Type.Object({
  username: USERNAME,
  email: EMAIL,
  password: NEW_PASSWORD,
  password2: Type.String({ maxLength: 256 }),
});

export const LoginForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 120 }),
  password: ANY_PASSWORD,
  remember_me: Type.Optional(Type.String({ maxLength: 10 })),
});

export const ResetRequestForm = Type.Object({ email: EMAIL });

export const ResetPasswordForm = Type.Object({
  password: NEW_PASSWORD,
  password2: Type.String({ maxLength: 256 }),
});

export const ChangePasswordForm = Type.Object({
  current_password: ANY_PASSWORD,
  password: NEW_PASSWORD,
  password2: Type.String({ maxLength: 256 }),
});

/** `password2` must repeat `password`; returns the field errors to add, in the page's words. */
export function passwordsMatch(
  form: { password: string; password2: string },
  t: Translate,
): Record<string, string> {
  return form.password === form.password2 ? {} : { password2: t('Passwords must match.') };
}
