-- Tags and reviews came later.
CREATE TABLE tag (
    id   int PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE book_tag (
    book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    tag_id  int    NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    PRIMARY KEY (book_id, tag_id)
);
CREATE INDEX book_tag_tag_id ON book_tag (tag_id);

CREATE TABLE review (
    id         bigint PRIMARY KEY,
    book_id    bigint NOT NULL,
    stars      int NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE review ADD CONSTRAINT review_book_id_fkey
    FOREIGN KEY (book_id) REFERENCES book (id) ON DELETE CASCADE;
CREATE INDEX review_book_id ON review (book_id);
