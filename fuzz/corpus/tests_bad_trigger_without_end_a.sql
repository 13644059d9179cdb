-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE t (x);
CREATE TRIGGER t_ins AFTER INSERT ON t
BEGIN
    SELECT 1;
