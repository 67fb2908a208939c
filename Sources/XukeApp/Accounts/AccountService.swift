import Hummingbird
public import XukeStorage
import SQLKit
import HummingbirdBcrypt
import NIOPosix
import NIOCore
import XukeDomain
import Foundation

/// Accounts: sign-in and its throttling, sessions, tokens, password resets, users, and the register of enterprises
/// they act for.
public struct AccountService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    /// Checked when a username is unknown, so a failed sign-in costs the same either way.
    let dummyHash: String
    let signInGates: SignInGates
    /// Words the mail that confirms an address.
    let notifier: Notifier
}

extension AccountService {
    // MARK: Accounts

    static let usernameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_.-")

    /// bcrypt runs on threads of its own: on the shared pool it would queue ahead of SQLite's queries (which run
    /// there too) while their connections stay checked out, and a burst of sign-ins would starve the database.
    static let bcryptPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    func hashPassword(_ password: String) async throws -> String {
        let cost = config.bcryptCost
        return try await Self.bcryptPool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// The throttling keys of a sign-in: the account from this address, and the address against guessing across
    /// accounts. No key covers an account from everywhere: any wait on it would be a wait a stranger can impose on
    /// the owner. An IPv6 client counts by its /64, the block one subscriber is given.
    func signInKeys(username: String, address: String) -> [(String, SignInThrottle)] {
        let window = config.loginWindowMinutes * 60
        let free = config.loginFreeFailures
        let client = IPAddress(address).map { $0.isV4 ? $0.description : IPAddress(bytes: Array($0.bytes.prefix(8)) + Array(repeating: 0, count: 8)).description + "/64" } ?? address
        return [
            ("p:\(client)|\(username)", SignInThrottle(freeFailures: free, maxDelaySeconds: config.loginMaxDelaySeconds, windowSeconds: window)),
            ("a:\(client)", SignInThrottle(freeFailures: free * 4, maxDelaySeconds: config.loginMaxDelaySeconds, windowSeconds: window)),
        ]
    }

    /// Checks a password. The attempt is counted as a failure before the password is checked, in one transaction,
    /// so concurrent attempts cannot all read the same count; a key that must still wait refuses the attempt
    /// unchecked, with the wait in Retry-After. A wait this server has already seen refuses at once, so a burst
    /// never reaches the database; on PostgreSQL attempts on one account also queue here rather than on row locks
    /// with connections checked out.
    func authenticate(username: String, password: String, address: String) async throws -> User {
        try await authenticate(username: username, password: password, address: address) { _, _ in () }.0
    }

    /// The same, running `then` (a session or token to create) in the transaction that takes back the attempt
    /// counted up front, so a successful sign-in costs two writes, not three.
    func authenticate<T: Sendable>(username: String, password: String, address: String,
                                   then: @Sendable (any SQLDatabase, User) async throws -> T) async throws -> (User, T) {
        // A name no account can have is refused before it costs a throttling row (no timing to hide: it cannot exist).
        guard (1...32).contains(username.utf8.count), username.allSatisfy({ Self.usernameCharacters.contains($0) }) else {
            throw AppError(.auth.invalid)
        }
        let keys = signInKeys(username: username, address: address)
        // On PostgreSQL the attempt locks rows; queueing here keeps a burst on one account from holding connections
        // while it waits on those locks. SQLite's single-writer gate already queues writers without a connection.
        let gate = db.kind == .postgres ? signInGates.gate(for: username) : nil
        await gate?.enter()
        let wait: Int
        do {
            let now = clock.seconds
            if let known = signInGates.knownWait(keys.map(\.0), now: now) {
                wait = known
            } else {
                let lock = db.kind == .postgres
                let taken = try await db.write { try await UserStore.takeSignInAttempt($0, keys: keys, now: now, lock: lock) }
                signInGates.remember(taken.nextAt)
                wait = taken.wait
            }
            gate?.leave()
        } catch {
            gate?.leave()
            throw error
        }
        if wait > 0 {
            var e = AppError(.auth.throttled, ["wait": "\(wait)"])
            e.headers[.retryAfter] = String(wait)
            throw e
        }
        let found = try await db.read { try await UserStore.credentials($0, username: username) }
        // Verify against a fixed hash when the user is unknown, so timing does not reveal which usernames exist.
        let hash = found?.1 ?? dummyHash
        let ok = password.utf8.count <= 1024 ? try await Self.bcryptPool.runIfActive { Bcrypt.verify(password, hash: hash) } : false
        guard ok, let (user, _) = found, !user.disabled else {
            throw AppError(.auth.invalid)
        }
        let made = try await db.write { sql in
            try await UserStore.signInSucceeded(sql, keys: keys, forget: [keys[0].0])
            return try await then(sql, user)
        }
        signInGates.forget(keys.map(\.0))
        return (user, made)
    }

    /// Starts a browser session; returns the cookie value (only its hash is stored).
    func startSession(for user: User, in sql: any SQLDatabase) async throws -> String {
        let token = Secrets.token()
        let expires = Timestamp.string(clock.now().addingTimeInterval(Double(config.sessionHours * 3600)))
        try await UserStore.purgeExpiredSessions(sql, now: clock.stamp)
        try await UserStore.createSession(sql, tokenHash: Secrets.hash(token), userID: user.id, csrf: Secrets.token(), at: clock.stamp, expiresAt: expires)
        return token
    }

    struct NewUser: Decodable, Sendable {
        var username: String
        var displayName: String
        var password: String
        var role: String
        var jurisdiction: String?
        var enterpriseUscc: String?
    }

    /// For the command line.
    public func createUser(username: String, displayName: String, password: String, role: String,
                           jurisdiction: String?, enterpriseUSCC: String?) async throws -> User {
        try await createUser(NewUser(username: username, displayName: displayName, password: password, role: role,
                                     jurisdiction: jurisdiction, enterpriseUscc: enterpriseUSCC), actor: "cli")
    }

    /// Creates an account. `alongside` runs in the same transaction, for records that must exist with the account.
    func createUser(_ n: NewUser, actor: String,
                    alongside: (@Sendable (any SQLDatabase, User) async throws -> Void)? = nil) async throws -> User {
        let username = try Self.checkedUsername(n.username)
        guard (1...50).contains(n.displayName.count) else {
            throw AppError(.user.displayName)
        }
        try checkPassword(n.password)
        guard let role = Role(rawValue: n.role) else {
            throw AppError(.user.role, ["role": "\(n.role)"])
        }
        var jurisdiction: String? = nil
        var enterprise: String? = nil
        switch role {
        case .officer, .verifier:
            if let j = n.jurisdiction, !j.isEmpty {
                guard division(j) != nil else {
                    throw DomainError(.division.unknown, ["division_code": "\(j)"])
                }
                jurisdiction = j
            }
        case .enterprise:
            guard let u = n.enterpriseUscc, !u.isEmpty else {
                throw AppError(.user.enterpriseRequired)
            }
            let uscc = try USCC(u)
            guard try await db.read({ try await EnterpriseStore.get($0, uscc: uscc.value, visibility: .everything) }) != nil else {
                throw AppError(.user.enterpriseUnknown, ["uscc": "\(uscc)"])
            }
            enterprise = uscc.value
        case .agency where alongside == nil:
            throw AppError(.user.agencyElsewhere)
        case .administrator, .lab, .agency:
            break
        }
        let hash = try await hashPassword(n.password)
        return try await db.write { sql in
            let user = try await UserStore.create(sql, username: username, displayName: n.displayName, passwordHash: hash, role: role,
                                                  jurisdiction: jurisdiction, enterpriseUSCC: enterprise, actor: actor, at: clock.stamp)
            try await alongside?(sql, user)
            return user
        }
    }

    /// A new account's username, lower-cased: 3–32 of a-z 0-9 _ . -.
    static func checkedUsername(_ raw: String) throws -> String {
        let username = raw.lowercased()
        guard (3...32).contains(username.count), username.allSatisfy({ usernameCharacters.contains($0) }) else {
            throw AppError(.user.username)
        }
        return username
    }

    func checkPassword(_ password: String) throws {
        // bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard password.count >= 10, password.utf8.count <= 72 else {
            throw AppError(.user.password)
        }
    }

