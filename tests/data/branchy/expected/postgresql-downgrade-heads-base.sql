BEGIN;

-- Running downgrade 9f2b4d6c8e9a -> 8e1a3c5b7d89

DROP TABLE audit_shipments;

UPDATE "migc_version" SET version_num='8e1a3c5b7d89' WHERE "migc_version".version_num = '9f2b4d6c8e9a';

DELETE FROM "migc_version_history" WHERE version_num = '9f2b4d6c8e9a';

COMMIT;

BEGIN;

-- Running downgrade 8e1a3c5b7d89 -> 

DROP TABLE audit_log;

DELETE FROM "migc_version" WHERE "migc_version".version_num = '8e1a3c5b7d89';

DELETE FROM "migc_version_history" WHERE version_num = '8e1a3c5b7d89';

COMMIT;

BEGIN;

-- Running downgrade 7d0f2b4a6c78 -> 7c9e1a3f5b67

DROP TABLE subscriptions;

UPDATE "migc_version" SET version_num='7c9e1a3f5b67' WHERE "migc_version".version_num = '7d0f2b4a6c78';

DELETE FROM "migc_version_history" WHERE version_num = '7d0f2b4a6c78';

COMMIT;

BEGIN;

-- Running downgrade 7c9e1a3f5b67 -> 2c4e6a8b0d12

DROP TABLE plans;

DELETE FROM "migc_version" WHERE "migc_version".version_num = '7c9e1a3f5b67';

DELETE FROM "migc_version_history" WHERE version_num = '7c9e1a3f5b67';

COMMIT;

-- Running downgrade 6b8d0f2e4a56 -> 5a7c9e1d3f45

-- (outside a transaction: migc:transaction none)

DROP TABLE refunds;

BEGIN;

UPDATE "migc_version" SET version_num='5a7c9e1d3f45' WHERE "migc_version".version_num = '6b8d0f2e4a56';

DELETE FROM "migc_version_history" WHERE version_num = '6b8d0f2e4a56';

COMMIT;

BEGIN;

-- Running downgrade 5a7c9e1d3f45 -> 3e5a7c9b1d23, 4f6b8d0c2e34

UPDATE "migc_version" SET version_num='4f6b8d0c2e34' WHERE "migc_version".version_num = '5a7c9e1d3f45';

INSERT INTO "migc_version" (version_num) VALUES ('3e5a7c9b1d23');

DELETE FROM "migc_version_history" WHERE version_num = '5a7c9e1d3f45';

COMMIT;

BEGIN;

-- Running downgrade 4f6b8d0c2e34 -> 2c4e6a8b0d12

DROP TABLE shipments;

DELETE FROM "migc_version" WHERE "migc_version".version_num = '4f6b8d0c2e34';

DELETE FROM "migc_version_history" WHERE version_num = '4f6b8d0c2e34';

COMMIT;

BEGIN;

-- Running downgrade 3e5a7c9b1d23 -> 2c4e6a8b0d12

DROP TABLE invoices;

UPDATE "migc_version" SET version_num='2c4e6a8b0d12' WHERE "migc_version".version_num = '3e5a7c9b1d23';

DELETE FROM "migc_version_history" WHERE version_num = '3e5a7c9b1d23';

COMMIT;

BEGIN;

-- Running downgrade 2c4e6a8b0d12 -> 1a2b3c4d5e01

DROP TABLE orders;

UPDATE "migc_version" SET version_num='1a2b3c4d5e01' WHERE "migc_version".version_num = '2c4e6a8b0d12';

DELETE FROM "migc_version_history" WHERE version_num = '2c4e6a8b0d12';

COMMIT;

BEGIN;

-- Running downgrade 1a2b3c4d5e01 -> 

DROP TABLE accounts;

DELETE FROM "migc_version" WHERE "migc_version".version_num = '1a2b3c4d5e01';

DELETE FROM "migc_version_history" WHERE version_num = '1a2b3c4d5e01';

COMMIT;

