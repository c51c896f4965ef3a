import { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, totpCode } from '@edugraph/identity';
import type { Progress } from './progress.js';

/**
 * Demo content for `npm start`, created through the gateway the way the apps would: the demo
 * instructor authors courses, an ebook and a community; the demo admin approves the courses; prices
 * go through commerce. Idempotent: what already exists (by slug or title) is left alone, so a restart
 * changes nothing.
 */

type GraphqlError = { message: string; extensions?: { code?: string } };

type DemoLesson = { title: string; body: string; preview?: boolean };
type DemoCourse = {
  slug: string;
  title: string;
  summary: string;
  level: 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED';
  category: string;
  tags: string[];
  /** Minor units in USD; absent for a free course. */
  price?: number;
  modules: { title: string; lessons: DemoLesson[] }[];
};

const paragraph = (...sentences: string[]) => `<p>${sentences.join(' ')}</p>`;

export const DEMO_COURSES: DemoCourse[] = [
  {
    slug: 'graphql-federation-in-practice',
    title: 'GraphQL Federation in Practice',
    summary: 'Design subgraphs, compose a supergraph and run it in production.',
    level: 'INTERMEDIATE',
    category: 'Software engineering',
    tags: ['graphql', 'federation', 'apis'],
    price: 4900,
    modules: [
      {
        title: 'Foundations',
        lessons: [
          {
            title: 'Why one graph',
            body: paragraph('One typed graph lets every client ask for exactly what it needs.'),
            preview: true,
          },
          {
            title: 'Entities and keys',
            body: paragraph('An entity is a type several subgraphs contribute to.'),
          },
          { title: 'Composition', body: paragraph('Composition checks that the subgraphs fit together.') },
        ],
      },
      {
        title: 'Running it',
        lessons: [
          { title: 'Query plans', body: paragraph('The gateway plans each operation across subgraphs.') },
          {
            title: 'Subscriptions',
            body: paragraph('Events flow from the owning subgraph to every client.'),
          },
        ],
      },
    ],
  },
  {
    slug: 'teaching-online-that-works',
    title: 'Teaching Online That Works',
    summary: 'Plan a course, keep learners engaged and grade fairly.',
    level: 'BEGINNER',
    category: 'Teaching',
    tags: ['teaching', 'course-design'],
    modules: [
      {
        title: 'Plan',
        lessons: [
          {
            title: 'Outcomes first',
            body: paragraph('Start from what learners will be able to do.'),
            preview: true,
          },
          { title: 'Chunk the content', body: paragraph('Short lessons keep attention and show progress.') },
        ],
      },
      {
        title: 'Engage',
        lessons: [
          {
            title: 'Community prompts',
            body: paragraph('Ask questions that learners answer for each other.'),
          },
          { title: 'Feedback loops', body: paragraph('Quizzes and assignments tell both sides what stuck.') },
        ],
      },
    ],
  },
  {
    slug: 'postgresql-for-application-developers',
    title: 'PostgreSQL for Application Developers',
    summary: 'Schemas, indexes, transactions and the queries your app really runs.',
    level: 'INTERMEDIATE',
    category: 'Software engineering',
    tags: ['postgresql', 'databases', 'sql'],
    price: 3900,
    modules: [
      {
        title: 'Data',
        lessons: [
          {
            title: 'Modelling',
            body: paragraph('Tables follow the questions the product asks.'),
            preview: true,
          },
          { title: 'Constraints', body: paragraph('Let the database refuse what must never happen.') },
        ],
      },
      {
        title: 'Speed',
        lessons: [
          { title: 'Indexes', body: paragraph('An index is a promise about how you will look things up.') },
          { title: 'Reading plans', body: paragraph('EXPLAIN ANALYZE shows where the time goes.') },
        ],
      },
    ],
  },
  {
    slug: 'community-building-101',
    title: 'Community Building 101',
    summary: 'Grow a learning community members want to come back to.',
    level: 'BEGINNER',
    category: 'Community',
    tags: ['community', 'engagement'],
    price: 1900,
    modules: [
      {
        title: 'Start',
        lessons: [
          {
            title: 'Your first ten members',
            body: paragraph('Invite people you can talk to one by one.'),
            preview: true,
          },
          { title: 'Rituals', body: paragraph('Weekly threads and events give a rhythm.') },
        ],
      },
    ],
  },
];

