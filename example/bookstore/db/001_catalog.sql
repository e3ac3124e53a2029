-- The catalog: countries, publishers, authors and books.
CREATE TABLE country (
    code text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE publisher (
    id           bigint PRIMARY KEY,
    name         text NOT NULL,
    bio          text NOT NULL DEFAULT '',   -- heavy, and no document uses it
    country_code text REFERENCES country (code)
);

CREATE TABLE author (
    id   bigint PRIMARY KEY,
    name text NOT NULL,
    bio  text NOT NULL DEFAULT ''
);

CREATE TABLE book (
    id           bigint PRIMARY KEY,
    title        text NOT NULL,
    year         int,
    summary      text NOT NULL DEFAULT '',
    publisher_id bigint REFERENCES publisher (id)
);

CREATE TABLE book_author (
    book_id   bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    author_id bigint NOT NULL REFERENCES author (id) ON DELETE CASCADE,
    PRIMARY KEY (book_id, author_id)
);
CREATE INDEX book_author_author_id ON book_author (author_id);
CREATE INDEX book_publisher_id ON book (publisher_id);
