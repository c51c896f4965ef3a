import type { Logger } from '@edugraph/kit';
import express, { type Express } from 'express';
import { hasInternalToken } from '../../common/internal-token.js';
import { isUuid } from '../../common/validation.js';
import type { CourseService } from '../course/course.service.js';
import type { EbookService } from '../ebook/ebook.service.js';

/** Where commerce's seller rule for courses and ebooks is served. */
export const COMMERCE_SELLER_RULE_PATH = '/internal/commerce/seller';

/** The product kinds learning owns. */
export const LEARNING_SOLD_KINDS = ['COURSE', 'EBOOK'] as const;
type SoldKind = (typeof LEARNING_SOLD_KINDS)[number];

/** Who may sell a course or an ebook: its instructor, its author. `null` when there is no such thing. */
async function ownersOf(
  options: { courses: CourseService; ebooks: EbookService },
  kind: SoldKind,
  refId: string,
): Promise<{ ownerIds: string[]; title: string } | null> {
  if (!isUuid(refId)) return null;
  if (kind === 'COURSE') {
    const [course] = await options.courses.byIds([refId]);
    return course ? { ownerIds: [course.instructorId], title: course.title } : null;
  }
  const [ebook] = await options.ebooks.byIds([refId]);
  return ebook ? { ownerIds: [ebook.authorId], title: ebook.title } : null;
}

/**
 * `POST /internal/commerce/seller` (commerce's seller rule,
 * `COMMERCE_SELLER_RULES=COURSE=<this URL>,EBOOK=<this URL>`): `{ kind: 'COURSE' | 'EBOOK', refId }` with
 * `authorization: Bearer <INTERNAL_API_TOKEN>` → `200 { ownerIds, title }` (a course's instructor, an
 * ebook's author, whatever its status), `404 {}` when there is no such course or ebook, `400` for another
 * kind or a malformed body. A wrong or missing token → 401; no token configured → every request is refused.
 */
export function commerceSellerRuleRoute(options: {
  courses: CourseService;
  ebooks: EbookService;
  token: string | undefined;
  logger: Logger;
}): (app: Express) => void {
  return (app) => {
    app.post(COMMERCE_SELLER_RULE_PATH, express.json({ limit: '4kb' }), async (req, res) => {
      if (!hasInternalToken(req.headers, options.token)) {
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const { kind, refId } = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >;
      if (!LEARNING_SOLD_KINDS.includes(kind as SoldKind) || typeof refId !== 'string') {
        res.status(400).json({ error: 'expected { kind: COURSE | EBOOK, refId }' });
        return;
      }
      try {
        const owners = await ownersOf(options, kind as SoldKind, refId);
        if (owners) res.status(200).json(owners);
        else res.status(404).json({});
      } catch (error) {
        options.logger.warn({ err: error, kind, refId }, 'commerce seller rule failed');
        res.status(500).json({ error: 'failed' });
      }
    });
  };
}
