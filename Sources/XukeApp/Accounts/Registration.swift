import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// Enterprises letting themselves in: self-registration with a copy of the business licence and a confirmed address,
/// the link to the enterprise approved by an officer of its area (or by the register itself, when
/// `XUKE_SIGNUP_AUTO_APPROVE` is on and the names match), enterprise administrators who add and remove their
/// enterprise's users, and passwords reset by a mailed one-time link. Every step is an event; the public routes are
/// rate-limited per client, and mail to one address is capped per day.
struct RegistrationService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let accounts: AccountService
    let blobs: any BlobStore
    let notifier: Notifier

    /// Hours a registration's confirmation link, and a set-password link for an added user, stay usable.
    static let linkHours = 24
    /// Hours a self-service password-reset link stays usable.
    static let resetHours = 1
    /// Registrations one address may start in a day; reset links one account may get in a day.
    static let perAddressPerDay = 3
    /// The business licence copy: a scan or a photo.
    static let maxLicenceBytes = 10 * 1024 * 1024

    struct SignUp: Sendable {
        var uscc = "", enterpriseName = "", legalRepresentative = "", username = "", displayName = ""
        var password = "", confirm = "", email = ""
    }

    static func licenceName(_ sha256: String) -> String { "registrations/\(sha256.prefix(2))/\(sha256)" }

    // MARK: Signing up

    /// Records a registration and mails its confirmation link. Checks everything first, cheapest first.
    func signUp(_ input: SignUp, licence: Data?) async throws -> Registration {
        let uscc = try USCC(input.uscc.trimmingCharacters(in: .whitespaces).uppercased())
        let name = input.enterpriseName.trimmingCharacters(in: .whitespaces)
        let legal = input.legalRepresentative.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw AppError(.registration.enterpriseName) }
        guard (1...50).contains(legal.count) else { throw AppError(.registration.legalRepresentative) }
        let username = try AccountService.checkedUsername(input.username)
        guard (1...50).contains(input.displayName.count) else { throw AppError(.user.displayName) }
        try accounts.checkPassword(input.password)
        guard input.password == input.confirm else { throw AppError(.user.passwordMismatch) }
        guard input.email.utf8.count <= 320, let email = EmailAddress(input.email) else {
            throw AppError(.mail.address, ["address": String(input.email.prefix(100))])
        }
        guard let licence, !licence.isEmpty else { throw AppError(.registration.licenceMissing) }
        guard licence.count <= Self.maxLicenceBytes else { throw AppError(.registration.licenceTooLarge, ["limit": "10 MiB"]) }
        guard let type = UploadType.sniff(licence) else { throw AppError(.upload.type) }

        let now = clock.now(), stamp = Timestamp.string(now)
        let since = Timestamp.string(now.addingTimeInterval(-86_400))
        // What refuses the registration is checked before its file is kept (and again where it counts, below).
        let registered = try await db.read { sql -> Enterprise? in
            try await refuseTaken(sql, username: username, email: email.value, since: since, now: stamp)
            return try await EnterpriseStore.get(sql, uscc: uscc.value, visibility: .everything)
        }
        let area = registered?.divisionCode ?? areaOf(uscc)
        let hash = try await accounts.hashPassword(input.password)
        let sha = sha256Hex(licence)
        if try await !blobs.exists(Self.licenceName(sha)) { try await blobs.put(Self.licenceName(sha), data: licence) }
        let token = Secrets.token()
        let link = "\(config.effectivePublicURL)/signup/confirm/\(token)"
        let body = notifier.bilingual("mail.signup.body") { _ in
            ["name": input.displayName, "enterprise": name, "uscc": uscc.value, "link": link, "hours": "\(Self.linkHours)"]
        }
        return try await db.write { sql in
            try await RegistrationStore.expirePending(sql, now: stamp)
            try await refuseTaken(sql, username: username, email: email.value, since: since, now: stamp)
            let r = try await RegistrationStore.create(sql, Registration(
                uscc: uscc.value, enterpriseName: name, legalRepresentative: legal, username: username, displayName: input.displayName,
                email: email.value, licenceSha256: sha, licenceType: type.rawValue, area: area, at: stamp),
                passwordHash: hash, tokenHash: Secrets.hash(token), expiresAt: Timestamp.string(now.addingTimeInterval(Double(Self.linkHours) * 3600)))
            try await MailStore.enqueue(sql, userID: nil, to: email.value, subject: notifier.subject("mail.signup.subject"), body: body, at: stamp)
            return r
        }
    }

    /// A username held by an account or an open registration, or an address that started too many today.
    func refuseTaken(_ sql: any SQLDatabase, username: String, email: String, since: String, now: String) async throws {
        guard try await !RegistrationStore.usernameTaken(sql, username, now: now) else { throw AppError(.user.exists, ["username": username]) }
        guard try await RegistrationStore.countByEmail(sql, email, since: since) < Self.perAddressPerDay else {
            throw AppError(.mail.tooMany, ["limit": "\(Self.perAddressPerDay)"])
        }
    }

    /// The division whose officers decide for an enterprise not in the register: the registration authority its USCC
    /// names (characters 3–8), or failing that its province.
    func areaOf(_ uscc: USCC) -> String {
        let code = String(uscc.value.dropFirst(2).prefix(6))
        if division(code) != nil { return code }
        let province = String(code.prefix(2)) + "0000"
        return division(province) != nil ? province : code
    }

    /// The registration a mailed link would confirm, without using the link (the page asks first: a mail scanner
    /// following links must not confirm on the applicant's behalf).
    func pendingRegistration(token: String) async throws -> Registration {
        guard token.utf8.count <= 64, let r = try await db.read({ try await RegistrationStore.byToken($0, tokenHash: Secrets.hash(token), now: clock.stamp) }) else {
            throw AppError(.registration.linkUnusable)
        }
        return r
    }

    /// Confirms the address. The registration then waits for an officer of its area, who is told, and so are the
    /// enterprise's existing users; or, when the setting allows and the register agrees, it is approved at once.
    func confirm(token: String) async throws -> Registration {
        let r = try await pendingRegistration(token: token)
        let stamp = clock.stamp
        let waiting = try await db.write { sql -> Registration in
            guard try await RegistrationStore.advance(sql, id: r.id, from: .emailPending, to: .waiting, at: stamp) else {
                throw AppError(.registration.linkUnusable)
            }
            let eventID = try await Events.append(sql, type: .registrationConfirmed, subject: "registration/\(r.id)", actor: "registration/\(r.id)",
                                                  jurisdiction: r.area, at: stamp, payload: RegistrationEvent(r))
            try await Notifications.deliver(sql, eventID: eventID, uscc: r.uscc, officersOver: r.area,
                                            notice: notifier.notice(r.enterpriseName, EventType.registrationConfirmed.rawValue), except: nil, at: stamp)
            var waiting = r
            waiting.state = .waiting
            return waiting
        }
        guard config.signupAutoApprove else { return waiting }
        let matches = try await db.read { sql -> Bool in
            guard let e = try await EnterpriseStore.get(sql, uscc: r.uscc, visibility: .everything) else { return false }
            let hasUsers = try await !UserStore.enterpriseUsers(sql, uscc: r.uscc).isEmpty
            return !hasUsers && e.name == r.enterpriseName && e.legalRepresentative == r.legalRepresentative
        }
        return matches ? try await approve(id: r.id, by: nil) : waiting
    }

    // MARK: Deciding

    /// Whether the officer's area covers the registration's. Administrators keep accounts, not enterprises' links.
    func requireDecider(_ user: User, _ r: Registration) throws {
        guard user.role == .officer else { throw AppError.roleForbidden }
        guard Jurisdiction(divisionCode: user.jurisdiction).contains(divisionCode: r.area) else { throw AppError(.auth.outsideJurisdiction) }
    }

    func registrations(state: RegistrationState, for user: User, limit: Int, offset: Int) async throws -> [Registration] {
        try await registrationsWithRegister(state: state, for: user, limit: limit, offset: offset).rows
    }

    /// A page of the officer's queue, and which of its enterprises are in the register.
    func registrationsWithRegister(state: RegistrationState, for user: User, limit: Int, offset: Int) async throws -> (rows: [Registration], registered: Set<String>) {
        guard user.role == .officer else { throw AppError.roleForbidden }
        return try await db.read { sql in
            let rows = try await RegistrationStore.list(sql, state: state, areaPrefix: Jurisdiction(divisionCode: user.jurisdiction).prefix, limit: limit, offset: offset)
            return (rows, try await EnterpriseStore.registered(sql, usccs: rows.map(\.uscc)))
        }
    }

    /// A registration beside what the register says of its enterprise.
    func registration(id: Int, for user: User) async throws -> (Registration, Enterprise?) {
        let found = try await db.read { sql -> (Registration, Enterprise?)? in
            guard let r = try await RegistrationStore.get(sql, id: id) else { return nil }
            return (r, try await EnterpriseStore.get(sql, uscc: r.uscc, visibility: .everything))
        }
        guard let (r, e) = found else { throw AppError(.registration.notFound) }
        try requireDecider(user, r)
        return (r, e)
    }

    func licenceCopy(id: Int, for user: User) async throws -> (Data, String) {
        let (r, _) = try await registration(id: id, for: user)
        guard let data = try await blobs.read(Self.licenceName(r.licenceSha256)), sha256Hex(data) == r.licenceSha256 else {
            throw AppError(.upload.missing)
        }
        return (data, r.licenceType)
    }

    /// Links the account to the enterprise: the account is made with the password and the confirmed address given
    /// at sign-up; the enterprise's first account administers the others. `officer` nil: the register agreed.
    func approve(id: Int, by officer: User?) async throws -> Registration {
        let stamp = clock.stamp
        let r = try await db.write { sql -> Registration in
            guard var r = try await RegistrationStore.get(sql, id: id) else { throw AppError(.registration.notFound) }
            if let officer { try requireDecider(officer, r) }
            guard r.state == .waiting else { throw AppError(.registration.notWaiting, ["state": r.state.rawValue]) }
            guard try await EnterpriseStore.get(sql, uscc: r.uscc, visibility: .everything) != nil else {
                throw AppError(.registration.enterpriseUnregistered, ["uscc": r.uscc])
            }
            // The enterprise's row first: two approvals at once count one after the other (the first one's account
            // administers). An account the register approved by itself never does: name and legal representative
            // are public, so only an officer who saw the licence copy makes an administrator.
            try await EnterpriseStore.lockForUpdate(sql, uscc: r.uscc)
            let first = try await UserStore.enterpriseUsers(sql, uscc: r.uscc).isEmpty && officer != nil
            let hash = try await RegistrationStore.passwordHash(sql, id: id).orThrow("registrations.password_hash")
            let actor = officer?.actor ?? "system"
            let user = try await UserStore.create(sql, username: r.username, displayName: r.displayName, passwordHash: hash, role: .enterprise,
                                                  jurisdiction: nil, enterpriseUSCC: r.uscc, email: r.email, enterpriseAdmin: first, actor: actor, at: stamp)
            guard try await RegistrationStore.advance(sql, id: id, from: .waiting, to: .approved, decidedBy: officer?.id, userID: user.id, at: stamp) else {
                throw AppError(.registration.notWaiting, ["state": "changed"])
            }
            try await Events.append(sql, type: .registrationApproved, subject: "registration/\(id)", actor: actor, jurisdiction: r.area, at: stamp,
                                    payload: RegistrationEvent(r, note: first ? "enterprise administrator" : nil))
            let link = "\(config.effectivePublicURL)/login"
            try await MailStore.enqueue(sql, userID: user.id, to: r.email, subject: notifier.subject("mail.signup_approved.subject"),
                                        body: notifier.bilingual("mail.signup_approved.body") { _ in
                                            ["name": r.displayName, "enterprise": r.enterpriseName, "username": r.username, "link": link]
                                        }, at: stamp)
            r.state = .approved
            r.userId = user.id
            return r
        }
        return r
    }

    func refuse(id: Int, reason: String, by officer: User) async throws -> Registration {
        let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(note.count) else { throw AppError(.registration.reason) }
        let stamp = clock.stamp
        return try await db.write { sql in
            guard var r = try await RegistrationStore.get(sql, id: id) else { throw AppError(.registration.notFound) }
            try requireDecider(officer, r)
            guard r.state == .waiting, try await RegistrationStore.advance(sql, id: id, from: .waiting, to: .refused, decidedBy: officer.id, note: note, at: stamp) else {
                throw AppError(.registration.notWaiting, ["state": r.state.rawValue])
            }
            try await Events.append(sql, type: .registrationRefused, subject: "registration/\(id)", actor: officer.actor, jurisdiction: r.area,
                                    at: stamp, payload: RegistrationEvent(r, note: note))
            try await MailStore.enqueue(sql, userID: nil, to: r.email, subject: notifier.subject("mail.signup_refused.subject"),
                                        body: notifier.bilingual("mail.signup_refused.body") { _ in
                                            ["name": r.displayName, "enterprise": r.enterpriseName, "reason": note]
                                        }, at: stamp)
            r.state = .refused
            r.decisionNote = note
            return r
        }
    }

    // MARK: The enterprise's own users

    func requireEnterpriseAdmin(_ user: User) throws -> String {
        guard user.role == .enterprise, user.enterpriseAdmin, let uscc = user.enterpriseUSCC else { throw AppError(.registration.notEnterpriseAdmin) }
        return uscc
    }

    func enterpriseUsers(for user: User) async throws -> [User] {
        let uscc = try requireEnterpriseAdmin(user)
        return try await db.read { try await UserStore.enterpriseUsers($0, uscc: uscc) }
    }

    /// Adds a user to the administrator's enterprise: the account has no password until its owner sets one through
    /// the link mailed to the address given, which also confirms that address.
    func addEnterpriseUser(username raw: String, displayName: String, email text: String, by admin: User) async throws -> User {
        let uscc = try requireEnterpriseAdmin(admin)
        let username = try AccountService.checkedUsername(raw)
        guard (1...50).contains(displayName.count) else { throw AppError(.user.displayName) }
        guard text.utf8.count <= 320, let email = EmailAddress(text) else { throw AppError(.mail.address, ["address": String(text.prefix(100))]) }
        // A password nobody knows: the account is usable only once its owner sets one.
        let unusable = try await accounts.hashPassword(Secrets.token())
        let token = Secrets.token()
        let now = clock.now(), stamp = Timestamp.string(now)
        let link = "\(config.effectivePublicURL)/reset/\(token)"
        return try await db.write { sql in
            guard try await !RegistrationStore.usernameTaken(sql, username, now: stamp) else { throw AppError(.user.exists, ["username": username]) }
            let user = try await UserStore.create(sql, username: username, displayName: displayName, passwordHash: unusable, role: .enterprise,
                                                  jurisdiction: nil, enterpriseUSCC: uscc, actor: admin.actor, at: stamp)
            try await UserStore.createPasswordReset(sql, tokenHash: Secrets.hash(token), userID: user.id, by: admin.id, now: stamp,
                                                    expiresAt: Timestamp.string(now.addingTimeInterval(Double(Self.linkHours) * 3600)), confirmsEmail: email.value)
            try await Events.append(sql, type: .enterpriseUserAdded, subject: "user/\(user.id)", actor: admin.actor, at: stamp,
                                    payload: UserCreated(username: username, role: Role.enterprise.rawValue, jurisdiction: nil, enterprise: uscc))
            let enterprise = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything)?.name ?? uscc
            try await MailStore.enqueue(sql, userID: nil, to: email.value, subject: notifier.subject("mail.user_added.subject"),
                                        body: notifier.bilingual("mail.user_added.body") { _ in
                                            ["name": displayName, "enterprise": enterprise, "by": admin.displayName, "username": username,
                                             "link": link, "hours": "\(Self.linkHours)"]
                                        }, at: stamp)
            return user
        }
    }

    /// Removes a user from the administrator's enterprise: the account is disabled, its sessions and tokens end.
    func removeEnterpriseUser(id: Int, by admin: User) async throws {
        let uscc = try requireEnterpriseAdmin(admin)
        guard id != admin.id else { throw AppError(.user.`self`) }
        let stamp = clock.stamp
        try await db.write { sql in
            guard let user = try await UserStore.get(sql, id: id), user.role == .enterprise, user.enterpriseUSCC == uscc else {
                throw AppError(.user.notFound)
            }
            try await UserStore.setDisabled(sql, userID: id, disabled: true, actor: admin.actor, at: stamp)
            try await Events.append(sql, type: .enterpriseUserRemoved, subject: "user/\(id)", actor: admin.actor, at: stamp,
                                    payload: UserCreated(username: user.username, role: Role.enterprise.rawValue, jurisdiction: nil, enterprise: uscc))
        }
    }

    // MARK: Forgotten passwords

    /// Mails a one-time reset link to every enabled account the username or confirmed address names. Answers the same
    /// whether or not there is one, so the form tells a stranger nothing; an account gets at most three links a day.
    func requestPasswordReset(login raw: String) async throws {
        let login = raw.trimmingCharacters(in: .whitespaces)
        guard (1...320).contains(login.utf8.count) else { throw AppError(.registration.login) }
        let now = clock.now(), stamp = Timestamp.string(now)
        try await db.write { sql in
            for user in try await UserStore.byLogin(sql, login) {
                guard let address = user.email else { continue }
                try await UserStore.lockForUpdate(sql, id: user.id)
                guard try await UserStore.resetsSince(sql, userID: user.id, since: Timestamp.string(now.addingTimeInterval(-86_400))) < Self.perAddressPerDay else { continue }
                let token = Secrets.token()
                try await UserStore.createPasswordReset(sql, tokenHash: Secrets.hash(token), userID: user.id, by: user.id, now: stamp,
                                                        expiresAt: Timestamp.string(now.addingTimeInterval(Double(Self.resetHours) * 3600)),
                                                        event: .userPasswordResetRequested)
                let link = "\(config.effectivePublicURL)/reset/\(token)"
                try await MailStore.enqueue(sql, userID: user.id, to: address, subject: notifier.subject("mail.reset.subject"),
                                            body: notifier.bilingual("mail.reset.body") { _ in
                                                ["name": user.displayName, "username": user.username, "link": link, "hours": "\(Self.resetHours)"]
                                            }, at: stamp)
            }
        }
    }
}
