import { useForm } from './form-context.ts';

/** The problems about one field, under it. */
export function FieldErrors({ path }: { path: string }) {
  const messages = useForm().errorsAt(path);
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" data-testid={`field-error-${path}`}>
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}
