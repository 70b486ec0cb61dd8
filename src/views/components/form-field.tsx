interface FormFieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string | null;
  error?: string;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  textarea?: boolean;
  /** A choice among these, as a select. */
  options?: { value: string; label: string }[];
}

/** A labelled Bootstrap input that shows its validation message beside it. */
export function FormField({
  name,
  label,
  type = 'text',
  value,
  error,
  textarea,
  options,
  ...rest
}: FormFieldProps) {
  const id = `field-${name}`;
  const invalid = error ? ' is-invalid' : '';
  const describedBy = error ? `${id}-error` : undefined;
  const common = {
    id,
    name,
    class: `form-control${invalid}`,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    required: rest.required,
    maxLength: rest.maxLength,
  };
  return (
    <div class="mb-3">
      <label for={id} class="form-label">
        {label}
      </label>
      {options ? (
        <select {...common} class={`form-select${invalid}`}>
          {options.map((option) => (
            <option
              key={option.value}
              value={option.value}
              selected={option.value === (value ?? '')}
            >
              {option.label}
            </option>
          ))}
        </select>
      ) : textarea ? (
        <textarea {...common} rows={3}>
          {value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          // Preact types each input type separately; the union is the same element.
          type={type as 'text'}
          value={type === 'password' ? '' : (value ?? '')}
          autocomplete={rest.autocomplete}
        />
      )}
      {error && (
        <div id={describedBy} class="invalid-feedback">
          {error}
        </div>
      )}
    </div>
  );
}
