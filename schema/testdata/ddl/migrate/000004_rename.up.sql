-- Later migrations reshape what the first ones created.
ALTER TABLE review RENAME COLUMN book TO book_id;
ALTER TABLE publisher RENAME TO imprint;
ALTER TABLE book DROP COLUMN archived;
ALTER TABLE book ADD COLUMN isbn varchar(17) UNIQUE;
ALTER TYPE review_source ADD VALUE 'import' AFTER 'app';
CREATE DOMAIN rating AS numeric(3, 2) CHECK (VALUE BETWEEN 0 AND 5);
ALTER TABLE book ADD COLUMN rating rating, ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
