import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { api, ApiError } from '../api/client';
import type { Session } from '../api/types';

function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401)
      return 'That token was refused: it is neither an admin nor a client token of this service.';
    if (error.status === 429) return `Too many failed attempts from this address. ${error.message}`;
    return `The service answered ${error.status}: ${error.message}`;
  }
  return 'The service cannot be reached. Check that it is running.';
}

export function SignInPage({
  notice,
  onSignedIn,
}: {
  notice?: string;
  onSignedIn: (token: string, session: Session) => void;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <main className="signin" id="main">
      <h1>edgeflags console</h1>
      <p>
        Sign in with an admin token to change flags, or a client token to look around (read-only).
        The token stays in this tab only.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          api.session(token.trim()).then(
            (session) => onSignedIn(token.trim(), session),
            (e: unknown) => {
              setError(explain(e));
              setBusy(false);
            },
          );
        }}
        validationErrors={error ? { token: error } : undefined}
      >
        <TextField
          name="token"
          type="password"
          isRequired
          autoFocus
          value={token}
          onChange={(value) => {
            setToken(value);
            setError(null);
          }}
          className="field"
        >
          <Label>Token</Label>
          <Input autoComplete="off" spellCheck={false} />
          <FieldError className="error" />
        </TextField>
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
    </main>
  );
}
