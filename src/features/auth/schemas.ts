import Type from 'typebox';

/** The account fields' rules, shared by registration and profile editing. */
export const USERNAME = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_.-]*$',
  errorMessage: 'Use 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter.',
});
export const EMAIL = Type.String({ format: 'email', maxLength: 120 });
export const NEW_PASSWORD = Type.String({
  minLength: 8,
  maxLength: 256,
  errorMessage: 'Use 8 to 256 characters.',
});
/** The JSON API keeps microblog-api's shorter minimum, which its clients are built for. */
export const API_PASSWORD = Type.String({
  minLength: 3,
  maxLength: 256,
  errorMessage: 'Use 3 to 256 characters.',
});
const ANY_PASSWORD = Type.String({ minLength: 1, maxLength: 256 });

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

/** `password2` must repeat `password`; returns the field errors to add. */
export function passwordsMatch(form: {
  password: string;
  password2: string;
}): Record<string, string> {
  return form.password === form.password2 ? {} : { password2: 'Passwords must match.' };
}
