import XukeDomain
import SQLKit
public import Foundation

/// Numbered, append-only schema changes. Never edit a released migration: add the next one.
/// SQL is written once; `{id}`, `{bigint}`, `{blob}` and `{xact}` (the writing transaction) are the only places the dialects differ.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
}

enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "foundation", statements: [
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
        ]),
        Migration(version: 2, name: "licensing", statements: [
            "ALTER TABLE users ADD COLUMN email TEXT",
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE TABLE counters (name TEXT PRIMARY KEY, last {bigint} NOT NULL)",
            // A province's choice of prefecture or county bureaus for a category, where the edition allows it.
            """
            CREATE TABLE delegations (
                province TEXT NOT NULL,
                category_no TEXT NOT NULL,
                division_code TEXT NOT NULL REFERENCES divisions (code),
                PRIMARY KEY (province, category_no, division_code)
            )
            """,
            // Official product codes for license numbers ("13-006"), where known.
            "CREATE TABLE product_codes (unit_no TEXT PRIMARY KEY, code TEXT NOT NULL)",
            // Credit facts that bar the commitment route; the credit issue manages them.
            """
            CREATE TABLE credit_flags (
                id {id},
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                kind TEXT NOT NULL,
                since TEXT NOT NULL,
                until TEXT,
                note TEXT NOT NULL
            )
            """,
            "CREATE INDEX credit_flags_uscc ON credit_flags (uscc)",
            // Results of provincial-or-higher spot checks, recorded as facts (they spare a renewal test).
            """
            CREATE TABLE spot_check_results (
                id {id},
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                unit_no TEXT NOT NULL,
                level TEXT NOT NULL,
                passed {bigint} NOT NULL,
                checked_on TEXT NOT NULL,
                reference TEXT NOT NULL
            )
            """,
            "CREATE INDEX spot_check_results_uscc ON spot_check_results (uscc, checked_on)",
            """
            CREATE TABLE uploads (
                sha256 TEXT PRIMARY KEY,
                media_type TEXT NOT NULL,
                size {bigint} NOT NULL,
                uploaded_by {bigint} NOT NULL REFERENCES users (id),
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE licenses (
                id {id},
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                number TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                version {bigint} NOT NULL,
                authority TEXT NOT NULL,
                first_issued_on TEXT NOT NULL,
                decided_on TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                valid_until TEXT NOT NULL,
                name TEXT NOT NULL,
                domicile TEXT NOT NULL,
                addresses TEXT NOT NULL,
                units TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            // 一企一证: one license in force per enterprise; an ended one stays on record under its own number.
            "CREATE UNIQUE INDEX licenses_one_live ON licenses (uscc) WHERE status IN ('valid', 'suspended')",
            "CREATE INDEX licenses_uscc ON licenses (uscc, id)",
            "CREATE INDEX licenses_authority ON licenses (authority, status)",
            "CREATE INDEX licenses_valid_until ON licenses (status, valid_until)",
            """
            CREATE TABLE license_versions (
                license_id {bigint} NOT NULL REFERENCES licenses (id),
                version {bigint} NOT NULL,
                status TEXT NOT NULL,
                reason TEXT NOT NULL,
                application_id {bigint},
                snapshot TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (license_id, version)
            )
            """,
            """
            CREATE TABLE applications (
                id {id},
                number TEXT NOT NULL UNIQUE,
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                kind TEXT NOT NULL,
                route TEXT NOT NULL,
                state TEXT NOT NULL,
                is_open {bigint} NOT NULL,
                version {bigint} NOT NULL,
                changes TEXT NOT NULL,
                units TEXT NOT NULL,
                edition TEXT NOT NULL,
                authority TEXT NOT NULL,
                verification_need TEXT NOT NULL,
                simplified {bigint} NOT NULL,
                corrections {bigint} NOT NULL,
                last_outcome TEXT,
                license_id {bigint} REFERENCES licenses (id),
                form TEXT NOT NULL,
                commitment_text TEXT NOT NULL,
                commitment_sha256 TEXT NOT NULL,
                submitted_on TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                accepted_on TEXT,
                deemed TEXT NOT NULL,
                decided_on TEXT,
                refusal_reasons TEXT,
                issued_on TEXT,
                due_on TEXT,
                -- Working days from submission to the license, for statistics; set on issuance.
                elapsed_days {bigint},
                updated_at TEXT NOT NULL
            )
            """,
            // 一企一证 and no double filing: at most one open case per enterprise, enforced by the database.
            "CREATE UNIQUE INDEX applications_one_open ON applications (uscc) WHERE is_open = 1",
            "CREATE INDEX applications_worklist ON applications (authority, is_open, due_on)",
            "CREATE INDEX applications_state ON applications (state, submitted_on)",
            """
            CREATE TABLE materials (
                application_id {bigint} NOT NULL REFERENCES applications (id),
                position {bigint} NOT NULL,
                kind TEXT NOT NULL,
                sha256 TEXT NOT NULL REFERENCES uploads (sha256),
                filename TEXT NOT NULL,
                lab TEXT,
                report_no TEXT,
                report_date TEXT,
                units TEXT,
                PRIMARY KEY (application_id, position)
            )
            """,
            "CREATE INDEX materials_sha256 ON materials (sha256)",
            """
            CREATE TABLE correction_notices (
                application_id {bigint} NOT NULL PRIMARY KEY REFERENCES applications (id),
                items TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                answered_on TEXT
            )
            """,
            """
            CREATE TABLE clock_stops (
                id {id},
                application_id {bigint} NOT NULL REFERENCES applications (id),
                reason TEXT NOT NULL,
                from_date TEXT NOT NULL,
                until_date TEXT,
                note TEXT NOT NULL
            )
            """,
            "CREATE INDEX clock_stops_application ON clock_stops (application_id)",
            """
            CREATE TABLE verifications (
                id {id},
                application_id {bigint} REFERENCES applications (id),
                license_id {bigint} REFERENCES licenses (id),
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                authority TEXT NOT NULL,
                assigned_on TEXT,
                due_on TEXT NOT NULL,
                rectify_by TEXT,
                outcome TEXT,
                concluded_on TEXT,
                summary TEXT NOT NULL
            )
            """,
            "CREATE INDEX verifications_application ON verifications (application_id)",
            "CREATE INDEX verifications_due ON verifications (state, due_on)",
            """
            CREATE TABLE verification_members (
                verification_id {bigint} NOT NULL REFERENCES verifications (id),
                user_id {bigint} NOT NULL REFERENCES users (id),
                PRIMARY KEY (verification_id, user_id)
            )
            """,
            "CREATE INDEX verification_members_user ON verification_members (user_id)",
            """
            CREATE TABLE findings (
                verification_id {bigint} NOT NULL REFERENCES verifications (id),
                item TEXT NOT NULL,
                result TEXT NOT NULL,
                note TEXT NOT NULL,
                recorded_by {bigint} NOT NULL REFERENCES users (id),
                at TEXT NOT NULL,
                PRIMARY KEY (verification_id, item)
            )
            """,
            """
            CREATE TABLE notifications (
                id {id},
                user_id {bigint} NOT NULL REFERENCES users (id),
                event_id {bigint} NOT NULL REFERENCES events (id),
                subject TEXT NOT NULL,
                created_at TEXT NOT NULL,
                read_at TEXT
            )
            """,
            "CREATE INDEX notifications_user ON notifications (user_id, id)",
            """
            CREATE TABLE mail_queue (
                id {id},
                notification_id {bigint} NOT NULL REFERENCES notifications (id),
                to_address TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL,
                sent_at TEXT,
                attempts {bigint} NOT NULL
            )
            """,
            "CREATE INDEX mail_queue_pending ON mail_queue (sent_at, id)",
        ]),
        Migration(version: 3, name: "transparency", statements: [
            // Public keys only; the private halves live in files under the keys directory.
            """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                authority TEXT NOT NULL,
                public_key TEXT NOT NULL,
                created_at TEXT NOT NULL,
                retired_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX signing_keys_active ON signing_keys (authority) WHERE retired_at IS NULL",
            """
            CREATE TABLE credentials (
                id {id},
                license_id {bigint} NOT NULL REFERENCES licenses (id),
                version {bigint} NOT NULL,
                list TEXT NOT NULL,
                idx {bigint} NOT NULL,
                status {bigint} NOT NULL,
                kid TEXT NOT NULL REFERENCES signing_keys (kid),
                jws TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                UNIQUE (license_id, version),
                UNIQUE (list, idx)
            )
            """,
            "CREATE INDEX credentials_list_status ON credentials (list, status)",
            // One row: the log's size. Appenders update it first, which queues them one behind another.
            "CREATE TABLE log_head (id {bigint} PRIMARY KEY, size {bigint} NOT NULL)",
            "INSERT INTO log_head (id, size) VALUES (1, 0)",
            """
            CREATE TABLE log_entries (
                idx {bigint} PRIMARY KEY,
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                entry {blob} NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX log_entries_subject ON log_entries (subject, idx)",
            // Every complete subtree's hash, at its position in append order (Merkle.Node.storageIndex).
            "CREATE TABLE log_hashes (id {bigint} PRIMARY KEY, hash {blob} NOT NULL)",
            "CREATE TABLE log_checkpoints (size {bigint} PRIMARY KEY, note TEXT NOT NULL, at TEXT NOT NULL)",
        ]),
        Migration(version: 4, name: "supervision", statements: [
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
        ]),
        Migration(version: 5, name: "inspection_work", statements: [
            """
            CREATE TABLE inspection_findings (
                inspection_id {bigint} NOT NULL REFERENCES inspections (id),
                position {bigint} NOT NULL,
                item TEXT NOT NULL,
                result TEXT NOT NULL,
                note TEXT NOT NULL,
                PRIMARY KEY (inspection_id, position)
            )
            """,
            """
            CREATE TABLE inspection_samples (
                inspection_id {bigint} NOT NULL REFERENCES inspections (id),
                position {bigint} NOT NULL,
                product TEXT NOT NULL,
                batch TEXT NOT NULL,
                quantity TEXT NOT NULL,
                lab TEXT NOT NULL,
                report_no TEXT NOT NULL,
                lab_result TEXT NOT NULL,
                PRIMARY KEY (inspection_id, position)
            )
            """,
            // Evidence files are uploads (stored by SHA-256); this binds them to the inspection.
            """
            CREATE TABLE inspection_evidence (
                inspection_id {bigint} NOT NULL REFERENCES inspections (id),
                sha256 TEXT NOT NULL,
                filename TEXT NOT NULL,
                added_by TEXT NOT NULL,
                added_at TEXT NOT NULL,
                PRIMARY KEY (inspection_id, sha256)
            )
            """,
            """
            CREATE TABLE objections (
                id {id},
                inspection_id {bigint} NOT NULL REFERENCES inspections (id),
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                reason TEXT NOT NULL,
                retest {bigint} NOT NULL,
                state TEXT NOT NULL,
                outcome TEXT NOT NULL,
                filed_at TEXT NOT NULL,
                decided_at TEXT,
                decided_by TEXT
            )
            """,
            "CREATE INDEX objections_inspection ON objections (inspection_id)",
        ]),
        Migration(version: 6, name: "enforcement", statements: [
            // Measures against an enterprise, each linked to its cause (an inspection, a lead, a report).
            """
            CREATE TABLE enforcement_actions (
                id {id},
                number TEXT NOT NULL UNIQUE,
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                authority TEXT NOT NULL,
                kind TEXT NOT NULL,
                cause TEXT NOT NULL,
                state TEXT NOT NULL,
                due_on TEXT,
                note TEXT NOT NULL,
                outcome TEXT NOT NULL,
                license_id {bigint} REFERENCES licenses (id),
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                closed_at TEXT
            )
            """,
            "CREATE INDEX enforcement_uscc ON enforcement_actions (uscc, id)",
            "CREATE INDEX enforcement_authority ON enforcement_actions (authority, state)",
        ]),
        Migration(version: 7, name: "duties_and_leads", statements: [
            // Public self-declarations (product standards applied, quality commitment); every version kept.
            """
            CREATE TABLE declarations (
                id {id},
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                kind TEXT NOT NULL,
                version {bigint} NOT NULL,
                body TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                UNIQUE (uscc, kind, version)
            )
            """,
            // Quality-safety accidents; due_at is the occurrence plus the reporting window in force when reported.
            """
            CREATE TABLE accident_reports (
                id {id},
                number TEXT NOT NULL UNIQUE,
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                authority TEXT NOT NULL,
                product TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                reported_at TEXT NOT NULL,
                due_at TEXT NOT NULL,
                description TEXT NOT NULL,
                injuries {bigint} NOT NULL,
                deaths {bigint} NOT NULL,
                measures TEXT NOT NULL,
                reported_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX accident_reports_authority ON accident_reports (authority, id)",
            """
            CREATE TABLE recalls (
                id {id},
                number TEXT NOT NULL UNIQUE,
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                authority TEXT NOT NULL,
                product TEXT NOT NULL,
                batches TEXT NOT NULL,
                defect TEXT NOT NULL,
                quantity {bigint} NOT NULL,
                decided_on TEXT NOT NULL,
                reported_on TEXT NOT NULL,
                due_on TEXT NOT NULL,
                state TEXT NOT NULL,
                recovered {bigint} NOT NULL,
                summary TEXT NOT NULL,
                reported_by TEXT NOT NULL,
                closed_at TEXT
            )
            """,
            "CREATE INDEX recalls_authority ON recalls (authority, id)",
            """
            CREATE TABLE recall_updates (
                recall_id {bigint} NOT NULL REFERENCES recalls (id),
                position {bigint} NOT NULL,
                at TEXT NOT NULL,
                recovered {bigint} NOT NULL,
                note TEXT NOT NULL,
                added_by TEXT NOT NULL,
                PRIMARY KEY (recall_id, position)
            )
            """,
            // The yearly self-inspection report, one per enterprise and year, due by 30 June of the next year.
            """
            CREATE TABLE self_reports (
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                year {bigint} NOT NULL,
                authority TEXT NOT NULL,
                due_on TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                body TEXT NOT NULL,
                submitted_by TEXT NOT NULL,
                PRIMARY KEY (uscc, year)
            )
            """,
            // Reminders sent, so the sweep sends each one once.
            """
            CREATE TABLE duty_reminders (
                uscc TEXT NOT NULL,
                duty TEXT NOT NULL,
                period TEXT NOT NULL,
                stage TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                PRIMARY KEY (uscc, duty, period, stage)
            )
            """,
            // Problem leads: complaints and reports from the public (the reporter keeps a tracking code, stored
            // only as its hash), failed spot checks and accident reports. Officers open flying inspections from them.
            """
            CREATE TABLE leads (
                id {id},
                number TEXT NOT NULL UNIQUE,
                tracking_hash TEXT UNIQUE,
                source TEXT NOT NULL,
                authority TEXT NOT NULL,
                uscc TEXT,
                subject TEXT NOT NULL,
                product TEXT NOT NULL,
                description TEXT NOT NULL,
                contact TEXT NOT NULL,
                cause TEXT,
                state TEXT NOT NULL,
                inspection_id {bigint} REFERENCES inspections (id),
                reply TEXT NOT NULL,
                created_at TEXT NOT NULL,
                closed_at TEXT,
                closed_by TEXT
            )
            """,
            "CREATE INDEX leads_authority ON leads (authority, state, id)",
        ]),
        Migration(version: 8, name: "labs", statements: [
            // The testing-lab registry. A lab's code is made from its id, so a withdrawn lab's code is never reused.
            """
            CREATE TABLE labs (
                id {id},
                code TEXT UNIQUE,
                name TEXT NOT NULL,
                uscc TEXT NOT NULL,
                cma_number TEXT NOT NULL UNIQUE,
                grade {bigint} NOT NULL,
                division_code TEXT NOT NULL REFERENCES divisions (code),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE lab_periods (
                lab_id {bigint} NOT NULL REFERENCES labs (id),
                since TEXT NOT NULL,
                until TEXT,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (lab_id, since)
            )
            """,
            """
            CREATE TABLE lab_scopes (
                id {id},
                lab_id {bigint} NOT NULL REFERENCES labs (id),
                unit_no TEXT NOT NULL,
                standard TEXT NOT NULL,
                from_on TEXT NOT NULL,
                until TEXT
            )
            """,
            "CREATE INDEX lab_scopes_lab ON lab_scopes (lab_id)",
            // Users who act for a lab: they upload its reports.
            """
            CREATE TABLE lab_members (
                user_id {bigint} PRIMARY KEY REFERENCES users (id),
                lab_id {bigint} NOT NULL REFERENCES labs (id)
            )
            """,
            // A test report as its lab filed it; an application names it by lab and report number.
            """
            CREATE TABLE test_reports (
                id {id},
                lab_id {bigint} NOT NULL REFERENCES labs (id),
                report_no TEXT NOT NULL,
                uscc TEXT NOT NULL,
                units TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                conclusion TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                filed_at TEXT NOT NULL,
                UNIQUE (lab_id, report_no)
            )
            """,
        ]),
        Migration(version: 9, name: "credit", statements: [
            // Entries on the abnormal-operation (经营异常名录) and serious-violation (严重违法失信名单) lists (DOMAIN.md §10).
            """
            CREATE TABLE credit_entries (
                id {id},
                number TEXT NOT NULL UNIQUE,
                uscc TEXT NOT NULL REFERENCES enterprises (uscc),
                list TEXT NOT NULL,
                cause TEXT NOT NULL,
                note TEXT NOT NULL,
                authority TEXT NOT NULL,
                listed_on TEXT NOT NULL,
                earliest_removal TEXT NOT NULL,
                ends_on TEXT,
                removed_on TEXT,
                removal TEXT NOT NULL,
                moved_from {bigint},
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX credit_entries_uscc ON credit_entries (uscc, list)",
            """
            CREATE TABLE credit_repairs (
                id {id},
                entry_id {bigint} NOT NULL REFERENCES credit_entries (id),
                statement TEXT NOT NULL,
                state TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                filed_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                decision TEXT NOT NULL
            )
            """,
            "CREATE INDEX credit_repairs_entry ON credit_repairs (entry_id)",
            // Life bans of institutions and persons who lost credit.
            """
            CREATE TABLE bans (
                id {id},
                number TEXT NOT NULL UNIQUE,
                subject_kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                name TEXT NOT NULL,
                cause TEXT NOT NULL,
                authority TEXT NOT NULL,
                since TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (subject_kind, subject)
            )
            """,
        ]),
        Migration(version: 10, name: "ccc", statements: [
            // Certification bodies (CCC) and the certificates they report; a certificate's number is its identity.
            """
            CREATE TABLE cert_bodies (
                id {id},
                code TEXT UNIQUE,
                name TEXT NOT NULL,
                uscc TEXT NOT NULL,
                approval_number TEXT NOT NULL UNIQUE,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE ccc_certificates (
                number TEXT PRIMARY KEY,
                holder_uscc TEXT NOT NULL,
                product TEXT NOT NULL,
                standard TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                imported_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX ccc_certificates_holder ON ccc_certificates (holder_uscc)",
        ]),
        Migration(version: 11, name: "credit_repairs_pending", statements: [
            // At most one repair application waits for a decision per entry, also under concurrent requests.
            "CREATE UNIQUE INDEX credit_repairs_one_pending ON credit_repairs (entry_id) WHERE state = 'pending'",
        ]),
        Migration(version: 12, name: "sharing", statements: [
            // The writing transaction of each event, so the change feed can read in commit-safe order (FeedCursor).
            "ALTER TABLE events ADD COLUMN tx {bigint} NOT NULL DEFAULT {xact}",
            "CREATE INDEX events_feed ON events (tx, id)",
            """
            CREATE TABLE agency_clients (
                user_id {bigint} PRIMARY KEY REFERENCES users (id),
                agency TEXT NOT NULL,
                sector TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE webhooks (
                id {id},
                client_id {bigint} NOT NULL REFERENCES agency_clients (user_id),
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                scopes TEXT NOT NULL,
                position TEXT NOT NULL,
                active {bigint} NOT NULL,
                failures {bigint} NOT NULL,
                next_attempt_at TEXT NOT NULL,
                lease_until TEXT,
                last_error TEXT,
                last_delivered_at TEXT,
                disabled_reason TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX webhooks_client ON webhooks (client_id)",
            """
            CREATE TABLE webhook_dead_letters (
                id {id},
                webhook_id {bigint} NOT NULL REFERENCES webhooks (id),
                from_position TEXT NOT NULL,
                to_position TEXT NOT NULL,
                events {bigint} NOT NULL,
                body TEXT NOT NULL,
                attempts {bigint} NOT NULL,
                last_error TEXT NOT NULL,
                created_at TEXT NOT NULL,
                redelivered_at TEXT
            )
            """,
            "CREATE INDEX webhook_dead_letters_hook ON webhook_dead_letters (webhook_id, id)",
            """
            CREATE TABLE bulk_dumps (
                day TEXT NOT NULL,
                dataset TEXT NOT NULL,
                format TEXT NOT NULL,
                rows {bigint} NOT NULL,
                bytes {bigint} NOT NULL,
                sha256 TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (day, dataset, format)
            )
            """,
        ]),
        Migration(version: 13, name: "review_bodies", statements: [
            """
            CREATE TABLE review_bodies (
                id {id},
                code TEXT UNIQUE,
                name TEXT NOT NULL,
                uscc TEXT NOT NULL UNIQUE,
                division_code TEXT NOT NULL REFERENCES divisions (code),
                status TEXT NOT NULL,
                status_since TEXT NOT NULL,
                status_reason TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE review_body_history (
                id {id},
                body_id {bigint} NOT NULL REFERENCES review_bodies (id),
                status TEXT NOT NULL,
                since TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX review_body_history_body ON review_body_history (body_id, id)",
            """
            CREATE TABLE review_body_members (
                user_id {bigint} PRIMARY KEY REFERENCES users (id),
                body_id {bigint} NOT NULL REFERENCES review_bodies (id)
            )
            """,
            """
            CREATE TABLE review_body_years (
                body_id {bigint} NOT NULL REFERENCES review_bodies (id),
                year {bigint} NOT NULL,
                report TEXT,
                report_filed_on TEXT,
                report_by TEXT,
                inspection_result TEXT,
                inspection_findings TEXT,
                inspected_on TEXT,
                inspected_by TEXT,
                PRIMARY KEY (body_id, year)
            )
            """,
        ]),
        Migration(version: 14, name: "catalog_drafts", statements: [
            // A draft edition: its changes and the organisations consulted are kept as JSON lists on the row; every
            // change to them is an event on the draft's subject, which is its history.
            """
            CREATE TABLE catalog_drafts (
                id {id},
                code TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                base_edition TEXT NOT NULL,
                edition_code TEXT NOT NULL,
                in_force TEXT NOT NULL,
                state TEXT NOT NULL,
                actions TEXT NOT NULL,
                consultees TEXT NOT NULL,
                comments_until TEXT,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                published_at TEXT
            )
            """,
            """
            CREATE TABLE catalog_draft_comments (
                id {id},
                draft_id {bigint} NOT NULL REFERENCES catalog_drafts (id),
                organisation TEXT NOT NULL,
                body TEXT NOT NULL,
                received_on TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                answer TEXT,
                answered_by TEXT,
                answered_at TEXT
            )
            """,
            "CREATE INDEX catalog_draft_comments_draft ON catalog_draft_comments (draft_id, id)",
        ]),
        Migration(version: 15, name: "dashboard", statements: [
            // The dashboard's figures, folded from the events table: counts by metric, period and three dimensions,
            // and the feed position up to which events have been folded.
            """
            CREATE TABLE dashboard_facts (
                metric TEXT NOT NULL,
                period TEXT NOT NULL,
                d1 TEXT NOT NULL,
                d2 TEXT NOT NULL,
                d3 TEXT NOT NULL,
                n {bigint} NOT NULL,
                PRIMARY KEY (metric, period, d1, d2, d3)
            )
            """,
            "CREATE TABLE dashboard_state (id {bigint} PRIMARY KEY, position TEXT NOT NULL)",
            "INSERT INTO dashboard_state (id, position) VALUES (1, '0-0')",
        ]),
        Migration(version: 16, name: "hardening", statements: [
            // Sign-in failures per key (account from an address, address, account), with the moment (Unix seconds)
            // before which no further attempt is checked.
            """
            CREATE TABLE login_throttle (
                key TEXT PRIMARY KEY,
                failures {bigint} NOT NULL,
                window_start {bigint} NOT NULL,
                next_at {bigint} NOT NULL
            )
            """,
            // Tokens made before this migration expire counted from their creation.
            "ALTER TABLE api_tokens ADD COLUMN expires_at TEXT",
            """
            CREATE TABLE password_resets (
                token_hash TEXT PRIMARY KEY,
                user_id {bigint} NOT NULL REFERENCES users (id),
                created_by {bigint} NOT NULL REFERENCES users (id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT
            )
            """,
            // Who may use an upload: everyone who uploaded those bytes, each on their own.
            """
            CREATE TABLE upload_owners (
                sha256 TEXT NOT NULL REFERENCES uploads (sha256),
                user_id {bigint} NOT NULL REFERENCES users (id),
                created_at TEXT NOT NULL,
                PRIMARY KEY (sha256, user_id)
            )
            """,
            "INSERT INTO upload_owners (sha256, user_id, created_at) SELECT sha256, uploaded_by, created_at FROM uploads",
            // A beacon value stands once a second officer confirms it; the secret must then be revealed by a deadline.
            "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_value TEXT",
            "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_by TEXT",
            "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_at TEXT",
            "ALTER TABLE spot_plans ADD COLUMN beacon_confirmed_by TEXT",
            "ALTER TABLE spot_plans ADD COLUMN reveal_due TEXT",
            "ALTER TABLE spot_plans ADD COLUMN forfeited_at TEXT",
        ]),
    ]

    static func sql(_ statement: String, for kind: Database.Kind) -> String {
        switch kind {
        case .sqlite:
            statement.replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{bigint}", with: "INTEGER")
                .replacingOccurrences(of: "{blob}", with: "BLOB")
                .replacingOccurrences(of: "{xact}", with: "0")
        case .postgres:
            statement.replacingOccurrences(of: "{id}", with: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                .replacingOccurrences(of: "{bigint}", with: "BIGINT")
                .replacingOccurrences(of: "{blob}", with: "BYTEA")
                .replacingOccurrences(of: "{xact}", with: "(pg_current_xact_id()::text::bigint)")
        }
    }

    static func checksum(_ m: Migration) -> String {
        sha256Hex(Data(m.statements.joined(separator: ";\n").utf8))
    }
}

extension Database {
    /// Applies every migration not yet recorded, each in its own transaction, and refuses to run
    /// against a database whose recorded migrations were changed after release.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await write { sql in
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)
                """).run()
        }
        var applied: [String] = []
        for m in Migrations.all {
            let done = try await write { sql -> Bool in
                if kind == .postgres {
                    // Several app servers may start at once; one migrates, the others wait and then see it done.
                    try await sql.raw("SELECT pg_advisory_xact_lock(7419001)").run()
                }
                let rows = try await sql.raw("SELECT checksum FROM schema_migrations WHERE version = \(bind: m.version)").all()
                if let row = rows.first {
                    guard try row.decode(column: "checksum", as: String.self) == Migrations.checksum(m) else {
                        throw StorageError.migrationChanged(m.version)
                    }
                    return true
                }
                for statement in m.statements {
                    try await sql.raw(SQLQueryString(Migrations.sql(statement, for: kind))).run()
                }
                try await sql.raw("""
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (\(bind: m.version), \(bind: m.name), \(bind: Migrations.checksum(m)), \(bind: Timestamp.now()))
                    """).run()
                return false
            }
            if !done { applied.append("\(m.version) \(m.name)") }
        }
        return applied
    }
}

/// Timestamps are stored as UTC ISO 8601 text, which sorts correctly in both databases.
public enum Timestamp {
    public static func now() -> String { string(Date()) }

    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    public static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    /// The day in China a stored timestamp falls on ("" for none): deadlines and pages count China days, not UTC ones.
    public static func chinaDay(_ text: String?) -> String {
        guard let text, let d = date(text) else { return "" }
        return CivilDate(inChinaAt: Int64(d.timeIntervalSince1970.rounded(.down))).description
    }
}
