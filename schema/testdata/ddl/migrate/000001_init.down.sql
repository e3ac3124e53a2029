DROP TABLE book;
DROP TABLE publisher;
DROP TABLE country;
