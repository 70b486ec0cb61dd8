import { usePage } from '../context.ts';

/** The hidden token every form posts; see src/plugins/csrf.ts. */
export function CsrfField() {
  return <input type="hidden" name="_csrf" value={usePage().csrfToken} />;
}
