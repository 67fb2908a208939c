import HTTPTypes
import XukeDomain

/// Every route's declared policy, by method and path as the router names them. The authorization matrix test
/// fails when a route of the router is missing here, when an entry names no route, or when a route answers a
/// role differently from what its entry says.
enum RoutePolicies {
    static func policy(_ method: HTTPRequest.Method, _ path: String) -> RoutePolicy? {
        table["\(method.rawValue) \(path)"]
    }

    private static let kib = RoutePolicy.kib
    private static let mib = RoutePolicy.mib

    static let table: [String: RoutePolicy] = [
        "GET /api/v1/public/risk": .anyone().rateLimited,  // API.swift
        "GET /api/v1/catalog/editions": .anyone(),  // API.swift
        "GET /api/v1/catalog/editions/{code}": .anyone(),  // API.swift
        "GET /api/v1/catalog/editions/{code}/csv": .anyone(),  // API.swift
        "GET /api/v1/catalog/diff": .anyone(),  // API.swift
        "GET /api/v1/catalog/licensability": .anyone(),  // API.swift
        "GET /api/v1/catalog/reform-actions": .anyone(),  // API.swift
        "GET /api/v1/catalog/ccc-transfers": .anyone(),  // API.swift
        "GET /api/v1/calendar/add": .anyone(),  // API.swift
        "GET /api/v1/calendar/count": .anyone(),  // API.swift
        "GET /api/v1/calendar/days": .anyone(),  // API.swift
        "GET /api/v1/divisions": .anyone(),  // API.swift
        "GET /api/v1/divisions/{code}": .anyone(),  // API.swift
        "POST /api/v1/auth/token": .anyone().rateLimited,  // API.swift
        "GET /api/v1/me": .signedIn(),  // API.swift
        "GET /api/v1/me/tokens": .signedIn(),  // API.swift
        "GET /api/v1/me/email": .signedIn(),  // AccountAPI.swift
        "POST /api/v1/me/email": .signedIn(),  // AccountAPI.swift
        "DELETE /api/v1/me/email": .signedIn(),  // AccountAPI.swift
        "POST /api/v1/email-confirmations/{token}": .anyone().rateLimited,  // AccountAPI.swift
        "GET /api/v1/admin/mail": .only(.administrator),  // MailRoutes.swift
        "POST /api/v1/admin/mail/{id}/retry": .only(.administrator),  // MailRoutes.swift
        "GET /admin/mail": .only(.administrator),  // MailRoutes.swift
        "POST /admin/mail/{id}/retry": .only(.administrator),  // MailRoutes.swift
        "POST /account/email": .signedIn(),  // AccountPages.swift
        "POST /account/email/remove": .signedIn(),  // AccountPages.swift
        "GET /account/email/confirm/{token}": .anyone().rateLimited,  // AccountPages.swift
        "POST /account/email/confirm/{token}": .anyone().rateLimited,  // AccountPages.swift
        "POST /api/v1/me/tokens": .signedIn(),  // API.swift
        "DELETE /api/v1/me/tokens/{id}": .signedIn(),  // API.swift
        "GET /api/v1/enterprises": .signedIn(),  // API.swift
        "POST /api/v1/enterprises": .only(.administrator, .officer),  // API.swift
        "GET /api/v1/enterprises/{uscc}": .signedIn(),  // API.swift
        "POST /api/v1/enterprises/import": .only(.administrator, .officer, maxBody: 64 * mib),  // AccountAPI.swift
        "GET /enterprises/import": .only(.administrator, .officer),  // EnterprisePages.swift
        "POST /enterprises/import": .only(.administrator, .officer, maxBody: 64 * mib),  // EnterprisePages.swift
        "PUT /api/v1/enterprises/{uscc}": .signedIn(),  // API.swift
        "POST /api/v1/catalog/editions": .only(.administrator, maxBody: 8 * mib),  // API.swift
        "POST /api/v1/calendar/import": .only(.administrator, maxBody: 8 * mib),  // API.swift
        "GET /api/v1/users": .only(.administrator),
        "POST /api/v1/users/{id}/disable": .only(.administrator),
        "POST /api/v1/users/{id}/enable": .only(.administrator),
        "POST /api/v1/users/{id}/password-reset": .only(.administrator),
        "GET /reset/{token}": .anyone().rateLimited,
        "POST /reset/{token}": .anyone().rateLimited,
        // Enterprises letting themselves in (RegistrationPages.swift, RegistrationAPI.swift); the sign-up carries the licence copy.
        "GET /signup": .anyone().rateLimited,
        "POST /signup": .anyone(11 * mib).rateLimited,
        "GET /signup/confirm/{token}": .anyone().rateLimited,
        "POST /signup/confirm/{token}": .anyone().rateLimited,
        "GET /password/forgot": .anyone().rateLimited,
        "POST /password/forgot": .anyone().rateLimited,
        "GET /registrations": .only(.officer),
        "GET /registrations/{id}": .only(.officer),
        "GET /registrations/{id}/licence": .only(.officer),
        "POST /registrations/{id}/approve": .only(.officer),
        "POST /registrations/{id}/refuse": .only(.officer),
        "GET /enterprise/users": .only(.enterprise),
        "POST /enterprise/users": .only(.enterprise),
        "POST /enterprise/users/{id}/remove": .only(.enterprise),
        "POST /api/v1/registrations": .anyone(11 * mib).rateLimited,
        "POST /api/v1/registrations/confirm/{token}": .anyone().rateLimited,
        "POST /api/v1/password-resets": .anyone().rateLimited,
        "GET /api/v1/registrations": .only(.officer),
        "GET /api/v1/registrations/{id}": .only(.officer),
        "POST /api/v1/registrations/{id}/approve": .only(.officer),
        "POST /api/v1/registrations/{id}/refuse": .only(.officer),
        "GET /api/v1/enterprise/users": .only(.enterprise),
        "POST /api/v1/enterprise/users": .only(.enterprise),
        "DELETE /api/v1/enterprise/users/{id}": .only(.enterprise),
        "POST /admin/users/{id}/{action}": .only(.administrator),  // API.swift
        "POST /api/v1/users": .only(.administrator),  // API.swift
        "GET /api/v1/events": .only(.administrator),  // API.swift
        "GET /api/v1/catalog/drafts/{code}": .anyone().rateLimited,  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts": .national(),  // CatalogGovernanceAPI.swift
        "PUT /api/v1/catalog/drafts/{code}/actions": .national(),  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts/{code}/consultation": .national(),  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts/{code}/comments": .national(),  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts/{code}/comments/{id}/answer": .national(),  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts/{code}/withdraw": .national(),  // CatalogGovernanceAPI.swift
        "POST /api/v1/catalog/drafts/{code}/publish": .national(),  // CatalogGovernanceAPI.swift
        "GET /api/v1/public/enterprises/{uscc}/declarations": .anyone().rateLimited,  // DutiesAPI.swift
        "GET /api/v1/public/recalls": .anyone().rateLimited,  // DutiesAPI.swift
        "POST /api/v1/public/reports": .anyone().rateLimited,  // DutiesAPI.swift
        "POST /api/v1/public/reports/track": .anyone().rateLimited,  // DutiesAPI.swift
        "POST /api/v1/declarations": .only(.enterprise),  // DutiesAPI.swift
        "GET /api/v1/accidents": .only(.enterprise, .officer),  // DutiesAPI.swift
        "POST /api/v1/accidents": .only(.enterprise),  // DutiesAPI.swift
        "GET /api/v1/recalls": .only(.enterprise, .officer),  // DutiesAPI.swift
        "GET /api/v1/recalls/{number}": .only(.enterprise, .officer),  // DutiesAPI.swift
        "POST /api/v1/recalls": .only(.enterprise),  // DutiesAPI.swift
        "POST /api/v1/recalls/{number}/progress": .only(.enterprise),  // DutiesAPI.swift
        "GET /api/v1/self-reports": .only(.enterprise),  // DutiesAPI.swift
        "GET /api/v1/supervision/self-reports": .only(.officer),  // DutiesAPI.swift
        "POST /api/v1/self-reports": .only(.enterprise),  // DutiesAPI.swift
        "GET /api/v1/leads": .only(.officer),  // DutiesAPI.swift
        "GET /api/v1/leads/{number}": .only(.officer),  // DutiesAPI.swift
        "POST /api/v1/leads/{number}/close": .only(.officer),  // DutiesAPI.swift
        "POST /api/v1/inspections/follow-up": .only(.officer),  // DutiesAPI.swift
        "GET /api/v1/public/labs": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/labs/{code}": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/credit": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/bans": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/review-bodies": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/review-bodies/{code}": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/cert-bodies": .anyone().rateLimited,  // InstitutionsAPI.swift
        "GET /api/v1/public/ccc": .anyone().rateLimited,  // InstitutionsAPI.swift
        "POST /api/v1/cert-bodies": .national(),  // InstitutionsAPI.swift
        "POST /api/v1/ccc/import": .national(maxBody: 512 * mib),  // InstitutionsAPI.swift
        "POST /api/v1/credit": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "GET /api/v1/credit/{number}": .signedIn(),  // InstitutionsAPI.swift
        "POST /api/v1/credit/{number}/repairs": .only(.enterprise),  // InstitutionsAPI.swift
        "POST /api/v1/credit-repairs/{id}": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/bans": .national(),  // InstitutionsAPI.swift
        "POST /api/v1/labs": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/labs/{code}/status": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/labs/{code}/scopes": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/labs/{code}/members": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/review-bodies": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/review-bodies/{code}/status": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/review-bodies/{code}/members": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/review-bodies/{code}/inspections": .only(.administrator, .officer),  // InstitutionsAPI.swift
        "POST /api/v1/review-reports": .only(.verifier),  // InstitutionsAPI.swift
        "POST /api/v1/test-reports": .only(.lab),  // InstitutionsAPI.swift
        "GET /api/v1/progress/{number}": .anyone().rateLimited,  // LicensingAPI.swift
        "GET /api/v1/licensing/rules": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/delegations": .signedIn(),  // LicensingAPI.swift
        "PUT /api/v1/delegations/{province}": .only(.administrator, .officer),  // LicensingAPI.swift
        "POST /api/v1/uploads": .only(.enterprise, .officer, .verifier, .lab, maxBody: 21 * mib),  // LicensingAPI.swift
        "POST /api/v1/applications": .only(.enterprise),  // LicensingAPI.swift
        "GET /api/v1/applications": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/applications/{id}": .signedIn(),  // LicensingAPI.swift
        "POST /api/v1/applications/{id}/{action}": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/applications/{id}/materials/{position}": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/verifications": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/verifications/{id}": .signedIn(),  // LicensingAPI.swift
        "POST /api/v1/verifications/{id}/findings": .only(.verifier),  // LicensingAPI.swift
        "POST /api/v1/verifications/{id}/conclusion": .only(.verifier),  // LicensingAPI.swift
        "POST /api/v1/verifications/{id}/assign": .only(.officer),  // LicensingAPI.swift
        "POST /api/v1/licenses/import": .only(.administrator, .officer, maxBody: 64 * mib),  // LicensingAPI.swift
        "GET /licenses/import": .only(.administrator, .officer),  // LicensingPages.swift
        "POST /licenses/import": .only(.administrator, .officer, maxBody: 64 * mib),  // LicensingPages.swift
        // Official documents (DocumentPages.swift): the addressee, the officers over the authority, administrators; the check by anyone.
        "GET /documents/{id}": .signedIn(),
        "GET /documents/{id}/pdf": .signedIn().rateLimited,
        "GET /d/{id}/{digest}": .anyone().rateLimited,
        "POST /documents/{id}/remedies": .only(.officer),
        "GET /api/v1/documents/{id}": .signedIn(),
        "GET /api/v1/applications/{id}/documents": .signedIn(),
        // Organising the officers (Organisation.swift): handlers, sign-off chains, each authority's settings.
        "GET /applications/export": .only(.officer, .administrator),
        // Remedies (Remedies.swift): hearings before a revocation or withdrawal, reconsideration and litigation.
        "GET /api/v1/licenses/{id}/hearings": .signedIn(),
        "GET /licenses/{id}/hearings": .signedIn(),  // HearingPages.swift
        "POST /licenses/{id}/hearings": .only(.officer),
        "POST /hearings/{id}/{step}": .only(.officer, .enterprise),
        "POST /api/v1/licenses/{id}/hearings": .only(.officer),
        "POST /api/v1/hearings/{id}/request": .only(.enterprise),
        "POST /api/v1/hearings/{id}/schedule": .only(.officer),
        "POST /api/v1/hearings/{id}/record": .only(.officer),
        "GET /api/v1/documents/{id}/remedies": .signedIn(),
        "POST /api/v1/documents/{id}/remedies": .only(.officer),
        "GET /authority/settings": .only(.officer),
        "POST /authority/settings": .only(.officer),
        "POST /api/v1/applications/{id}/handler": .only(.officer),
        "POST /api/v1/applications/{id}/sign": .only(.officer),
        "POST /api/v1/applications/{id}/return": .only(.officer),
        "GET /api/v1/applications/{id}/signoffs": .only(.officer),
        "GET /api/v1/authorities/{authority}/settings": .only(.officer, .administrator),
        "PUT /api/v1/authorities/{authority}/settings": .only(.officer),
        "PUT /api/v1/users/{id}/rank": .only(.administrator),
        "GET /api/v1/licenses/{id}": .signedIn(),  // LicensingAPI.swift
        "GET /api/v1/licenses/{id}/versions": .signedIn(),  // LicensingAPI.swift
        "POST /api/v1/licenses/{id}/revoke": .only(.officer),  // LicensingAPI.swift
        "GET /api/v1/statistics": .only(.administrator, .officer),  // LicensingAPI.swift
        "GET /api/v1/me/inbox": .signedIn(),  // LicensingAPI.swift
        "POST /api/v1/me/inbox/{id}/read": .signedIn(),  // LicensingAPI.swift
        "POST /api/v1/admin/sweep": .only(.administrator),  // LicensingAPI.swift
        "PUT /api/v1/licensing/rules": .only(.administrator),  // LicensingAPI.swift
        "POST /api/v1/spot-check-results": .only(.administrator),  // LicensingAPI.swift
        "GET /api/v1/public/dumps": .anyone().rateLimited,  // SharingAPI.swift
        "GET /dumps/{day}/{file}": .anyone().rateLimited,  // SharingAPI.swift
        "GET /api/v1/feed": .only(.administrator, .agency),  // SharingAPI.swift
        "GET /api/v1/webhooks": .only(.administrator, .agency),  // SharingAPI.swift
        "POST /api/v1/webhooks": .only(.administrator, .agency),  // SharingAPI.swift
        "GET /api/v1/webhooks/{id}": .only(.administrator, .agency),  // SharingAPI.swift
        "POST /api/v1/webhooks/{id}/enable": .only(.administrator, .agency),  // SharingAPI.swift
        "POST /api/v1/webhooks/{id}/disable": .only(.administrator, .agency),  // SharingAPI.swift
        "GET /api/v1/webhooks/{id}/dead-letters": .only(.administrator, .agency),  // SharingAPI.swift
        "POST /api/v1/dead-letters/{id}/redeliver": .only(.administrator, .agency),  // SharingAPI.swift
        "GET /api/v1/agency-clients": .only(.administrator),  // SharingAPI.swift
        "POST /api/v1/agency-clients": .only(.administrator),  // SharingAPI.swift
        "PUT /api/v1/agency-clients/{id}/scopes": .only(.administrator),  // SharingAPI.swift
        "GET /api/v1/public/plans": .anyone().rateLimited,  // SupervisionAPI.swift
        "GET /api/v1/public/plans/{code}": .anyone().rateLimited,  // SupervisionAPI.swift
        "GET /api/v1/public/plans/{code}/draw.json": .anyone().rateLimited,  // SupervisionAPI.swift
        "GET /api/v1/public/inspections": .anyone().rateLimited,  // SupervisionAPI.swift
        "GET /api/v1/supervision/inspectors": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/supervision/inspectors": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/supervision/delicensed": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/supervision/delicensed": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/plans": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/plans": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/plans/{id}": .only(.officer),  // SupervisionAPI.swift
        "PUT /api/v1/plans/{id}": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/plans/{id}/announce": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/plans/{id}/freeze": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/plans/{id}/beacon": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/plans/{id}/draw": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/plans/{id}/inspections": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/inspections": .signedIn(),  // SupervisionAPI.swift
        "GET /api/v1/inspections/{id}": .signedIn(),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/visit": .only(.officer, .verifier),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/conclude": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/evidence": .only(.officer, .verifier),  // SupervisionAPI.swift
        "GET /api/v1/inspections/{id}/evidence/{sha256}": .signedIn(),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/publish": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/objections": .only(.enterprise),  // SupervisionAPI.swift
        "POST /api/v1/inspections/{id}/objections/{objection}": .only(.officer),  // SupervisionAPI.swift
        "GET /api/v1/enforcement": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/enforcement": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/enforcement/{id}/close": .only(.officer),  // SupervisionAPI.swift
        "POST /api/v1/inspections/flying": .only(.officer),  // SupervisionAPI.swift
        "GET /.well-known/jwks.json": .anyone(),  // TrustAPI.swift
        "GET /status/{list}": .anyone().rateLimited,  // TrustAPI.swift
        "GET /log/checkpoint": .anyone(),  // TrustAPI.swift
        "GET /log/key": .anyone(),  // TrustAPI.swift
        "GET /log/tile/**": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/log/proof/inclusion": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/log/proof/consistency": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/public/licenses": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/public/licenses/{id}/credential": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/public/licenses/{id}/credential.png": .anyone().rateLimited,  // TrustAPI.swift
        "GET /api/v1/public/licenses/{id}/credential.svg": .anyone().rateLimited,  // TrustAPI.swift
        "POST /api/v1/verify": .anyone().rateLimited,  // TrustAPI.swift
        "GET /account": .signedIn(),  // AccountPages.swift
        "POST /account/tokens": .signedIn(),  // AccountPages.swift
        "POST /account/tokens/{id}/revoke": .signedIn(),  // AccountPages.swift
        "POST /account/password": .signedIn(),  // AccountPages.swift
        "GET /admin/users": .only(.administrator),  // AccountPages.swift
        "POST /admin/users": .only(.administrator),  // AccountPages.swift
        "GET /catalog": .anyone(),  // CatalogPages.swift
        "GET /catalog/editions/{code}": .anyone(),  // CatalogPages.swift
        "GET /catalog/diff": .anyone(),  // CatalogPages.swift
        "GET /catalog/check": .anyone(),  // CatalogPages.swift
        "GET /calendar": .anyone(),  // CatalogPages.swift
        "POST /catalog/import": .only(.administrator, maxBody: 8 * mib),  // CatalogPages.swift
        "POST /calendar/import": .only(.administrator, maxBody: 8 * mib),  // CatalogPages.swift
        "GET /dashboard": .anyone().rateLimited,  // DashboardPages.swift
        "GET /dashboard.csv": .anyone().rateLimited,  // DashboardPages.swift
        "GET /catalog/drafts": .anyone().rateLimited,  // DraftPages.swift
        "GET /catalog/drafts/{code}": .anyone().rateLimited,  // DraftPages.swift
        "GET /catalog/drafts/{code}/impact.csv": .anyone().rateLimited,  // DraftPages.swift
        "POST /catalog/drafts": .national(),  // DraftPages.swift
        "POST /catalog/drafts/{code}/{step}": .national(),  // DraftPages.swift
        "GET /recalls": .anyone().rateLimited,  // DutiesPages.swift
        "GET /report": .anyone(),  // DutiesPages.swift
        "POST /report": .anyone().rateLimited,  // DutiesPages.swift
        "GET /report/track": .anyone().rateLimited,  // DutiesPages.swift
        "POST /report/track": .anyone().rateLimited,  // DutiesPages.swift
        "GET /duties": .only(.enterprise),  // DutiesPages.swift
        "POST /duties/{form}": .only(.enterprise),  // DutiesPages.swift
        "GET /enterprises": .signedIn(),  // EnterprisePages.swift
        "GET /enterprises/new": .only(.administrator, .officer),  // EnterprisePages.swift
        "POST /enterprises": .only(.administrator, .officer),  // EnterprisePages.swift
        "GET /enterprises/{uscc}": .only(.administrator, .officer),  // EnterprisePages.swift
        "GET /progress": .anyone().rateLimited,  // LicensingPages.swift
        "GET /applications": .signedIn(),  // LicensingPages.swift
        "GET /applications/new": .only(.enterprise),  // LicensingPages.swift
        "POST /applications": .only(.enterprise, maxBody: 64 * mib),  // LicensingPages.swift
        "GET /applications/{id}": .signedIn(),  // LicensingPages.swift
        "POST /applications/{id}/{action}": .signedIn(64 * mib),  // LicensingPages.swift
        "POST /verifications/{id}/findings": .only(.verifier),  // LicensingPages.swift
        "POST /verifications/{id}/conclusion": .only(.verifier),  // LicensingPages.swift
        "POST /verifications/{id}/assign": .only(.officer),  // LicensingPages.swift
        "GET /licenses/{id}": .signedIn(),  // LicensingPages.swift
        "GET /licenses/{id}/history": .signedIn(),  // LicensingPages.swift
        "GET /inbox": .signedIn(),  // LicensingPages.swift
        "POST /inbox/{id}/read": .signedIn(),  // LicensingPages.swift
        "GET /statistics": .only(.administrator, .officer),  // LicensingPages.swift
        "GET /": .anyone(),  // Pages.swift
        "GET /login": .anyone(),  // Pages.swift
        "POST /login": .anyone().rateLimited,  // Pages.swift
        "POST /logout": .anyone(),  // Pages.swift
        "GET /supervision/plans/new": .only(.officer),  // PlanDeskPages.swift
        "POST /supervision/plans": .only(.officer),  // PlanDeskPages.swift
        "GET /supervision/plans/{id}": .only(.officer),  // PlanDeskPages.swift
        "POST /supervision/plans/{id}/{step}": .only(.officer),  // PlanDeskPages.swift
        "GET /labs": .anyone().rateLimited,  // RegistryPages.swift
        "GET /labs/{code}": .anyone().rateLimited,  // RegistryPages.swift
        "GET /credit": .anyone().rateLimited,  // RegistryPages.swift
        "GET /ccc": .anyone().rateLimited,  // RegistryPages.swift
        "GET /data": .anyone(),  // RegistryPages.swift
        "GET /labs/new": .only(.administrator, .officer),  // RegistryPages.swift
        "POST /labs/new": .only(.administrator, .officer),  // RegistryPages.swift
        "POST /labs/{code}/{action}": .signedIn(),  // RegistryPages.swift
        "POST /ccc/bodies": .national(),  // RegistryPages.swift
        "POST /ccc/import": .national(maxBody: 64 * mib),  // RegistryPages.swift
        "POST /credit/{form}": .signedIn(),  // RegistryPages.swift
        "GET /credit/entries/{number}": .signedIn(),  // RegistryPages.swift
        "GET /lab/reports": .only(.lab),  // RegistryPages.swift
        "POST /lab/reports": .only(.lab, maxBody: 64 * mib),  // RegistryPages.swift
        "GET /review-bodies": .anyone().rateLimited,  // ReviewBodyPages.swift
        "GET /review-bodies/{code}": .anyone().rateLimited,  // ReviewBodyPages.swift
        "GET /review-bodies/new": .only(.administrator, .officer),  // ReviewBodyPages.swift
        "POST /review-bodies/new": .only(.administrator, .officer),  // ReviewBodyPages.swift
        "POST /review-bodies/{code}/{action}": .signedIn(),  // ReviewBodyPages.swift
        "GET /catalog/risk": .anyone().rateLimited,  // RiskPages.swift
        "GET /catalog/risk.csv": .anyone().rateLimited,  // RiskPages.swift
        "GET /sharing": .only(.administrator, .agency),  // SharingPages.swift
        "POST /sharing/clients": .only(.administrator, .agency),  // SharingPages.swift
        "POST /sharing/clients/{id}/scopes": .only(.administrator, .agency),  // SharingPages.swift
        "POST /sharing/webhooks": .only(.administrator, .agency),  // SharingPages.swift
        "POST /sharing/webhooks/{id}/{action}": .only(.administrator, .agency),  // SharingPages.swift
        "POST /sharing/dead-letters/{id}/redeliver": .only(.administrator, .agency),  // SharingPages.swift
        "GET /supervision": .only(.officer),  // SupervisionDeskPages.swift
        "POST /supervision/{form}": .only(.officer),  // SupervisionDeskPages.swift
        "GET /supervision/self-reports": .only(.officer),  // SupervisionDeskPages.swift
        "GET /tasks": .only(.officer, .verifier),  // SupervisionDeskPages.swift
        "GET /inspections/{id}": .signedIn(),  // SupervisionDeskPages.swift
        "POST /inspections/{id}/evidence": .only(.officer, .verifier, maxBody: 64 * mib),  // SupervisionDeskPages.swift
        "POST /inspections/{id}/{action}": .only(.officer, .verifier, .enterprise),  // SupervisionDeskPages.swift
        "GET /plans": .anyone().rateLimited,  // SupervisionPages.swift
        "GET /plans/{code}": .anyone().rateLimited,  // SupervisionPages.swift
        "GET /results": .anyone().rateLimited,  // SupervisionPages.swift
        "GET /query": .anyone(),  // TrustPages.swift
        "GET /public/licenses/{id}": .anyone().rateLimited,  // TrustPages.swift
        "GET /verify": .anyone(),  // TrustPages.swift
        "POST /verify": .anyone(),  // TrustPages.swift
        "GET /healthz": .anyone(),  // SystemRoutes.swift
        "GET /metrics": .anyone(),  // SystemRoutes.swift
        "GET /openapi.json": .anyone(),  // SystemRoutes.swift
        "GET /static/app.css": .anyone(),  // SystemRoutes.swift
    ]
}
