import { LearningInit1764800000000 } from './1764800000000-learning-init.js';

export const learningMigrations = [LearningInit1764800000000];
