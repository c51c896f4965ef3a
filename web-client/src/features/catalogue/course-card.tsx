import { Link } from 'react-router';
import { Card } from '../../components/index.js';
import type { CourseCardFragment } from '../../generated/graphql.js';
import { formatLevel, formatPrice, formatRating } from './format.js';

export function CourseCard({ course }: { course: CourseCardFragment }) {
  return (
    <Card as="li" className="eg-course-card">
      <h2 className="eg-course-card__title">
        <Link to={`/courses/${encodeURIComponent(course.slug)}`}>{course.title}</Link>
      </h2>
      <p className="eg-course-card__summary">{course.summary}</p>
      <dl className="eg-course-card__facts">
        <dt>Instructor</dt>
        <dd>{course.instructor.displayName}</dd>
        <dt>Level</dt>
        <dd>{formatLevel(course.level)}</dd>
        <dt>Lessons</dt>
        <dd>{course.lessonCount}</dd>
        <dt>Rating</dt>
        <dd>{formatRating(course.rating)}</dd>
        <dt>Price</dt>
        <dd className="eg-course-card__price">{formatPrice(course)}</dd>
      </dl>
    </Card>
  );
}
