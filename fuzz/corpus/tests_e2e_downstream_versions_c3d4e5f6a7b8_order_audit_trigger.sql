-- migc:revision      c3d4e5f6a7b8
-- migc:down_revision b7c8d9e0f1a2
-- migc:message       audit orders
-- migc:create_date   2026-11-04 10:00:00

-- migc:upgrade
CREATE TABLE order_audit (order_id INTEGER, note TEXT);
CREATE TRIGGER orders_audit AFTER INSERT ON orders
BEGIN
    INSERT INTO order_audit VALUES (NEW.id,
        CASE WHEN NEW.total_cents > 10000 THEN 'large; check' ELSE 'ok' END);
END;

-- migc:downgrade
DROP TRIGGER orders_audit;
DROP TABLE order_audit;
