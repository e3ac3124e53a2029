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

-- A note on a lesson, by a composite foreign key that may be NULL.
CREATE TABLE note (
    id        integer PRIMARY KEY,
    body      text NOT NULL,
    course_id integer,
    lesson_n  integer,
    FOREIGN KEY (course_id, lesson_n) REFERENCES lesson (course_id, n)
);

CREATE TABLE skill (
    id   integer PRIMARY KEY,
    name text NOT NULL
);

-- A join table referencing lesson by a composite foreign key.
CREATE TABLE lesson_skill (
    course_id integer NOT NULL,
    lesson_n  integer NOT NULL,
    skill_id  integer NOT NULL REFERENCES skill (id),
    PRIMARY KEY (course_id, lesson_n, skill_id),
    FOREIGN KEY (course_id, lesson_n) REFERENCES lesson (course_id, n)
);
