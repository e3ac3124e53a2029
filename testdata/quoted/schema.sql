-- Names that need quoting: reserved words and upper case.
CREATE TABLE "group" (
    id     integer PRIMARY KEY,
    "Name" text NOT NULL
);

CREATE TABLE "Order" (
    id       integer PRIMARY KEY,
    "group"  integer NOT NULL REFERENCES "group" (id),
    "select" text,
    "Total"  numeric
);
