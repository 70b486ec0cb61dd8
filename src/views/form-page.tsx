import type { ComponentChildren } from 'preact';

import { CsrfField } from './components/csrf-field.tsx';
import { FormField } from './components/form-field.tsx';
import { Layout } from './layout.tsx';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  maxLength?: number;
  textarea?: boolean;
  options?: { value: string; label: string }[];
}

export interface FormPageProps {
  title: string;
  action: string;
  fields: FieldSpec[];
  submit: string;
  values?: Record<string, string | null | undefined>;
  /** A message per field, shown beside it. */
  errors?: Record<string, string>;
  /** A message about the whole form, e.g. "Invalid username or password". */
  alert?: string;
  /** Extra controls between the fields and the button (a checkbox, a hidden field). */
  extra?: ComponentChildren;
  /** Content below the form (links to other pages). */
  footer?: ComponentChildren;
}

/** A titled page with one POST form; every form in the app is one of these. */
export function FormPage({
  title,
  action,
  fields,
  submit,
  values = {},
  errors = {},
  alert,
  extra,
  footer,
}: FormPageProps) {
  return (
    <Layout title={title}>
      <h1 class="h3 mb-3">{title}</h1>
      {alert && (
        <div class="alert alert-danger" role="alert">
          {alert}
        </div>
      )}
      <form method="post" action={action} novalidate class="mb-3">
        <CsrfField />
        {fields.map((field) => (
          <FormField
            key={field.name}
            {...field}
            value={values[field.name]}
            error={errors[field.name]}
          />
        ))}
        {extra}
        <button type="submit" class="btn btn-primary">
          {submit}
        </button>
      </form>
      {footer}
    </Layout>
  );
}
