/** Where a field's problem is shown: under the field, tied to it with aria-describedby. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function FieldMessage({ path, message }: { path: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="error" id={`${fieldId(path)}-error`} data-field={path}>
      {message}
    </p>
  );
}

/** Props that tie an input to its message. */
export function described(path: string, message?: string) {
  return {
    id: fieldId(path),
    'aria-invalid': message ? true : undefined,
    'aria-describedby': message ? `${fieldId(path)}-error` : undefined,
  } as const;
}

type Problems = Record<string, string | undefined>;

/** An input that shows the problem found at its path (by the page or by the server's 400). */
export function PathInput({
  path,
  problems,
  ...props
}: { path: string; problems: Problems } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <input {...props} {...described(path, problems[path])} />
      <FieldMessage path={path} message={problems[path]} />
    </>
  );
}

/** The same for a select. */
export function PathSelect({
  path,
  problems,
  ...props
}: { path: string; problems: Problems } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <>
      <select {...props} {...described(path, problems[path])} />
      <FieldMessage path={path} message={problems[path]} />
    </>
  );
}
