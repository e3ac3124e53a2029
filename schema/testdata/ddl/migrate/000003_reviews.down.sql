DROP TABLE review;
DROP TYPE review_source;
