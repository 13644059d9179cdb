-- kinds: view
CREATE VIEW member_names WITH (security_invoker = true) AS
    SELECT id, display_name FROM members;
