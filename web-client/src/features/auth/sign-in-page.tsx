import { useMutation } from '@apollo/client/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { safeNext } from '../../app/guards.js';
import { Alert, Button, Page, TextField } from '../../components/index.js';
import { SignInDocument } from '../../generated/graphql.js';
import { errorCode, errorMessage } from '../../lib/graphql-errors.js';
import { useEstablishSession } from './use-establish-session.js';

/**
 * Email and password, then — when identity answers TWO_FACTOR_REQUIRED — a second step for the authenticator
 * (or a recovery) code. The password stays in this component's memory between the two steps only.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const establish = useEstablishSession();
  const [signIn, { loading }] = useMutation(SignInDocument);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const signedOut = (location.state as { signedOut?: boolean } | null)?.signedOut === true;

  // the code field appears with the 'code' step; focus it once it is in the DOM
  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCodeError(null);
    try {
      const result = await signIn({
        variables: { input: { email, password, ...(step === 'code' ? { totpCode: code.trim() } : {}) } },
      });
      if (!result.data) return;
      establish(result.data.signIn);
      setPassword('');
      // ADMIN/FINANCE without two-factor: this session lacks those roles until they enrol, so go there first.
      if (result.data.signIn.twoFactorEnrollmentRequired)
        await navigate('/account/security', { replace: true, state: { enrollmentRequired: true } });
      else await navigate(safeNext(location.search), { replace: true });
    } catch (failure) {
      const failureCode = errorCode(failure);
      if (failureCode === 'TWO_FACTOR_REQUIRED') {
        setStep('code');
      } else if (failureCode === 'INVALID_CODE') {
        setCodeError('That code is not valid. Enter the current code from your authenticator app.');
        codeRef.current?.focus();
      } else if (failureCode === 'INVALID_CREDENTIALS') {
        setStep('password');
        setError('The email or password is incorrect.');
      } else {
        setError(errorMessage(failure));
      }
    }
  };

  return (
    <Page title="Sign in">
      {signedOut ? <Alert tone="success">You are signed out.</Alert> : null}
      <form className="eg-form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {step === 'password' ? (
          <>
            <TextField
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : (
          <>
            <p>Two-factor authentication is on for {email}.</p>
            <TextField
              ref={codeRef}
              label="Authentication code"
              name="totpCode"
              inputMode="numeric"
              autoComplete="one-time-code"
              hint="The 6-digit code from your authenticator app, or one of your recovery codes."
              required
              value={code}
              error={codeError}
              onChange={(e) => setCode(e.target.value)}
            />
          </>
        )}
        <div className="eg-form__actions">
          <Button type="submit" busy={loading}>
            {step === 'code' ? 'Verify and sign in' : 'Sign in'}
          </Button>
          {step === 'code' ? (
            <Button
              variant="link"
              onClick={() => {
                setStep('password');
                setCode('');
                setCodeError(null);
              }}
            >
              Use a different account
            </Button>
          ) : null}
        </div>
      </form>
      <p>
        New here? <Link to={`/sign-up${location.search}`}>Create an account</Link>.
      </p>
    </Page>
  );
}
