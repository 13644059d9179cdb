-- kinds: view view_on_view
CREATE VIEW note_counts AS
    SELECT a.id, a.email, count(n.id) AS notes
    FROM named_accounts a LEFT JOIN notes n ON n.account_id = a.id
    GROUP BY a.id;
