-- migc:revision      2000bbbb0002
-- migc:down_revision 1000aaaa0001
-- migc:message       branch one
-- migc:create_date   2026-11-23 11:00:00

-- migc:upgrade
CREATE TRIGGER things_touch AFTER UPDATE ON things
BEGIN
    UPDATE things SET name = CASE WHEN NEW.name = '' THEN 'x' ELSE NEW.name END
     WHERE id = NEW.id;
END;

-- migc:downgrade
DROP TRIGGER things_touch;
