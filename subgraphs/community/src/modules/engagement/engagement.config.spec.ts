import { describe, expect, it } from 'vitest';
import { readCommunityConfig } from '../../environment.js';
import {
  DEFAULT_LEVEL_THRESHOLDS,
  DEFAULT_POINT_VALUES,
  levelFor,
  nextLevelAt,
  readEngagementConfig,
} from './engagement.config.js';

describe('engagement settings', () => {
  it('defaults: 10 / 3 / 1 / 25 / 15 points, levels at 0, 500, 1,500, 4,000, 8,000', () => {
    expect(readEngagementConfig({})).toEqual({
      points: {
        POST_CREATED: 10,
        COMMENT_CREATED: 3,
        REACTION_RECEIVED: 1,
        EVENT_ATTENDED: 25,
        LESSON_COMPLETED: 15,
      },
      levelThresholds: [0, 500, 1500, 4000, 8000],
    });
    expect(readCommunityConfig({}).engagement).toEqual({
      points: DEFAULT_POINT_VALUES,
      levelThresholds: DEFAULT_LEVEL_THRESHOLDS,
    });
  });

  it('reads overrides and refuses values out of range', () => {
    const config = readEngagementConfig({
      COMMUNITY_POINTS_POST_CREATED: '0',
      COMMUNITY_POINTS_EVENT_ATTENDED: '100',
      COMMUNITY_LEVEL_THRESHOLDS: '0, 100, 1000',
    });
    expect(config.points).toMatchObject({ POST_CREATED: 0, EVENT_ATTENDED: 100, COMMENT_CREATED: 3 });
    expect(config.levelThresholds).toEqual([0, 100, 1000]);
    expect(() => readEngagementConfig({ COMMUNITY_POINTS_COMMENT_CREATED: '-1' })).toThrow();
    expect(() => readEngagementConfig({ COMMUNITY_POINTS_COMMENT_CREATED: '10001' })).toThrow();
    for (const thresholds of ['100,500', '0,500,500', '0,-1', '0,abc'])
      expect(() => readEngagementConfig({ COMMUNITY_LEVEL_THRESHOLDS: thresholds })).toThrow(
        /COMMUNITY_LEVEL_THRESHOLDS/,
      );
  });

  it('levels by lifetime points', () => {
    const t = DEFAULT_LEVEL_THRESHOLDS;
    expect([0, 499, 500, 1499, 1500, 3999, 4000, 7999, 8000, 1e6].map((p) => levelFor(p, t))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    expect([0, 500, 7999, 8000].map((p) => nextLevelAt(p, t))).toEqual([500, 1500, 8000, null]);
  });
});
