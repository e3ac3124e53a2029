-- Text primary keys in a collation whose order is not the bytes' (ICU puts
-- "a" before "B"): a full build streams the to-many relations of the root
-- in that order, which Go cannot reproduce.
CREATE TABLE country (
    code   text COLLATE "und-x-icu" PRIMARY KEY,
    name   text NOT NULL,
    active boolean NOT NULL
);

CREATE TABLE city (
    id           bigint PRIMARY KEY,
    country_code text COLLATE "und-x-icu" REFERENCES country (code),
    name         text NOT NULL
);

CREATE TABLE language (
    code text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE country_language (
    country_code  text COLLATE "und-x-icu" NOT NULL REFERENCES country (code),
    language_code text NOT NULL REFERENCES language (code),
    PRIMARY KEY (country_code, language_code)
);
