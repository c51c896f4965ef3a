import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp, startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';
import { eventually, makeAdmin, ok, pdf, sql, withRoles } from '../src/harness/actors.js';

let platform: TestPlatform;
let storageDir: string;

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-e2e-learning-'));
  platform = await startTestPlatform({ MEDIA_STORAGE_DIR: storageDir });
});

afterAll(async () => {
  await platform?.close();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

const LESSON = `query($id: ID!) { lesson(id: $id) { title access { state } body asset { id status url } } }`;

describe('learning through the gateway', () => {
  it('authoring, admin approval, purchase through commerce, access to lessons and lesson assets, progress to a certificate', async () => {
    const teacher = await withRoles(platform, 'ines.learning@example.com', 'Ines Instructor', [
      'LEARNER',
      'INSTRUCTOR',
    ]);
    const admin = await makeAdmin(platform, 'ada.learning@example.com');

    // Authoring: a course with a text lesson and a PDF lesson whose asset is RESTRICTED to learning's rule.
    const { createCourse } = await ok<{ createCourse: { course: { id: string; slug: string } } }>(
      platform,
      `mutation { createCourse(input: { title: "Federated GraphQL", summary: "Subgraphs end to end" }) { course { id slug } } }`,
      {},
      teacher.token,
    );
    const courseId = createCourse.course.id;
    const { addCourseModule } = await ok<{ addCourseModule: { module: { id: string } } }>(
      platform,
      `mutation($id: ID!) { addCourseModule(input: { courseId: $id, title: "Basics" }) { module { id } } }`,
      { id: courseId },
      teacher.token,
    );
    const addLesson = async (title: string) =>
      (
        await ok<{ addLesson: { lesson: { id: string } } }>(
          platform,
          `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`,
          {
            input: {
              moduleId: addCourseModule.module.id,
              title,
              contentKind: 'TEXT',
              bodyHtml: `<p>${title}</p><script>x</script>`,
            },
          },
          teacher.token,
        )
      ).addLesson.lesson.id;
    const intro = await addLesson('Intro');
    const slides = await addLesson('Slides');
    const bytes = pdf('lesson slides');
    const requested = await ok<{
      requestUpload: {
        asset: { id: string };
        upload: { url: string; headers: { name: string; value: string }[] };
      };
    }>(
      platform,
      `mutation($input: RequestUploadInput!) { requestUpload(input: $input) { asset { id } upload { url headers { name value } } } }`,
      {
        input: {
          kind: 'DOCUMENT',
          fileName: 'slides.pdf',
          mimeType: 'application/pdf',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          visibility: 'RESTRICTED',
          ownerDomain: 'learning',
          subjectRef: `Lesson:${slides}`,
        },
      },
      teacher.token,
    );
    const assetId = requested.requestUpload.asset.id;
    const put = await fetch(requested.requestUpload.upload.url, {
      method: 'PUT',
      headers: Object.fromEntries(requested.requestUpload.upload.headers.map((h) => [h.name, h.value])),
      body: bytes,
    });
    expect(put.status).toBe(200);
    await ok(
      platform,
      `mutation($id: ID!) { completeUpload(input: { assetId: $id }) { asset { id } } }`,
      { id: assetId },
      teacher.token,
    );
    await ok(
      platform,
      `mutation($input: UpdateLessonInput!) { updateLesson(input: $input) { lesson { id } } }`,
      { input: { lessonId: slides, contentKind: 'PDF', assetId, bodyHtml: null } },
      teacher.token,
    );

    // Review: the instructor submits, only an admin approves.
    await ok(
      platform,
      `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { status } } }`,
      { id: courseId },
      teacher.token,
    );
    const selfApproval = await platform.graphql(
      `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { status } } }`,
      { id: courseId },
      bearer(teacher.token),
    );
    expect(selfApproval.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await ok(
      platform,
      `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { status } } }`,
      { id: courseId },
      admin.token,
    );

    // Commerce prices it; the catalogue shows the course with its instructor (identity) and price (commerce).
    const priced = await ok<{ setProductPrice: { product: { id: string } } }>(
      platform,
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
      {
        input: {
          kind: 'COURSE',
          refId: courseId,
          title: 'Federated GraphQL',
          amount: 4_900,
          currency: 'EUR',
        },
      },
      teacher.token,
    );
    const catalogue = await ok<{ course: Record<string, unknown> }>(
      platform,
      `query($slug: String!) { course(slug: $slug) { id title lessonCount instructor { displayName } price { amount currency } } }`,
      { slug: createCourse.course.slug },
    );
    expect(catalogue.course).toEqual({
      id: courseId,
      title: 'Federated GraphQL',
      lessonCount: 2,
      instructor: { displayName: 'Ines Instructor' },
      price: { amount: 4_900, currency: 'EUR' },
    });

    // Before buying: the outline is visible, the content and the asset are not.
    const learner = await signUp(platform, 'lea.learning@example.com', 'Lea Learner');
    const denied = await platform.graphql(LESSON, { id: slides }, bearer(learner.accessToken));
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const deniedAsset = await platform.graphql(
      `query($id: ID!) { asset(id: $id) { url } }`,
      { id: assetId },
      bearer(learner.accessToken),
    );
    expect(deniedAsset.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Buying: order.paid reaches learning through the outbox and the inbox, and enrolls the learner.
    await ok(
      platform,
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      { input: { productId: priced.setProductPrice.product.id } },
      learner.accessToken,
    );
    const checkout = await ok<{ checkout: { order: { id: string; status: string } } }>(
      platform,
      `mutation { checkout(input: { billingCountry: "NL", paymentMethod: "4242424242424242" }) { order { id status } } }`,
      {},
      learner.accessToken,
    );
    expect(checkout.checkout.order.status).toBe('PAID');
    const enrolled = await eventually(
      () =>
        ok<{
          viewer: {
            enrollments: {
              edges: {
                node: { status: string; source: string; orderId: string; course: { title: string } };
              }[];
            };
          };
        }>(
          platform,
          `{ viewer { enrollments { edges { node { status source orderId course { title } } } } } }`,
          {},
          learner.accessToken,
        ),
      (data) => data.viewer.enrollments.edges.length > 0,
    );
    expect(enrolled.viewer.enrollments.edges.map((e) => e.node)).toEqual([
      {
        status: 'ACTIVE',
        source: 'PURCHASE',
        orderId: checkout.checkout.order.id,
        course: { title: 'Federated GraphQL' },
      },
    ]);
    const teaching = await ok<{
      user: { teaching: { edges: { node: { id: string } }[] }; enrollments: unknown };
    }>(
      platform,
      `query($id: ID!) { user(id: $id) { teaching { edges { node { id } } } enrollments { edges { node { id } } } } }`,
      { id: teacher.id },
      learner.accessToken,
    );
    expect(teaching.user).toEqual({ teaching: { edges: [{ node: { id: courseId } }] }, enrollments: null });

    // Now the learner reads the text (sanitised) and gets a signed URL for the lesson's PDF from media.
    const text = await ok<{ lesson: { body: string } }>(
      platform,
      `query($id: ID!) { lesson(id: $id) { body } }`,
      { id: intro },
      learner.accessToken,
    );
    expect(text.lesson.body).toBe('<p>Intro</p>');
    const withAsset = await eventually(
      () =>
        ok<{ lesson: { asset: { status: string; url: string | null } } }>(
          platform,
          LESSON.replace('body ', ''),
          { id: slides },
          learner.accessToken,
        ),
      (data) => data.lesson.asset.status === 'READY',
    );
    const download = await fetch(withAsset.lesson.asset.url!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    const stranger = await signUp(platform, 'sam.learning@example.com', 'Sam Stranger');
    const strangerAsset = await platform.graphql(
      `query($id: ID!) { asset(id: $id) { url } }`,
      { id: assetId },
      bearer(stranger.accessToken),
    );
    expect(strangerAsset.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Progress to the certificate, verifiable by anyone.
    await ok(
      platform,
      `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { progress { completed } } }`,
      { id: intro },
      learner.accessToken,
    );
    const done = await ok<{
      completeLesson: { enrollment: { status: string }; certificate: { verificationId: string } };
    }>(
      platform,
      `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { enrollment { status } certificate { verificationId } } }`,
      { id: slides },
      learner.accessToken,
    );
    expect(done.completeLesson.enrollment.status).toBe('COMPLETED');
    const verified = await ok<{ certificate: { courseTitle: string; holder: { displayName: string } } }>(
      platform,
      `query($v: String!) { certificate(verificationId: $v) { courseTitle holder { displayName } } }`,
      { v: done.completeLesson.certificate.verificationId },
    );
    expect(verified.certificate).toEqual({
      courseTitle: 'Federated GraphQL',
      holder: { displayName: 'Lea Learner' },
    });
    const inbox = await sql<{ n: number }>(
      platform,
      `SELECT count(*)::int AS n FROM learning.inbox WHERE event_type = 'order.paid'`,
    );
    expect(inbox).toEqual([{ n: 1 }]);
  }, 90_000);

  it('drip, grading, quiz scoring, ebook purchase, highlights and the download cap, and a redelivered order.paid', async () => {
    const teacher = await withRoles(platform, 'ivo.learning@example.com', 'Ivo Instructor', [
      'LEARNER',
      'INSTRUCTOR',
    ]);
    const admin = await makeAdmin(platform, 'amy.learning@example.com');
    const learner = await signUp(platform, 'leo.learning@example.com', 'Leo Learner');
    const courseId = (
      await ok<{ createCourse: { course: { id: string } } }>(
        platform,
        `mutation { createCourse(input: { title: "Assessed course", isFree: true }) { course { id } } }`,
        {},
        teacher.token,
      )
    ).createCourse.course.id;
    const addModule = async (input: Record<string, unknown>) =>
      (
        await ok<{ addCourseModule: { module: { id: string } } }>(
          platform,
          `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id } } }`,
          { input: { courseId, ...input } },
          teacher.token,
        )
      ).addCourseModule.module.id;
    const first = await addModule({ title: 'Now' });
    const later = await addModule({
      title: 'Later',
      releaseAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    const addLesson = async (moduleId: string, title: string) =>
      (
        await ok<{ addLesson: { lesson: { id: string } } }>(
          platform,
          `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`,
          { input: { moduleId, title, contentKind: 'TEXT', bodyHtml: `<p>${title}</p>`, isRequired: false } },
          teacher.token,
        )
      ).addLesson.lesson.id;
    await addLesson(first, 'Welcome');
    const locked = await addLesson(later, 'Next week');
    const assignmentId = (
      await ok<{ addAssignment: { assignment: { id: string } } }>(
        platform,
        `mutation($input: AddAssignmentInput!) { addAssignment(input: $input) { assignment { id } } }`,
        {
          input: {
            moduleId: first,
            title: 'Essay',
            instructionsHtml: '<p>Write</p>',
            maxScore: 10,
            passScore: 5,
          },
        },
        teacher.token,
      )
    ).addAssignment.assignment.id;
    const quizId = (
      await ok<{ addQuiz: { quiz: { id: string } } }>(
        platform,
        `mutation($input: AddQuizInput!) { addQuiz(input: $input) { quiz { id } } }`,
        {
          input: {
            moduleId: first,
            title: 'Check',
            passPercent: 50,
            attemptLimit: 1,
            questions: [
              { kind: 'SINGLE_CHOICE', prompt: 'Keys?', options: ['@key', '@tag'], correctOptions: [0] },
              { kind: 'SHORT_ANSWER', prompt: 'Root field?', acceptedAnswers: ['_entities'] },
            ],
          },
        },
        teacher.token,
      )
    ).addQuiz.quiz.id;
    await ok(
      platform,
      `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { id } } }`,
      { id: courseId },
      teacher.token,
    );
    await ok(
      platform,
      `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { id } } }`,
      { id: courseId },
      admin.token,
    );
    const token = learner.accessToken;
    await ok(
      platform,
      `mutation($id: ID!) { enrollInCourse(input: { courseId: $id }) { enrollment { id } } }`,
      { id: courseId },
      token,
    );

    // Drip: the later module is listed as locked with its release time, and its content is not served.
    const lockedLesson = await platform.graphql<{ lesson: { access: { state: string; unlocksAt: string } } }>(
      `query($id: ID!) { lesson(id: $id) { access { state unlocksAt } body } }`,
      { id: locked },
      bearer(token),
    );
    expect(lockedLesson.data?.lesson.access.state).toBe('LOCKED');
    expect(lockedLesson.errors?.map((e) => e.extensions?.code)).toEqual(['CONTENT_LOCKED']);

    // Grading: the learner submits, the instructor grades; the grade book names the learner (identity).
    const submissionId = (
      await ok<{ submitAssignment: { submission: { id: string } } }>(
        platform,
        `mutation($input: SubmitAssignmentInput!) { submitAssignment(input: $input) { submission { id } } }`,
        { input: { assignmentId, bodyHtml: '<p>My essay</p>' } },
        token,
      )
    ).submitAssignment.submission.id;
    await ok(
      platform,
      `mutation($input: GradeSubmissionInput!) { gradeSubmission(input: $input) { submission { score } } }`,
      { input: { submissionId, score: 8, feedback: 'Well argued' } },
      teacher.token,
    );
    const book = await ok<{ course: { gradeBook: { edges: { node: Record<string, unknown> }[] } } }>(
      platform,
      `query($id: ID!) { course(id: $id) { gradeBook { edges { node { enrollment { user { displayName } } assignments { status score } } } } } }`,
      { id: courseId },
      teacher.token,
    );
    expect(book.course.gradeBook.edges.map((e) => e.node)).toEqual([
      { enrollment: { user: { displayName: 'Leo Learner' } }, assignments: [{ status: 'GRADED', score: 8 }] },
    ]);
    const notTheirs = await platform.graphql(
      `query($id: ID!) { course(id: $id) { gradeBook { edges { cursor } } } }`,
      { id: courseId },
      bearer(token),
    );
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Quiz scoring: the answer key stays hidden; one attempt, auto-graded; it completes the course.
    const quiz = await ok<{
      quiz: { questions: { id: string; options: { id: string }[]; correctOptionIds: string[] | null }[] };
    }>(
      platform,
      `query($id: ID!) { quiz(id: $id) { questions { id options { id } correctOptionIds } } }`,
      { id: quizId },
      token,
    );
    expect(quiz.quiz.questions.map((q) => q.correctOptionIds)).toEqual([null, null]);
    const attempt = await ok<{ startQuizAttempt: { id: string } }>(
      platform,
      `mutation($id: ID!) { startQuizAttempt(input: { quizId: $id }) { id } }`,
      { id: quizId },
      token,
    );
    const [q1, q2] = quiz.quiz.questions.map((q) => q.id) as [string, string];
    const scored = await ok<{
      submitQuizAttempt: { attempt: Record<string, unknown>; enrollment: { status: string } };
    }>(
      platform,
      `mutation($input: SubmitQuizAttemptInput!) { submitQuizAttempt(input: $input) { attempt { score maxScore percent passed } enrollment { status } } }`,
      {
        input: {
          attemptId: attempt.startQuizAttempt.id,
          answers: [
            { questionId: q1, optionIds: ['a'] },
            { questionId: q2, text: 'nope' },
          ],
        },
      },
      token,
    );
    expect(scored.submitQuizAttempt).toEqual({
      attempt: { score: 1, maxScore: 2, percent: 50, passed: true },
      enrollment: { status: 'COMPLETED' },
    });
    const again = await platform.graphql(
      `mutation($id: ID!) { startQuizAttempt(input: { quizId: $id }) { id } }`,
      { id: quizId },
      bearer(token),
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('LIMIT_REACHED');

    // Ebook: priced in commerce, bought, in the library through order.paid; highlights; at most 3 downloads.
    const ebookId = (
      await ok<{ createEbook: { ebook: { id: string } } }>(
        platform,
        `mutation { createEbook(input: { title: "The Graph Book" }) { ebook { id } } }`,
        {},
        teacher.token,
      )
    ).createEbook.ebook.id;
    const chapterId = (
      await ok<{ addEbookChapter: { chapter: { id: string } } }>(
        platform,
        `mutation($input: AddEbookChapterInput!) { addEbookChapter(input: $input) { chapter { id } } }`,
        { input: { ebookId, title: 'One', bodyHtml: '<p>Entities are keyed types.</p>' } },
        teacher.token,
      )
    ).addEbookChapter.chapter.id;
    await ok(
      platform,
      `mutation($id: ID!) { publishEbook(input: { ebookId: $id }) { ebook { id } } }`,
      { id: ebookId },
      teacher.token,
    );
    const product = await ok<{ setProductPrice: { product: { id: string } } }>(
      platform,
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
      { input: { kind: 'EBOOK', refId: ebookId, title: 'The Graph Book', amount: 900, currency: 'EUR' } },
      teacher.token,
    );
    await ok(
      platform,
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      { input: { productId: product.setProductPrice.product.id } },
      token,
    );
    const order = await ok<{ checkout: { order: { id: string } } }>(
      platform,
      `mutation { checkout(input: { billingCountry: "NL", paymentMethod: "4242424242424242" }) { order { id } } }`,
      {},
      token,
    );
    await eventually(
      () =>
        ok<{ ebook: { viewerOwns: boolean; price: { amount: number } } }>(
          platform,
          `query($id: ID!) { ebook(id: $id) { viewerOwns price { amount } } }`,
          { id: ebookId },
          token,
        ),
      (data) => data.ebook.viewerOwns,
    );
    const highlight = await ok<{ addEbookHighlight: { highlight: { text: string } } }>(
      platform,
      `mutation($input: AddEbookHighlightInput!) { addEbookHighlight(input: $input) { highlight { text } } }`,
      { input: { chapterId, startOffset: 0, endOffset: 8, colour: 'BLUE' } },
      token,
    );
    expect(highlight.addEbookHighlight.highlight.text).toBe('Entities');
    const download = `mutation($id: ID!) { downloadEbook(input: { ebookId: $id }) { remaining watermark } }`;
    for (const remaining of [2, 1, 0])
      expect(
        (await ok<{ downloadEbook: { remaining: number } }>(platform, download, { id: ebookId }, token))
          .downloadEbook.remaining,
      ).toBe(remaining);
    const capped = await platform.graphql(download, { id: ebookId }, bearer(token));
    expect(capped.errors?.[0]?.extensions?.code).toBe('LIMIT_REACHED');

    // The same order.paid delivered again (another job id, as after a lost acknowledgement): no second effect.
    const [paid] = await sql<{ id: string; payload: Record<string, unknown>; occurred_at: Date }>(
      platform,
      `SELECT id, payload, occurred_at FROM commerce.outbox WHERE event_type = 'order.paid' AND aggregate_id = $1`,
      [order.checkout.order.id],
    );
    const queue = new Queue('events.learning', {
      connection: { url: platform.subgraphEnv['REDIS_URL'] },
      prefix: 'edugraph',
    });
    try {
      const job = await queue.add(
        'order.paid',
        {
          id: paid!.id,
          type: 'order.paid',
          source: 'commerce',
          aggregateId: order.checkout.order.id,
          payload: paid!.payload,
          occurredAt: paid!.occurred_at.toISOString(),
        },
        { jobId: `${paid!.id}-redelivered` },
      );
      await eventually(
        () => job.getState(),
        (state) => state === 'completed',
      );
    } finally {
      await queue.close();
    }
    const library = await sql<{ n: number }>(
      platform,
      `SELECT count(*)::int AS n FROM learning.ebook_library WHERE ebook_id = $1`,
      [ebookId],
    );
    expect(library).toEqual([{ n: 1 }]);
    const handled = await sql<{ n: number }>(
      platform,
      `SELECT count(*)::int AS n FROM learning.inbox WHERE event_id = $1`,
      [paid!.id],
    );
    expect(handled).toEqual([{ n: 1 }]);
  }, 90_000);
});
