CREATE TABLE category (
    id        integer PRIMARY KEY,
    name      text NOT NULL,
    parent_id integer REFERENCES category (id)
);
