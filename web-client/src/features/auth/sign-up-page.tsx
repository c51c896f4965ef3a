import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { safeNext } from '../../app/guards.js';
import { Alert, Button, Page, TextField } from '../../components/index.js';
import { SignUpDocument } from '../../generated/graphql.js';
import { errorCode, errorField, errorMessage } from '../../lib/graphql-errors.js';
import { useEstablishSession } from './use-establish-session.js';

type Field = 'displayName' | 'email' | 'password';

export function SignUpPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const establish = useEstablishSession();
  const [signUp, { loading }] = useMutation(SignUpDocument);
  const [values, setValues] = useState<Record<Field, string>>({ displayName: '', email: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const missing: Partial<Record<Field, string>> = {};
    if (!values.displayName.trim()) missing.displayName = 'Enter the name others will see.';
    if (!/^\S+@\S+\.\S+$/.test(values.email)) missing.email = 'Enter an email address like name@example.com.';
    if (values.password.length < 8) missing.password = 'Use at least 8 characters.';
    setFieldErrors(missing);
    if (Object.keys(missing).length > 0) return;
    try {
      const result = await signUp({
        variables: {
          input: {
            displayName: values.displayName.trim(),
            email: values.email.trim(),
            password: values.password,
          },
        },
      });
      if (!result.data) return;
      establish(result.data.signUp);
      await navigate(safeNext(location.search), { replace: true });
    } catch (failure) {
      const code = errorCode(failure);
      const field = errorField(failure);
      if (code === 'EMAIL_TAKEN') setFieldErrors({ email: 'An account with this email already exists.' });
      else if (field === 'password' || field === 'email' || field === 'displayName')
        setFieldErrors({ [field]: errorMessage(failure) });
      else setError(errorMessage(failure));
    }
  };

  return (
    <Page title="Create your account">
      <form className="eg-form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <Alert tone="error">{error}</Alert> : null}
        <TextField
          label="Name"
          name="displayName"
          autoComplete="name"
          required
          value={values.displayName}
          error={fieldErrors.displayName}
          onChange={set('displayName')}
        />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={values.email}
          error={fieldErrors.email}
          onChange={set('email')}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint="8 to 128 characters. A passphrase of a few words is easy to remember; common passwords are refused."
          value={values.password}
          error={fieldErrors.password}
          onChange={set('password')}
        />
        <div className="eg-form__actions">
          <Button type="submit" busy={loading}>
            Create account
          </Button>
        </div>
      </form>
      <p>
        Already have an account? <Link to={`/sign-in${location.search}`}>Sign in</Link>.
      </p>
    </Page>
  );
}
