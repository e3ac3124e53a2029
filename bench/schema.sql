-- The bookstore of the benchmark. Every table carries columns the document
-- never reads (bio, summary, body, created_at): a loader that selects * pays
-- for them, one that reads only the listed columns does not.

CREATE TABLE country (
    code text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE publisher (
    id           bigint PRIMARY KEY,
    name         text NOT NULL,
    country_code text REFERENCES country (code),
    bio          text NOT NULL
);
CREATE INDEX publisher_country_code_idx ON publisher (country_code);

CREATE TABLE author (
    id   bigint PRIMARY KEY,
    name text NOT NULL,
    bio  text NOT NULL
);

CREATE TABLE book (
    id           bigint PRIMARY KEY,
    title        text NOT NULL,
    year         integer NOT NULL,
    publisher_id bigint REFERENCES publisher (id),
    summary      text NOT NULL
);
CREATE INDEX book_publisher_id_idx ON book (publisher_id);

CREATE TABLE book_author (
    book_id   bigint NOT NULL REFERENCES book (id),
    author_id bigint NOT NULL REFERENCES author (id),
    PRIMARY KEY (book_id, author_id)
);
CREATE INDEX book_author_author_id_idx ON book_author (author_id);

CREATE TABLE tag (
    id   bigint PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE book_tag (
    book_id bigint NOT NULL REFERENCES book (id),
    tag_id  bigint NOT NULL REFERENCES tag (id),
    PRIMARY KEY (book_id, tag_id)
);
CREATE INDEX book_tag_tag_id_idx ON book_tag (tag_id);

CREATE TABLE review (
    id         bigint PRIMARY KEY,
    book_id    bigint NOT NULL REFERENCES book (id),
    stars      smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body       text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX review_book_id_idx ON review (book_id);
