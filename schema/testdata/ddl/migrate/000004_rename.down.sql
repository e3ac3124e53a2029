ALTER TABLE book DROP COLUMN tags, DROP COLUMN rating;
DROP DOMAIN rating;
ALTER TABLE book DROP COLUMN isbn;
ALTER TABLE book ADD COLUMN archived boolean NOT NULL DEFAULT false;
ALTER TABLE imprint RENAME TO publisher;
ALTER TABLE review RENAME COLUMN book_id TO book;
