import type { Express, Request, Response } from 'express';
import type { Logger } from '@edugraph/kit';
import type { EventCalendarService } from './event-calendar.service.js';

const FILE = /^([0-9A-Za-z_.-]{1,200})\.ics$/;

function send(res: Response, ics: string | null): void {
  if (ics === null) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  res.setHeader('cache-control', 'private, max-age=300');
  res.setHeader('x-content-type-options', 'nosniff');
  res.type('text/calendar; charset=utf-8').send(ics);
}

/**
 * `GET /ics/community/<communityId>.ics[?token=…]` and `GET /ics/member/<token>.ics` (text/calendar;
 * 404 for anything missing, hidden, forged or revoked — no hint which).
 */
export function eventCalendarRoutes(calendar: EventCalendarService, logger: Logger): (app: Express) => void {
  const handle =
    (work: (req: Request) => Promise<string | null>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        send(res, await work(req));
      } catch (error) {
        logger.error({ err: error }, 'calendar feed failed');
        res.status(500).type('text/plain').send('Internal error');
      }
    };
  return (app) => {
    app.get(
      '/ics/community/:file',
      handle(async (req) => {
        const id = FILE.exec(String(req.params['file'] ?? ''))?.[1];
        const token = typeof req.query['token'] === 'string' ? req.query['token'] : null;
        return id ? calendar.communityFeed(id, token) : null;
      }),
    );
    app.get(
      '/ics/member/:file',
      handle(async (req) => {
        const token = FILE.exec(String(req.params['file'] ?? ''))?.[1];
        return token ? calendar.memberFeed(token) : null;
      }),
    );
  };
}
