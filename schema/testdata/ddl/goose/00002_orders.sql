-- +goose Up
CREATE TABLE shop."order" (
    id          bigint PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES shop.customer,
    placed_at   timestamptz NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION shop.order_placed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.placed_at := now();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER order_placed BEFORE INSERT ON shop."order"
    FOR EACH ROW EXECUTE FUNCTION shop.order_placed();

CREATE TABLE shop.order_line (
    order_id bigint REFERENCES shop."order" ON DELETE CASCADE,
    line     int,
    sku      text NOT NULL,
    quantity int NOT NULL,
    PRIMARY KEY (order_id, line)
);

-- +goose Down
DROP TABLE shop.order_line;
DROP TABLE shop."order";
DROP FUNCTION shop.order_placed();
