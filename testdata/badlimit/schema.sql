CREATE TABLE course (
    id    integer PRIMARY KEY,
    title text NOT NULL
);

CREATE TABLE student (
    id   integer PRIMARY KEY,
    name text NOT NULL
);

-- A join table keyed by both of its foreign keys, with a column of its own.
CREATE TABLE enrollment (
    course_id  integer NOT NULL REFERENCES course (id),
    student_id integer NOT NULL REFERENCES student (id),
    grade      text,
    PRIMARY KEY (course_id, student_id)
);

-- A child with a composite primary key: the order's tiebreak uses both columns.
CREATE TABLE lesson (
    course_id integer NOT NULL REFERENCES course (id),
    n         integer NOT NULL,
    title     text NOT NULL,
    PRIMARY KEY (course_id, n)
);
