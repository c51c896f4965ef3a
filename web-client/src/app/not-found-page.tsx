import { Link } from 'react-router';
import { Page } from '../components/index.js';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is nothing at this address. <Link to="/">Browse the catalogue</Link>.
      </p>
    </Page>
  );
}
