-- migc:revision      4000dddd0004
-- migc:down_revision 2000bbbb0002, 3000cccc0003
-- migc:message       merge the branches
-- migc:create_date   2026-11-23 13:00:00

-- migc:upgrade

-- migc:downgrade
