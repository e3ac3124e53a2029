-- +goose Up
CREATE SCHEMA shop;

CREATE TABLE shop.customer (
    id    uuid PRIMARY KEY,
    email text NOT NULL
);
CREATE UNIQUE INDEX customer_email_key ON shop.customer (lower(email));

-- +goose Down
DROP TABLE shop.customer;
DROP SCHEMA shop;
