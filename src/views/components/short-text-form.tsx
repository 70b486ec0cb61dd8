import { useT } from '../context.ts';
import { CsrfField } from './csrf-field.tsx';
import { FormField } from './form-field.tsx';

interface ShortTextFormProps {
  action: string;
  name: string;
  label: string;
  value?: string;
  error?: string;
}

/** The one-textarea form that writes a post or a message. */
export function ShortTextForm({ action, name, label, value, error }: ShortTextFormProps) {
  const t = useT();
  return (
    <form method="post" action={action} class="mb-4" novalidate>
      <CsrfField />
      <FormField
        name={name}
        label={label}
        value={value}
        error={error}
        textarea
        // No maxlength: browsers count it in UTF-16 units, so 140 emoji would not fit.
        required
      />
      <button type="submit" class="btn btn-primary">
        {t('Submit')}
      </button>
    </form>
  );
}
