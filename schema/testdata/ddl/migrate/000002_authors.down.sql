DROP TABLE book_author;
DROP TABLE author;
