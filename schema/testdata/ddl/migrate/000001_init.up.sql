CREATE TABLE country (
    code char(2) PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE publisher (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    country_id char(2) REFERENCES country
);

CREATE TABLE book (
    id           bigserial PRIMARY KEY,
    title        text NOT NULL,
    year         int,
    publisher_id bigint REFERENCES publisher (id),
    archived     boolean NOT NULL DEFAULT false
);
