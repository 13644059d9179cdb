-- migc:revision      5a7c9e1d3f45
-- migc:down_revision 3e5a7c9b1d23, 4f6b8d0c2e34
-- migc:message       merge invoices and shipments
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade

-- migc:downgrade
