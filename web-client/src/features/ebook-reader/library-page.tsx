import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Alert, Button, Card, Page, Spinner } from '../../components/index.js';
import { AddEbookToLibraryDocument, MyLibraryDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatMoney } from '../catalogue/format.js';
import { BuyButton } from '../checkout/buy-button.js';

/** The viewer's ebook library (with reading progress), and the published ebooks they can add or buy. */
export function LibraryPage() {
  const { data, loading, error } = useQuery(MyLibraryDocument, { fetchPolicy: 'cache-and-network' });
  const [addFree, adding] = useMutation(AddEbookToLibraryDocument, {
    refetchQueries: [{ query: MyLibraryDocument }],
  });
  if (loading && !data) return <Spinner label="Loading your library…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const owned = data?.viewer?.library?.edges.map((edge) => edge.node) ?? [];
  const others = (data?.ebooks.edges.map((edge) => edge.node) ?? []).filter((ebook) => !ebook.viewerOwns);
  return (
    <Page title="Library" heading="Your library">
      {owned.length === 0 ? <p>Your library is empty.</p> : null}
      <ul className="eg-list eg-grid" aria-label="Your ebooks">
        {owned.map((ebook) => (
          <Card as="li" key={ebook.id}>
            <h2>
              <Link to={`/library/${ebook.id}`}>{ebook.title}</Link>
            </h2>
            <p className="eg-muted">by {ebook.author.displayName}</p>
            <p>{ebook.viewerProgress ? `${ebook.viewerProgress.percent}% read` : 'Not started'}</p>
          </Card>
        ))}
      </ul>
      {others.length > 0 ? (
        <section aria-labelledby="library-store" className="eg-section">
          <h2 id="library-store">More ebooks</h2>
          <ul className="eg-list eg-grid" aria-label="More ebooks">
            {others.map((ebook) => (
              <Card as="li" key={ebook.id}>
                <h3>{ebook.title}</h3>
                <p className="eg-muted">by {ebook.author.displayName}</p>
                <p>{ebook.description}</p>
                {ebook.isFree ? (
                  <Button
                    variant="secondary"
                    busy={adding.loading}
                    aria-label={`Add ${ebook.title} to your library`}
                    onClick={() =>
                      void addFree({ variables: { input: { ebookId: ebook.id } } }).catch(() => undefined)
                    }
                  >
                    Add to library
                  </Button>
                ) : ebook.product && ebook.price ? (
                  <BuyButton
                    productId={ebook.product.id}
                    label={`Buy ${ebook.title} for ${formatMoney(ebook.price.amount, ebook.price.currency)}`}
                  />
                ) : (
                  <p className="eg-muted">Not for sale yet.</p>
                )}
              </Card>
            ))}
          </ul>
        </section>
      ) : null}
      {adding.error ? <Alert tone="error">{errorMessage(adding.error)}</Alert> : null}
    </Page>
  );
}
