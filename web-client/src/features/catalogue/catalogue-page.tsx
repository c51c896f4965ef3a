import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Page, TextField } from '../../components/index.js';
import { CourseList } from './course-list.js';

/** The learner's entry point: published courses, newest first, with a search. */
export function CataloguePage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [draft, setDraft] = useState(search);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { q: draft.trim() } : {});
  };
  return (
    <Page title="Catalogue" heading="Course catalogue">
      <form role="search" className="eg-search" onSubmit={submit}>
        <TextField
          label="Search courses"
          type="search"
          name="q"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <CourseList
        filter={search ? { search } : null}
        label={search ? `Courses matching “${search}”` : 'Courses'}
        empty={search ? `No course matches “${search}”.` : 'No courses are published yet.'}
      />
    </Page>
  );
}
