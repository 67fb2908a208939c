extension Migrations {
    static let v1Foundation = Migration(version: 1, name: "foundation", statements: [
        """
        CREATE TABLE events (
            id {id},
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            jurisdiction TEXT,
            payload TEXT NOT NULL
        )
        """,
        "CREATE INDEX events_subject ON events (subject, id)",
        "CREATE INDEX events_type ON events (type, id)",
        """
        CREATE TABLE reference_loads (
            name TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            rows {bigint} NOT NULL,
            loaded_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE divisions (
            code TEXT PRIMARY KEY,
            name_zh TEXT NOT NULL,
            level TEXT NOT NULL,
            parent_code TEXT,
            kind_zh TEXT NOT NULL,
            province_abbr TEXT
        )
        """,
        "CREATE INDEX divisions_parent ON divisions (parent_code)",
        """
        CREATE TABLE calendar_days (
            day TEXT PRIMARY KEY,
            kind TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE calendar_years (
            year {bigint} PRIMARY KEY,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE catalog_editions (
            code TEXT PRIMARY KEY,
            instrument TEXT NOT NULL,
            in_force TEXT NOT NULL,
            category_count {bigint} NOT NULL,
            national_count {bigint},
            provincial_count {bigint},
            note TEXT NOT NULL,
            has_units {bigint} NOT NULL
        )
        """,
        """
        CREATE TABLE catalog_categories (
            edition TEXT NOT NULL REFERENCES catalog_editions (code),
            category_no TEXT NOT NULL,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            PRIMARY KEY (edition, category_no)
        )
        """,
        """
        CREATE TABLE catalog_units (
            edition TEXT NOT NULL,
            unit_no TEXT NOT NULL,
            category_no TEXT NOT NULL,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            authority TEXT NOT NULL,
            commitment_route TEXT NOT NULL,
            confidence TEXT NOT NULL,
            PRIMARY KEY (edition, unit_no),
            FOREIGN KEY (edition, category_no) REFERENCES catalog_categories (edition, category_no)
        )
        """,
        """
        CREATE TABLE reform_actions (
            id {id},
            edition TEXT NOT NULL,
            kind TEXT NOT NULL,
            effective TEXT NOT NULL,
            instrument TEXT NOT NULL,
            subject_no TEXT NOT NULL,
            subject_zh TEXT NOT NULL,
            target TEXT NOT NULL,
            note TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE ccc_transfers (
            id {id},
            product_zh TEXT NOT NULL,
            product_en TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            applications_from TEXT,
            mandatory_from TEXT,
            confidence TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE enterprises (
            uscc TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            domicile TEXT NOT NULL,
            division_code TEXT NOT NULL REFERENCES divisions (code),
            legal_representative TEXT NOT NULL,
            contact_name TEXT NOT NULL,
            contact_phone TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX enterprises_division ON enterprises (division_code)",
        """
        CREATE TABLE production_addresses (
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            position {bigint} NOT NULL,
            address TEXT NOT NULL,
            division_code TEXT NOT NULL REFERENCES divisions (code),
            PRIMARY KEY (uscc, position)
        )
        """,
        """
        CREATE TABLE users (
            id {id},
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            jurisdiction TEXT REFERENCES divisions (code),
            enterprise_uscc TEXT REFERENCES enterprises (uscc),
            created_at TEXT NOT NULL,
            disabled {bigint} NOT NULL
        )
        """,
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id {bigint} NOT NULL REFERENCES users (id),
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX sessions_user ON sessions (user_id)",
        """
        CREATE TABLE api_tokens (
            id {id},
            user_id {bigint} NOT NULL REFERENCES users (id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        )
        """,
        """
        CREATE TABLE login_failures (
            id {id},
            username TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX login_failures_user ON login_failures (username, at)",
    ])
}
