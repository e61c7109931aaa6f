-- Orders as landed from the payments.orders.v1 topic (here: a seed standing in for the Kafka-landed table).
select
    order_id,
    customer_id,
    cast(amount as decimal(12, 2)) as amount,
    cast(ordered_at as timestamp) as ordered_at
from {{ ref('raw_orders') }}
