import { describe, expect, it } from 'vitest';
import { gradeAnswers } from './quiz-grading.js';

const questions = [
  { id: 'q1', kind: 'SINGLE_CHOICE' as const, correctOptionIds: ['b'], acceptedAnswers: [], points: 1 },
  {
    id: 'q2',
    kind: 'MULTIPLE_CHOICE' as const,
    correctOptionIds: ['a', 'c'],
    acceptedAnswers: [],
    points: 2,
  },
  {
    id: 'q3',
    kind: 'SHORT_ANSWER' as const,
    correctOptionIds: [],
    acceptedAnswers: ['Apollo Federation', 'federation'],
    points: 3,
  },
];

describe('gradeAnswers', () => {
  it('scores exact choices and normalised short answers', () => {
    const result = gradeAnswers(questions, [
      { questionId: 'q1', optionIds: ['b'], text: null },
      { questionId: 'q2', optionIds: ['c', 'a'], text: null },
      { questionId: 'q3', optionIds: [], text: '  apollo   FEDERATION ' },
    ]);
    expect(result).toMatchObject({ score: 6, maxScore: 6 });
    expect(result.graded.map((g) => g.correct)).toEqual([true, true, true]);
  });

  it('gives nothing for partial or extra choices, blanks and missing answers', () => {
    const result = gradeAnswers(questions, [
      { questionId: 'q1', optionIds: ['a', 'b'], text: null },
      { questionId: 'q2', optionIds: ['a'], text: null },
      { questionId: 'q3', optionIds: [], text: '   ' },
    ]);
    expect(result).toMatchObject({ score: 0, maxScore: 6 });
    expect(gradeAnswers(questions, []).score).toBe(0);
  });
});
