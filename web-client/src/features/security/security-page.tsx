import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useLocation } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  AccountSecurityDocument,
  BeginTwoFactorEnrollmentDocument,
  ConfirmTwoFactorEnrollmentDocument,
  DisableTwoFactorDocument,
  RegenerateRecoveryCodesDocument,
  type BeginTwoFactorEnrollmentMutation,
} from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { errorCode, errorMessage } from '../../lib/graphql-errors.js';
import { QrCode } from './qr-code.js';
import { groupSecret, normaliseCode, recoveryCodesText, twoFactorRoleNames } from './two-factor.js';
import './security.css';

type Enrollment = BeginTwoFactorEnrollmentMutation['beginTwoFactorEnrollment'];

/** Where the page is: the overview, or one step of enrolling / replacing recovery codes. */
type Step =
  | { kind: 'overview' }
  | { kind: 'scan'; enrollment: Enrollment }
  | { kind: 'recoveryCreate' }
  | { kind: 'recoveryShow'; codes: string[] };

const INVALID_CODE =
  'That code is not valid. Enter the current 6-digit code from your authenticator app; each code works only once.';
const NOT_SIX_DIGITS = 'Enter the 6-digit code from your authenticator app.';

type CodeInput = {
  value: string;
  setValue: (value: string) => void;
  error: string | null;
  setError: (error: string | null) => void;
  ref: RefObject<HTMLInputElement | null>;
  /** The typed code, or null after showing (and focusing) why it cannot be sent. */
  read: () => string | null;
  reset: () => void;
};

/** The state of one code field (each form has its own, so two forms never share what was typed). */
function useCodeInput(): CodeInput {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  return {
    value,
    setValue,
    error,
    setError,
    ref,
    read: () => {
      setError(null);
      const normalised = normaliseCode(value);
      if (!normalised) {
        setError(NOT_SIX_DIGITS);
        ref.current?.focus();
      }
      return normalised;
    },
    reset: () => {
      setValue('');
      setError(null);
    },
  };
}

/** A 6-digit authenticator code field: numeric keypad, one-time-code autofill, errors tied to the field. */
function CodeField({ input, label, hint }: { input: CodeInput; label: string; hint: string }) {
  return (
    <TextField
      ref={input.ref}
      label={label}
      hint={hint}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      required
      className="eg-security__code"
      value={input.value}
      error={input.error}
      onChange={(event) => input.setValue(event.target.value)}
    />
  );
}

/** A step's heading, focused when the step appears so keyboard and screen-reader users start there. */
function StepHeading({
  headingRef,
  children,
}: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  children: ReactNode;
}) {
  return (
    <h2 ref={headingRef} tabIndex={-1} className="eg-security__step-heading">
      {children}
    </h2>
  );
}

/**
 * Account security: turn two-factor (TOTP) on — QR code and setup key, a code to confirm, then recovery codes
 * shown once — and off again (with a code; not for ADMIN/FINANCE). Identity decides; its typed errors
 * (`INVALID_CODE`, `TWO_FACTOR_NOT_ENABLED`, `TWO_FACTOR_ALREADY_ENABLED`, `FORBIDDEN`) become messages here.
 */