    public func createToken(for user: User, name: String) async throws -> (String, UserStore.APIToken) {
        let name = try tokenName(name)
        return try await db.write { try await createToken(for: user, name: name, in: $0) }
    }

    func tokenName(_ name: String) throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...50).contains(name.count) else {
            throw AppError(.token.name)
        }
        return name
    }

    /// `name` as `tokenName` returned it.
    func createToken(for user: User, name: String, in sql: any SQLDatabase) async throws -> (String, UserStore.APIToken) {
        let token = "xk_" + Secrets.token()
        let now = clock.now()
        let expires = Timestamp.string(now.addingTimeInterval(Double(config.tokenDays) * 86400))
        let record = try await UserStore.createToken(sql, userID: user.id, name: name, tokenHash: Secrets.hash(token), now: Timestamp.string(now), expiresAt: expires)
        return (token, record)
    }

    // MARK: Enterprises

    struct EnterpriseInput: Decodable, Sendable {
        var uscc: String
        var name: String
        var domicile: String
        var divisionCode: String
        var legalRepresentative: String
        var contactName: String?
        var contactPhone: String?
        var productionAddresses: [ProductionAddress]?

        func enterprise() throws -> Enterprise {
            Enterprise(uscc: try USCC(uscc.trimmingCharacters(in: .whitespaces).uppercased()),
                       name: name.trimmingCharacters(in: .whitespaces), domicile: domicile.trimmingCharacters(in: .whitespaces),
                       divisionCode: divisionCode, legalRepresentative: legalRepresentative.trimmingCharacters(in: .whitespaces),
                       contactName: contactName ?? "", contactPhone: contactPhone ?? "", productionAddresses: productionAddresses ?? [])
        }
    }

    func checkJurisdiction(_ user: User, covers divisionCode: String) throws {
        switch user.role {
        case .administrator:
            return
        case .officer:
            guard Jurisdiction(divisionCode: user.jurisdiction).contains(divisionCode: divisionCode) else {
                throw AppError(.auth.outsideJurisdiction)
            }
        default:
            throw AppError.roleForbidden
        }
    }

    func registerEnterprise(_ input: EnterpriseInput, by user: User) async throws -> Enterprise {
        let e = try input.enterprise()
        try e.validate { division($0) != nil }
        try checkJurisdiction(user, covers: e.divisionCode)
        try await db.write { try await EnterpriseStore.create($0, e, actor: user.actor, at: clock.stamp) }
        return e
    }

    func updateEnterprise(uscc: String, _ input: EnterpriseInput, by user: User) async throws -> Enterprise {
        var e = try input.enterprise()
        guard e.uscc.value == uscc else {
            throw AppError(.enterprise.usccImmutable)
        }
        try e.validate { division($0) != nil }
        let visibility = user.visibility
        return try await db.write { sql in
            guard let current = try await EnterpriseStore.get(sql, uscc: uscc, visibility: visibility) else {
                throw AppError.notFound(uscc)
            }
            if user.role == .enterprise {
                // An enterprise edits its contact details and addresses; its registered domicile and name change by application.
                e.name = current.name
                e.divisionCode = current.divisionCode
                e.domicile = current.domicile
            } else {
                try checkJurisdiction(user, covers: e.divisionCode)
            }
            try await EnterpriseStore.update(sql, e, actor: user.actor, at: clock.stamp)
            return e
        }
    }
}
