import { LearningInit1764800000000 } from './1764800000000-learning-init.js';
import { LearningAssessments1764800100000 } from './1764800100000-learning-assessments.js';
import { LearningEbooks1764800200000 } from './1764800200000-learning-ebooks.js';

export const learningMigrations = [
  LearningInit1764800000000,
  LearningAssessments1764800100000,
  LearningEbooks1764800200000,
];
