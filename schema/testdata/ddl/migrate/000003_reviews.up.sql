CREATE TYPE review_source AS ENUM ('web', 'app');

CREATE TABLE review (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    book       bigint NOT NULL,
    stars      smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body       text,
    source     review_source NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

ALTER TABLE review ADD CONSTRAINT review_book_fk FOREIGN KEY (book) REFERENCES book (id);