export const DEMO_EBOOK = {
  title: 'The Federated Graph Handbook',
  description: 'A short field guide to designing, composing and operating a federated GraphQL API.',
  price: 1500,
  chapters: [
    {
      title: 'A graph of domains',
      body: paragraph('Each domain owns its types and rules; the graph joins them.'),
    },
    {
      title: 'Keys and references',
      body: paragraph('References carry only keys; the owner resolves the rest.'),
    },
    {
      title: 'Operating the gateway',
      body: paragraph('Plans, limits, caches and traces keep the graph healthy.'),
    },
  ],
};

export const DEMO_COMMUNITY = {
  slug: 'edugraph-learners',
  name: 'Edugraph Learners',
  description: 'Where learners and instructors of the demo courses meet, ask and share.',
  categories: ['learning', 'technology'],
};

class DemoClient {
  constructor(
    private readonly url: string,
    /** First-party tooling: INTERNAL_API_TOKEN lets these free-form documents run under trusted documents. */
    private readonly internalToken?: string,
  ) {}

  async call<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(this.internalToken ? { 'x-internal-token': this.internalToken } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T | null; errors?: GraphqlError[] };
    if (body.errors?.length || !body.data)
      throw new Error(
        `demo content: ${body.errors?.map((e) => e.message).join('; ') ?? response.statusText}`,
      );
    return body.data;
  }

  async signIn(email: string, totpSecret?: string): Promise<string> {
    const attempt = (at: Date) =>
      this.call<{ signIn: { accessToken: string } }>(
        'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
        {
          input: {
            email,
            password: DEMO_PASSWORD,
            ...(totpSecret ? { totpCode: totpCode(totpSecret, at) } : {}),
          },
        },
      );
    try {
      return (await attempt(new Date())).signIn.accessToken;
    } catch (error) {
      if (!totpSecret) throw error;
      // A code is accepted once per 30 s step (replay protection): a quick restart waits for the next one.
      const next = (Math.floor(Date.now() / 30_000) + 1) * 30_000;
      await new Promise((resolve) => setTimeout(resolve, next - Date.now() + 200));
      return (await attempt(new Date())).signIn.accessToken;
    }
  }
}

async function seedCourse(
  client: DemoClient,
  course: DemoCourse,
  instructor: string,
  admin: () => Promise<string>,
): Promise<'created' | 'exists'> {
  const existing = await client.call<{ course: { id: string } | null }>(
    'query($slug: String) { course(slug: $slug) { id } }',
    { slug: course.slug },
    instructor,
  );
  if (existing.course) return 'exists';
  const { createCourse } = await client.call<{ createCourse: { course: { id: string } } }>(
    'mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } } }',
    {
      input: {
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        level: course.level,
        category: course.category,
        tags: course.tags,
        isFree: course.price === undefined,
      },
    },
    instructor,
  );
  const courseId = createCourse.course.id;
  for (const module of course.modules) {
    const { addCourseModule } = await client.call<{ addCourseModule: { module: { id: string } } }>(
      'mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id } } }',
      { input: { courseId, title: module.title } },
      instructor,
    );
    for (const lesson of module.lessons)
      await client.call(
        'mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }',
        {
          input: {
            moduleId: addCourseModule.module.id,
            title: lesson.title,
            contentKind: 'TEXT',
            bodyHtml: lesson.body,
            isPreview: lesson.preview ?? false,
          },
        },
        instructor,
      );
  }
  const courseInput = { input: { courseId } };
  await client.call(
    'mutation($input: CourseIdInput!) { submitCourseForReview(input: $input) { course { id } } }',
    courseInput,
    instructor,
  );
  await client.call(
    'mutation($input: CourseIdInput!) { approveCourse(input: $input) { course { id } } }',
    courseInput,
    await admin(),
  );
  if (course.price !== undefined)
    await setPrice(client, instructor, 'COURSE', courseId, course.title, course.price);
  return 'created';
}

