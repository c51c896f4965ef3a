import { useMutation } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { Page } from '../../components/index.js';
import { CreateCommunityDocument } from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { CommunitySettingsForm } from './community-settings-form.js';

/**
 * Creating a community (any signed-in user may; the API caps how many one person owns): the viewer becomes its
 * owner and lands on it.
 */
export function CreateCommunityPage() {
  const navigate = useNavigate();
  const { user } = useSession();
  const [create] = useMutation(CreateCommunityDocument, {
    update: (cache) => {
      // the directory and "Your communities" now include it
      cache.evict({ id: 'ROOT_QUERY', fieldName: 'communities' });
      if (user)
        cache.evict({ id: cache.identify({ __typename: 'User', id: user.id }), fieldName: 'memberships' });
      cache.gc();
    },
  });
  return (
    <Page title="Create a community">
      <CommunitySettingsForm
        label="New community"
        submitLabel="Create community"
        onSubmit={async (values) => {
          const result = await create({
            variables: {
              input: {
                name: values.name,
                slug: values.slug,
                description: values.description,
                visibility: values.visibility,
                joinPolicy: values.joinPolicy,
                postingPolicy: values.postingPolicy,
                categories: values.categories,
              },
            },
          });
          const slug = result.data?.createCommunity.community.slug;
          if (slug) await navigate(`/communities/${slug}`);
        }}
      />
    </Page>
  );
}
