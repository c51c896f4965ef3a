import { useQuery } from '@apollo/client/react';
import { useParams } from 'react-router';
import { Alert, Card, Page, Spinner } from '../../components/index.js';
import { CertificateByVerificationIdDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDateTime } from './format.js';

/** A certificate by its public verification id (anyone may check one). */
export function CertificatePage() {
  const { verificationId = '' } = useParams();
  const { data, loading, error } = useQuery(CertificateByVerificationIdDocument, {
    variables: { verificationId },
  });
  if (loading && !data) return <Spinner label="Checking the certificate…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const certificate = data?.certificate;
  if (!certificate)
    return (
      <Page title="Certificate not found">
        <p>No certificate has this verification id.</p>
      </Page>
    );
  return (
    <Page title="Certificate of completion">
      <Card>
        <p className="eg-lead">
          <strong>{certificate.holder.displayName}</strong> completed{' '}
          <strong>{certificate.courseTitle}</strong>.
        </p>
        <dl className="eg-facts">
          <dt>Issued</dt>
          <dd>{formatDateTime(certificate.issuedAt)}</dd>
          <dt>Verification id</dt>
          <dd>
            <code>{certificate.verificationId}</code>
          </dd>
        </dl>
      </Card>
    </Page>
  );
}
