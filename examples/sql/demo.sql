-- The demo job: Flink's datagen produces orders, the StarRocks connector loads them into
-- demo.orders through Stream Load. ${FE_HTTP}, ${MYSQL} and ${ROWS} come from tools/demo.sh.
SET 'parallelism.default' = '2';
SET 'execution.checkpointing.interval' = '2 s';

CREATE TABLE orders_gen (
  id BIGINT,
  amount_cents INT
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '1000000',
  'fields.id.kind' = 'sequence',
  'fields.id.start' = '1',
  'fields.id.end' = '${ROWS}',
  'fields.amount_cents.min' = '1',
  'fields.amount_cents.max' = '100000'
);

CREATE TABLE orders (
  id BIGINT,
  customer VARCHAR(32),
  amount DECIMAL(10, 2),
  paid BOOLEAN,
  order_date DATE,
  created_at TIMESTAMP(3)
) WITH (
  'connector' = 'starrocks',
  'jdbc-url' = 'jdbc:mysql://${MYSQL}',
  'load-url' = '${FE_HTTP}',
  'database-name' = 'demo',
  'table-name' = 'orders',
  'username' = 'root',
  'password' = '',
  'sink.label-prefix' = 'demo',
  'sink.buffer-flush.interval-ms' = '1000'
);

INSERT INTO orders
SELECT
  id,
  CONCAT('customer-', CAST(MOD(id, 1000) AS STRING)),
  CAST(amount_cents AS DECIMAL(10, 2)) / 100,
  MOD(id, 3) <> 0,
  CAST(TIMESTAMPADD(DAY, CAST(MOD(id, 365) AS INT), TIMESTAMP '2026-01-01 00:00:00') AS DATE),
  TIMESTAMPADD(SECOND, CAST(id AS INT), TIMESTAMP '2026-01-01 00:00:00.000')
FROM orders_gen;
