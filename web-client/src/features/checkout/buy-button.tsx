import { useMutation } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { Alert, Button } from '../../components/index.js';
import { AddToCartDocument, MyCartDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';

/** "Buy": puts the product in the viewer's cart and opens the checkout. */
export function BuyButton({ productId, label = 'Buy' }: { productId: string; label?: string }) {
  const navigate = useNavigate();
  const [addToCart, { loading, error }] = useMutation(AddToCartDocument, {
    refetchQueries: [{ query: MyCartDocument }],
  });
  return (
    <>
      <Button
        busy={loading}
        onClick={() =>
          void addToCart({ variables: { input: { productId, quantity: 1 } } })
            .then(() => navigate('/checkout'))
            .catch(() => undefined)
        }
      >
        {label}
      </Button>
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
    </>
  );
}
