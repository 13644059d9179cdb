-- migc:revision      c7a500000022
-- migc:down_revision c7a500000021
-- migc:message       index events by kind
-- migc:create_date   2026-11-26 09:22:00

-- migc:upgrade
CREATE INDEX events_kind ON events (kind, customer_id);

-- migc:downgrade
DROP INDEX events_kind;