function setPrice(
  client: DemoClient,
  seller: string,
  kind: 'COURSE' | 'EBOOK',
  refId: string,
  title: string,
  amount: number,
): Promise<unknown> {
  return client.call(
    'mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }',
    { input: { kind, refId, title, amount, currency: 'USD' } },
    seller,
  );
}

async function seedEbook(client: DemoClient, instructor: string): Promise<'created' | 'exists'> {
  const { ebooks } = await client.call<{ ebooks: { edges: { node: { title: string } }[] } }>(
    'query { ebooks(first: 100) { edges { node { title } } } }',
  );
  if (ebooks.edges.some((e) => e.node.title === DEMO_EBOOK.title)) return 'exists';
  const { createEbook } = await client.call<{ createEbook: { ebook: { id: string } } }>(
    'mutation($input: CreateEbookInput!) { createEbook(input: $input) { ebook { id } } }',
    { input: { title: DEMO_EBOOK.title, description: DEMO_EBOOK.description, language: 'en' } },
    instructor,
  );
  const ebookId = createEbook.ebook.id;
  for (const chapter of DEMO_EBOOK.chapters)
    await client.call(
      'mutation($input: AddEbookChapterInput!) { addEbookChapter(input: $input) { chapter { id } } }',
      { input: { ebookId, title: chapter.title, bodyHtml: chapter.body } },
      instructor,
    );
  await client.call(
    'mutation($input: EbookIdInput!) { publishEbook(input: $input) { ebook { id } } }',
    { input: { ebookId } },
    instructor,
  );
  await setPrice(client, instructor, 'EBOOK', ebookId, DEMO_EBOOK.title, DEMO_EBOOK.price);
  return 'created';
}

async function seedCommunity(
  client: DemoClient,
  owner: string,
  learner: string,
): Promise<'created' | 'exists'> {
  const existing = await client.call<{ community: { id: string } | null }>(
    'query($slug: String) { community(slug: $slug) { id } }',
    { slug: DEMO_COMMUNITY.slug },
  );
  if (existing.community) return 'exists';
  const { createCommunity } = await client.call<{ createCommunity: { community: { id: string } } }>(
    'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }',
    { input: { ...DEMO_COMMUNITY, visibility: 'PUBLIC' } },
    owner,
  );
  await client.call(
    'mutation($input: JoinCommunityInput!) { joinCommunity(input: $input) { membership { id } } }',
    { input: { communityId: createCommunity.community.id } },
    learner,
  );
  return 'created';
}

/**
 * Creates the demo catalogue, ebook and community through the gateway at `gatewayUrl`. `internalToken`
 * (INTERNAL_API_TOKEN) is needed when the gateway requires trusted documents.
 */
export async function seedDemoContent(
  gatewayUrl: string,
  progress: Progress,
  internalToken?: string,
): Promise<void> {
  const client = new DemoClient(gatewayUrl, internalToken);
  const instructor = await client.signIn('instructor@edugraph.dev');
  // The admin signs in (with a one-time TOTP code) only when a course waits for approval.
  let adminToken: Promise<string> | undefined;
  const admin = () => (adminToken ??= client.signIn('admin@edugraph.dev', DEMO_ADMIN_TOTP_SECRET));
  const learner = await client.signIn('learner@edugraph.dev');
  const total = DEMO_COURSES.length + 2;
  let done = 0;
  const created: string[] = [];
  const note = (what: string, outcome: 'created' | 'exists') => {
    done += 1;
    if (outcome === 'created') created.push(what);
    progress.count('demo content', done, total);
  };
  for (const course of DEMO_COURSES) note(course.title, await seedCourse(client, course, instructor, admin));
  note(DEMO_EBOOK.title, await seedEbook(client, instructor));
  note(DEMO_COMMUNITY.name, await seedCommunity(client, instructor, learner));
  progress.step(
    created.length > 0 ? `demo content created: ${created.join(', ')}` : 'demo content already present',
  );
}
