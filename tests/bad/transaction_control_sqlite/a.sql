-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE a (x);
ROLLBACK;
CREATE TABLE b (y);
  /* a comment first */ commit;
BEGIN IMMEDIATE TRANSACTION;
begin deferred;
BEGIN EXCLUSIVE;
END TRANSACTION;
SAVEPOINT s1;
RELEASE SAVEPOINT s1;
ROLLBACK TO s1;
-- a trigger body holds BEGIN ... END and is no transaction control
CREATE TRIGGER t_ins AFTER INSERT ON a
BEGIN
    INSERT INTO b VALUES (new.x);
END;
INSERT INTO a VALUES ('COMMIT');

-- migc:downgrade
DROP TABLE b;
ROLLBACK TRANSACTION;
DROP TABLE a;
