import { Page } from '../../components/index.js';
import { CourseList } from '../catalogue/course-list.js';

/** Instructors: their own courses in every state (authoring tools come with the instructor area). */
export function TeachingPage() {
  return (
    <Page title="Teaching" heading="Your courses">
      <CourseList filter={{ mine: true }} label="Your courses" empty="You have not created a course yet." />
    </Page>
  );
}
