extension Migrations {
    static let v4Supervision = Migration(version: 4, name: "supervision", statements: [
        // Officers and verifiers who may be drawn for inspection teams; `code` is their id in published rosters.
        """
        CREATE TABLE inspectors (
            user_id {bigint} PRIMARY KEY REFERENCES users (id),
            code TEXT NOT NULL UNIQUE,
            county TEXT NOT NULL REFERENCES divisions (code),
            qualified TEXT NOT NULL,
            capacity {bigint} NOT NULL,
            active {bigint} NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        // Makers of products that left the catalog: no license, but supervised in their own strata.
        """
        CREATE TABLE delicensed_makers (
            uscc TEXT PRIMARY KEY REFERENCES enterprises (uscc),
            category TEXT NOT NULL,
            since TEXT NOT NULL,
            note TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE spot_plans (
            id {id},
            code TEXT NOT NULL UNIQUE,
            authority TEXT NOT NULL,
            state TEXT NOT NULL,
            draft TEXT NOT NULL,
            published TEXT,
            enterprise_root TEXT,
            inspector_root TEXT,
            enterprise_count {bigint},
            inspector_count {bigint},
            beacon_value TEXT,
            secret TEXT,
            result TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            announced_at TEXT,
            frozen_at TEXT,
            beacon_at TEXT,
            drawn_at TEXT,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX spot_plans_authority ON spot_plans (authority, id)",
        // The rosters as frozen: one canonical JSON line per member, never changed afterwards.
        """
        CREATE TABLE plan_rosters (
            plan_id {bigint} NOT NULL REFERENCES spot_plans (id),
            roster TEXT NOT NULL,
            member TEXT NOT NULL,
            line TEXT NOT NULL,
            PRIMARY KEY (plan_id, roster, member)
        )
        """,
        """
        CREATE TABLE inspections (
            id {id},
            number TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            plan_id {bigint} REFERENCES spot_plans (id),
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            authority TEXT NOT NULL,
            category TEXT NOT NULL,
            state TEXT NOT NULL,
            hidden {bigint} NOT NULL,
            items TEXT NOT NULL,
            outcome TEXT,
            summary TEXT NOT NULL,
            visited_on TEXT,
            concluded_on TEXT,
            publish_due TEXT,
            published_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX inspections_uscc ON inspections (uscc, id)",
        "CREATE INDEX inspections_plan ON inspections (plan_id, id)",
        "CREATE INDEX inspections_authority ON inspections (authority, state)",
        """
        CREATE TABLE inspection_members (
            inspection_id {bigint} NOT NULL REFERENCES inspections (id),
            user_id {bigint} NOT NULL REFERENCES users (id),
            PRIMARY KEY (inspection_id, user_id)
        )
        """,
        "CREATE INDEX inspection_members_user ON inspection_members (user_id)",
    ])
}
