-- +goose Up
ALTER TABLE shop.order_line ALTER COLUMN sku TYPE varchar(32);
ALTER TABLE shop.order_line ADD CONSTRAINT order_line_sku_unique UNIQUE (order_id, sku);

-- +goose Down
ALTER TABLE shop.order_line DROP CONSTRAINT order_line_sku_unique;
ALTER TABLE shop.order_line ALTER COLUMN sku TYPE text;
