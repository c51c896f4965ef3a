import { Page } from '../../components/index.js';
import { CourseList } from '../catalogue/course-list.js';

/** Admins: courses submitted for review (approval tools come with the admin area). */
export function ReviewQueuePage() {
  return (
    <Page title="Course review" heading="Courses waiting for review">
      <CourseList
        filter={{ status: 'REVIEW' }}
        label="Courses in review"
        empty="No course is waiting for review."
      />
    </Page>
  );
}
