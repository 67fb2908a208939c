extension Migrations {
    static let v11CreditRepairsPending = Migration(version: 11, name: "credit_repairs_pending", statements: [
        // At most one repair application waits for a decision per entry, also under concurrent requests.
        "CREATE UNIQUE INDEX credit_repairs_one_pending ON credit_repairs (entry_id) WHERE state = 'pending'",
    ])
}
