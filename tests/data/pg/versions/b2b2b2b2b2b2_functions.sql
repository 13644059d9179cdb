-- PL/pgSQL: a trigger function in $$, a counting function in $body$ whose
-- body holds a $$ and semicolons, and the trigger that uses the first.
--
-- migc:revision      b2b2b2b2b2b2
-- migc:down_revision a1a1a1a1a1a1
-- migc:message       touch trigger and account_count
-- migc:create_date   2026-11-25 10:10:00

-- migc:upgrade postgresql
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- when the row changed, not when its transaction began
    SELECT clock_timestamp() INTO NEW.updated_at;
    RETURN NEW;
END;
$$;

CREATE FUNCTION account_count(prefix text) RETURNS bigint
LANGUAGE plpgsql AS $body$
DECLARE
    n bigint;
BEGIN
    -- a $$ in here is text, not the end
    SELECT count(*) INTO n FROM accounts WHERE name LIKE prefix || '%';
    RETURN n;
END;
$body$;

CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- migc:downgrade postgresql
DROP TRIGGER accounts_touch ON accounts;
DROP FUNCTION account_count(text);
DROP FUNCTION touch_updated_at();
