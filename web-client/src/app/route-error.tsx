import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Button, Page } from '../components/index.js';

/** A page that failed to load or render. A missing chunk usually means a new version was deployed: reload. */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const staleChunk =
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed/i.test(error.message);
  return (
    <main id="main" className="eg-main">
      <Page title={notFound ? 'Page not found' : 'Something went wrong'}>
        <p>
          {staleChunk
            ? 'A new version of Edugraph is available.'
            : notFound
              ? 'There is nothing at this address.'
              : 'This page could not be shown.'}
        </p>
        <div className="eg-form__actions">
          <Button onClick={() => window.location.reload()}>Reload</Button>
          <Link to="/">Go to the catalogue</Link>
        </div>
      </Page>
    </main>
  );
}