export function SecurityPage() {
  const { manager } = useSession();
  const location = useLocation();
  const {
    data,
    loading,
    error: loadError,
    refetch,
  } = useQuery(AccountSecurityDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [begin, beginState] = useMutation(BeginTwoFactorEnrollmentDocument);
  const [confirm, confirmState] = useMutation(ConfirmTwoFactorEnrollmentDocument);
  const [regenerate, regenerateState] = useMutation(RegenerateRecoveryCodesDocument);
  const [disable, disableState] = useMutation(DisableTwoFactorDocument);

  const [step, setStep] = useState<Step>({ kind: 'overview' });
  const stepCode = useCodeInput();
  const offCode = useCodeInput();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [saved, setSaved] = useState(false);

  const statusRef = useRef<HTMLHeadingElement>(null);
  const stepRef = useRef<HTMLHeadingElement>(null);
  const focusAfterRender = useRef<'status' | 'step' | null>(null);
  const savedId = useId();

  // Focus moves to the new step's heading (or back to the status) once it is in the DOM.
  useEffect(() => {
    const target = focusAfterRender.current;
    focusAfterRender.current = null;
    if (target === 'status') statusRef.current?.focus();
    if (target === 'step') stepRef.current?.focus();
  }, [step]);

  const viewer = data?.viewer ?? null;
  const enabled = viewer?.twoFactorEnabled === true;
  const requiredBy = twoFactorRoleNames(viewer?.roles ?? []);
  const arrivedRequired = (location.state as { enrollmentRequired?: boolean } | null)?.enrollmentRequired;

  const goTo = (next: Step, focus: 'status' | 'step') => {
    focusAfterRender.current = focus;
    stepCode.reset();
    offCode.reset();
    setSaved(false);
    setStep(next);
  };

  /** A failed mutation: an error on the code field for a wrong code, an alert otherwise. */
  const fail = (failure: unknown, input: CodeInput | null) => {
    const failureCode = errorCode(failure);
    if (failureCode === 'INVALID_CODE' && input) {
      input.setError(INVALID_CODE);
      input.ref.current?.focus();
      return;
    }
    if (failureCode === 'TWO_FACTOR_ALREADY_ENABLED') {
      setError('Two-factor authentication is already on for your account.');
      void refetch();
      goTo({ kind: 'overview' }, 'status');
      return;
    }
    if (failureCode === 'TWO_FACTOR_NOT_ENABLED') {
      setError(
        step.kind === 'scan'
          ? 'This setup is no longer pending (it may have been restarted elsewhere). Start again.'
          : 'Two-factor authentication is not on for your account.',
      );
      void refetch();
      goTo({ kind: 'overview' }, 'status');
      return;
    }
    setError(errorMessage(failure));
  };

  /** The code typed into `input`, or null (the field says why). Clears the previous messages. */
  const typedCode = (input: CodeInput): string | null => {
    setError(null);
    setNotice('');
    return input.read();
  };

  const startEnrollment = async () => {
    setError(null);
    setNotice('');
    try {
      const result = await begin();
      if (result.data) goTo({ kind: 'scan', enrollment: result.data.beginTwoFactorEnrollment }, 'step');
    } catch (failure) {
      fail(failure, null);
    }
  };

  const confirmEnrollment = async (event: FormEvent) => {
    event.preventDefault();
    const value = typedCode(stepCode);
    if (!value) return;
    try {
      await confirm({ variables: { input: { code: value } } });
    } catch (failure) {
      fail(failure, stepCode);
      return;
    }
    // This session is now second-factor verified: a refreshed access token carries the ADMIN/FINANCE roles.
    if (requiredBy.length > 0 && manager.getState().status === 'signedIn') await manager.refresh();
    await refetch().catch(() => undefined);
    setNotice('Two-factor authentication is on.');
    goTo({ kind: 'recoveryCreate' }, 'step');
  };

  const createRecoveryCodes = async (event: FormEvent) => {
    event.preventDefault();
    const value = typedCode(stepCode);
    if (!value) return;
    try {
      const result = await regenerate({ variables: { input: { code: value } } });
      if (!result.data) return;
      goTo({ kind: 'recoveryShow', codes: result.data.regenerateRecoveryCodes }, 'step');
    } catch (failure) {
      fail(failure, stepCode);
    }
  };

  const turnOff = async (event: FormEvent) => {
    event.preventDefault();
    const value = typedCode(offCode);
    if (!value) return;
    try {
      await disable({ variables: { input: { code: value } } });
    } catch (failure) {
      fail(failure, offCode);
      return;
    }
    await refetch().catch(() => undefined);
    setNotice('Two-factor authentication is off. Your recovery codes no longer work.');
    goTo({ kind: 'overview' }, 'status');
  };

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNotice(`${what} copied.`);
    } catch {
      setNotice(`Could not copy the ${what.toLowerCase()}: select the text and copy it instead.`);
    }
  };

  const cancel = () => {
    setError(null);
    goTo({ kind: 'overview' }, 'status');
  };

  const codeHint = (fresh: boolean) =>
    fresh
      ? 'Wait until your app shows a new code (they change every 30 seconds): the one you just used cannot be used again.'
      : 'The 6-digit code your authenticator app shows now.';

  let body: ReactNode = null;
  if (step.kind === 'scan') {
    const { secret, otpauthUri } = step.enrollment;
    body = (
      <Card className="eg-security__step">
        <StepHeading headingRef={stepRef}>Step 1 of 2: add Edugraph to your authenticator app</StepHeading>
        <p>
          Scan this QR code with an authenticator app (for example Aegis, Google Authenticator, 1Password or
          Microsoft Authenticator).
        </p>
        <div className="eg-security__enrol">
          <QrCode value={otpauthUri} label="QR code to add your Edugraph account to an authenticator app" />
          <div>
            <h3>Can’t scan it?</h3>
            <p>Enter this setup key in the app instead (time-based, 6 digits):</p>
            <p>
              <code className="eg-security__secret">{groupSecret(secret)}</code>
            </p>
            <div className="eg-form__actions">
              <Button variant="secondary" onClick={() => void copy(secret, 'Setup key')}>
                Copy setup key
              </Button>
              <a href={otpauthUri}>Open in an authenticator app on this device</a>
            </div>
          </div>
        </div>
        <form className="eg-form" onSubmit={(e) => void confirmEnrollment(e)} noValidate>
          <h3>Step 2 of 2: enter the code</h3>
          <CodeField input={stepCode} label="Authentication code" hint={codeHint(false)} />
          <div className="eg-form__actions">
            <Button type="submit" busy={confirmState.loading}>
              Verify and turn on
            </Button>
            <Button variant="link" onClick={cancel}>
              Cancel
            </Button>
          </div>
        </form>
      </Card>
    );
  } else if (step.kind === 'recoveryCreate') {
    body = (
      <Card className="eg-security__step">
        <StepHeading headingRef={stepRef}>Create your recovery codes</StepHeading>
        <p>
          Recovery codes let you sign in if you lose your phone: each one works once, instead of an
          authenticator code. You will see them only once.
        </p>
        <form className="eg-form" onSubmit={(e) => void createRecoveryCodes(e)} noValidate>
          <CodeField input={stepCode} label="New authentication code" hint={codeHint(true)} />
          <div className="eg-form__actions">
            <Button type="submit" busy={regenerateState.loading}>
              Create recovery codes
            </Button>
            <Button variant="link" onClick={cancel}>
              Skip for now
            </Button>
          </div>
        </form>
      </Card>
    );
  } else if (step.kind === 'recoveryShow') {
    const text = recoveryCodesText(step.codes, viewer?.email ?? viewer?.displayName ?? '', new Date());
    body = (
      <Card className="eg-security__step">
        <StepHeading headingRef={stepRef}>Save your recovery codes</StepHeading>
        <p>
          Keep these codes somewhere safe, such as a password manager.{' '}
          <strong>They are shown only now.</strong> Each works once; any earlier codes no longer work.
        </p>
        <ol className="eg-security__codes" aria-label="Recovery codes">
          {step.codes.map((recoveryCode) => (
            <li key={recoveryCode}>
              <code>{recoveryCode}</code>
            </li>
          ))}
        </ol>
        <div className="eg-form__actions">
          <Button variant="secondary" onClick={() => void copy(step.codes.join('\n'), 'Recovery codes')}>
            Copy codes
          </Button>
          <a
            className="eg-button eg-button--secondary"
            href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
            download="edugraph-recovery-codes.txt"
          >
            Download codes (.txt)
          </a>
        </div>
        <div className="eg-security__ack">
          <input
            id={savedId}
            type="checkbox"
            checked={saved}
            onChange={(event) => setSaved(event.target.checked)}
          />
          <label htmlFor={savedId}>I have saved my recovery codes somewhere safe</label>
        </div>
        <Button
          disabled={!saved}
          onClick={() => {
            setNotice('Your recovery codes are saved. Two-factor authentication is on.');
            goTo({ kind: 'overview' }, 'status');
          }}
        >
          Done
        </Button>
      </Card>
    );
  } else if (viewer) {
    body = enabled ? (
      <>
        <Card className="eg-security__step">
          <h2>Recovery codes</h2>
          <p>
            Lost your codes, or used most of them? Replace them with 10 new ones (the old ones stop working).
          </p>
          <form className="eg-form" onSubmit={(e) => void createRecoveryCodes(e)} noValidate>
            <CodeField input={stepCode} label="Authentication code" hint={codeHint(false)} />
            <div className="eg-form__actions">
              <Button type="submit" variant="secondary" busy={regenerateState.loading}>
                Replace recovery codes
              </Button>
            </div>
          </form>
        </Card>
        <Card className="eg-security__step">
          <h2>Turn off two-factor authentication</h2>
          {requiredBy.length > 0 ? (
            <p>
              Your {requiredBy.join(' and ')} role requires two-factor authentication, so it cannot be turned
              off. If you lost your device, ask another administrator to reset it.
            </p>
          ) : (
            <form className="eg-form" onSubmit={(e) => void turnOff(e)} noValidate>
              <p>Signing in will need only your password again, and your recovery codes will stop working.</p>
              <CodeField input={offCode} label="Code to turn off two-factor" hint={codeHint(false)} />
              <div className="eg-form__actions">
                <Button type="submit" variant="danger" busy={disableState.loading}>
                  Turn off two-factor
                </Button>
              </div>
            </form>
          )}
        </Card>
      </>
    ) : (
      <Card className="eg-security__step">
        <h2>Protect your account with a second step</h2>
        <p>
          With two-factor authentication on, signing in needs your password and a code from an authenticator
          app on your phone, so a stolen password alone is not enough.
        </p>
        <Button onClick={() => void startEnrollment()} busy={beginState.loading}>
          Set up two-factor authentication
        </Button>
      </Card>
    );
  }

  return (
    <Page title="Account security" heading="Account security">
      <section aria-labelledby={`${savedId}-status`} className="eg-security__status">
        <h2 id={`${savedId}-status`} ref={statusRef} tabIndex={-1}>
          Two-factor authentication
        </h2>
        {viewer ? (
          <p>
            Status: <strong>{enabled ? 'On' : 'Off'}</strong>
            {enabled ? ' — signing in needs a code from your authenticator app.' : null}
          </p>
        ) : null}
      </section>
      {viewer && !enabled && requiredBy.length > 0 ? (
        <Alert tone="info">
          {arrivedRequired ? 'You are signed in with limited access. ' : null}
          Your {requiredBy.join(' and ')} role requires two-factor authentication: until you turn it on, you
          are signed in without {requiredBy.length > 1 ? 'those roles' : 'that role'}.
        </Alert>
      ) : null}
      <div role="status" className={notice ? 'eg-alert eg-alert--success' : 'eg-security__live'}>
        {notice}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {loadError && !viewer ? <Alert tone="error">{errorMessage(loadError)}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {body}
    </Page>
  );
}
