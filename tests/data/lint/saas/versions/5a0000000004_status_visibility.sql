-- migc:revision      5a0000000004
-- migc:down_revision 5a0000000003
-- migc:message       status visibility, safely

-- migc:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE statuses ADD COLUMN visibility integer DEFAULT 0;
ALTER TABLE statuses ADD CONSTRAINT visibility_known CHECK (visibility BETWEEN 0 AND 3) NOT VALID;

-- migc:downgrade
ALTER TABLE statuses DROP CONSTRAINT visibility_known;
ALTER TABLE statuses DROP COLUMN visibility;
