extension Migrations {
    /// Optional days are NULL when absent (older rows could hold empty text), so every stored day reads as a
    /// `CivilDate?` and anything else in the column is corrupt; the deemed steps of a case become a JSON list
    /// like every other stored list.
    static let v19StoredDays = Migration(version: 19, name: "stored_days", statements: [
        "UPDATE ccc_transfers SET applications_from = NULL WHERE applications_from = ''",
        "UPDATE ccc_transfers SET mandatory_from = NULL WHERE mandatory_from = ''",
        "UPDATE credit_flags SET until = NULL WHERE until = ''",
        "UPDATE applications SET accepted_on = NULL WHERE accepted_on = ''",
        "UPDATE applications SET decided_on = NULL WHERE decided_on = ''",
        "UPDATE applications SET issued_on = NULL WHERE issued_on = ''",
        "UPDATE applications SET due_on = NULL WHERE due_on = ''",
        "UPDATE materials SET report_date = NULL WHERE report_date = ''",
        "UPDATE correction_notices SET answered_on = NULL WHERE answered_on = ''",
        "UPDATE clock_stops SET until_date = NULL WHERE until_date = ''",
        "UPDATE verifications SET assigned_on = NULL WHERE assigned_on = ''",
        "UPDATE verifications SET rectify_by = NULL WHERE rectify_by = ''",
        "UPDATE verifications SET concluded_on = NULL WHERE concluded_on = ''",
        "UPDATE inspections SET visited_on = NULL WHERE visited_on = ''",
        "UPDATE inspections SET concluded_on = NULL WHERE concluded_on = ''",
        "UPDATE inspections SET publish_due = NULL WHERE publish_due = ''",
        "UPDATE enforcement_actions SET due_on = NULL WHERE due_on = ''",
        "UPDATE lab_periods SET until = NULL WHERE until = ''",
        "UPDATE lab_scopes SET until = NULL WHERE until = ''",
        "UPDATE credit_entries SET ends_on = NULL WHERE ends_on = ''",
        "UPDATE credit_entries SET removed_on = NULL WHERE removed_on = ''",
        "UPDATE review_body_years SET report_filed_on = NULL WHERE report_filed_on = ''",
        "UPDATE review_body_years SET inspected_on = NULL WHERE inspected_on = ''",
        "UPDATE catalog_drafts SET comments_until = NULL WHERE comments_until = ''",
        "UPDATE applications SET deemed = CASE WHEN deemed = '' THEN '[]' ELSE '[\"' || REPLACE(deemed, ',', '\",\"') || '\"]' END WHERE deemed NOT LIKE '[%'",
    ])
}
