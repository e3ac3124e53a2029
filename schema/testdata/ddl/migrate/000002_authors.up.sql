CREATE TABLE author (
    id   bigserial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE book_author (
    book_id   bigint NOT NULL REFERENCES book ON DELETE CASCADE,
    author_id bigint NOT NULL REFERENCES author ON DELETE CASCADE,
    PRIMARY KEY (book_id, author_id)
);

CREATE INDEX book_author_author_idx ON book_author (author_id);
