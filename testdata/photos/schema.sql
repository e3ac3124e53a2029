CREATE TABLE person (
    id   uuid PRIMARY KEY,
    name text NOT NULL
);

-- Two keys to the same table: the relation must say which one it follows.
CREATE TABLE photo (
    id        bigint PRIMARY KEY,
    url       text NOT NULL,
    owner_id  uuid NOT NULL REFERENCES person (id),
    editor_id uuid REFERENCES person (id)
);
