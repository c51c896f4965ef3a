import type { QuizAnswer, QuizQuestionEntity } from './quiz.entity.js';

/** Short answers compare trimmed, case-folded, with inner whitespace collapsed. */
export function normalizeAnswer(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Auto-grading: a choice question scores its points when exactly the correct options are chosen (all or
 * nothing), a short answer when it matches one accepted answer. Unanswered questions score 0.
 */
export function gradeAnswers(
  questions: Pick<QuizQuestionEntity, 'id' | 'kind' | 'correctOptionIds' | 'acceptedAnswers' | 'points'>[],
  answers: QuizAnswer[],
): { score: number; maxScore: number; graded: (QuizAnswer & { correct: boolean })[] } {
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  let score = 0;
  let maxScore = 0;
  const graded = questions.map((question) => {
    maxScore += question.points;
    const answer = byQuestion.get(question.id) ?? { questionId: question.id, optionIds: [], text: null };
    let correct: boolean;
    if (question.kind === 'SHORT_ANSWER') {
      const given = answer.text === null ? '' : normalizeAnswer(answer.text);
      correct =
        given !== '' && question.acceptedAnswers.some((accepted) => normalizeAnswer(accepted) === given);
    } else {
      const chosen = new Set(answer.optionIds);
      correct =
        chosen.size === question.correctOptionIds.length &&
        question.correctOptionIds.every((id) => chosen.has(id));
    }
    if (correct) score += question.points;
    return { ...answer, correct };
  });
  return { score, maxScore, graded };
}
