#!/usr/bin/env python3
"""Writes Sources/XukeApp/Resources/static/openapi.json. Edit here, run it, commit both;
the test suite fails when a registered route is missing from the document."""
import json, pathlib

def q(name, desc, required=False, schema=None):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}

def p(name, desc):
    return {"name": name, "in": "path", "required": True, "description": desc, "schema": {"type": "string"}}

ERR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
def op(summary, ok="OK", params=(), body=None, auth=None, status="200", extra=()):
    o = {"summary": summary, "parameters": list(params), "responses": {status: {"description": ok}, "4XX": ERR}}
    if body: o["requestBody"] = {"required": True, "content": body}
    if auth: o["security"] = [{"bearer": []}, {"session": []}]
    return o

JSON = lambda ref: {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
CSV = {"text/csv": {"schema": {"type": "string"}}}
paths = {
 "/healthz": {"get": op("Liveness and database check")},
 "/metrics": {"get": op("Prometheus metrics")},
 "/openapi.json": {"get": op("This document")},
 "/api/v1/catalog/editions": {
   "get": op("Every catalog edition, including those known only by their totals"),
   "post": op("Import editions from CSV (administrator); all rows or nothing", body=CSV, auth=True, status="201")},
 "/api/v1/catalog/editions/{code}": {"get": op("One edition with categories and units", params=[p("code", "edition code, e.g. 2024")])},
 "/api/v1/catalog/editions/{code}/csv": {"get": op("Export an edition as CSV (UTF-8 with BOM)", params=[p("code", "edition code")])},
 "/api/v1/catalog/diff": {"get": op("Differences between two editions and the reform actions between them",
                                     params=[q("from", "edition code", True), q("to", "edition code", True)])},
 "/api/v1/catalog/licensability": {"get": op("Is unit U licensable on date D, and by which authority level?",
                                     params=[q("unit", "4-digit unit number", True), q("date", "YYYY-MM-DD, default today in China")])},
 "/api/v1/catalog/reform-actions": {"get": op("Reform actions (cancel, merge, add, delegate, move to CCC)")},
 "/api/v1/catalog/ccc-transfers": {"get": op("Products moved from licensing to compulsory certification")},
 "/api/v1/calendar/add": {"get": op("A date plus N working days", params=[q("start", "YYYY-MM-DD"), q("days", "working days", schema={"type": "integer"})])},
 "/api/v1/calendar/count": {"get": op("Working days after `from` up to and including `to`", params=[q("from", "YYYY-MM-DD", True), q("to", "YYYY-MM-DD", True)])},
 "/api/v1/calendar/days": {"get": op("Holidays and make-up working days of a year", params=[q("year", "year", schema={"type": "integer"})])},
 "/api/v1/calendar/import": {"post": op("Import a holiday notice (administrator)", body=CSV, auth=True, status="201")},
 "/api/v1/divisions": {"get": op("Administrative divisions: provinces, or the children of `parent`", params=[q("parent", "division code")])},
 "/api/v1/divisions/{code}": {"get": op("One administrative division", params=[p("code", "6-digit GB/T 2260 code")])},
 "/api/v1/auth/token": {"post": op("Create an API token with username and password", body=JSON("PasswordGrant"), status="201")},
 "/api/v1/me": {"get": op("The signed-in user", auth=True)},
 "/api/v1/me/tokens": {"get": op("My API tokens", auth=True), "post": op("Create an API token", body=JSON("TokenRequest"), auth=True, status="201")},
 "/api/v1/me/tokens/{id}": {"delete": op("Revoke one of my API tokens", params=[p("id", "token id")], auth=True, status="204")},
 "/api/v1/enterprises": {
   "get": op("Search enterprises visible to the caller by USCC prefix or name substring", auth=True,
             params=[q("q", "USCC prefix or part of the name"), q("limit", "1–200", schema={"type": "integer"}), q("offset", "offset", schema={"type": "integer"})]),
   "post": op("Register an enterprise (administrator, or officer within jurisdiction)", body=JSON("Enterprise"), auth=True, status="201")},
 "/api/v1/enterprises/{uscc}": {
   "get": op("One enterprise, if visible to the caller", params=[p("uscc", "unified social credit code")], auth=True),
   "put": op("Change an enterprise's details", params=[p("uscc", "unified social credit code")], body=JSON("Enterprise"), auth=True)},
 "/api/v1/users": {"get": op("All users (administrator)", auth=True), "post": op("Create a user (administrator)", body=JSON("NewUser"), auth=True, status="201")},
 "/.well-known/jwks.json": {"get": op("Issuing authorities' Ed25519 public keys as a JWK Set; retired keys stay for what they signed")},
 "/status/{list}": {"get": op("Token Status List (statuslist+jwt, 2 bits: 0 valid, 1 revoked, 2 suspended) of one issuing authority", params=[p("list", "authority: division code or national")])},
 "/log/checkpoint": {"get": op("The transparency log's latest C2SP signed checkpoint (text)")},
 "/log/key": {"get": op("The log's note verifier key: name+keyid+base64(0x01||Ed25519 key)")},
 "/log/tile/{path}": {"get": op("C2SP tlog-tiles: hash tiles <L>/<N>[.p/<W>] and entry bundles entries/<N>[.p/<W>]", params=[p("path", "tile path")])},
 "/api/v1/log/proof/inclusion": {"get": op("RFC 6962 inclusion proof of a log entry (base64 hashes), with the entry's canonical JSON",
   params=[q("index", "leaf index", True, {"type": "integer"}), q("size", "tree size, default the current", schema={"type": "integer"})])},
 "/api/v1/log/proof/consistency": {"get": op("RFC 6962 consistency proof between two tree sizes",
   params=[q("from", "older size", True, {"type": "integer"}), q("to", "newer size, default the current", schema={"type": "integer"})])},
 "/api/v1/public/licenses": {"get": op("Public license query, rate-limited: number, USCC or part of the name; by unit and province",
   params=[q("q", "license number, USCC or part of the enterprise name"), q("unit", "4-digit unit number"), q("province", "province code, e.g. 440000")])},
 "/api/v1/public/licenses/{id}/credential": {"get": op("A license's current e-license credential (compact JWS) and where it sits in the status list and log", params=[p("id", "license id")])},
 "/api/v1/public/licenses/{id}/credential.png": {"get": op("The credential as a QR code (PNG, byte mode, level M)", params=[p("id", "license id")])},
 "/api/v1/public/licenses/{id}/credential.svg": {"get": op("The credential as a QR code (SVG)", params=[p("id", "license id")])},
 "/api/v1/verify": {"post": op("Verify a scanned credential: valid, revoked, suspended, expired, not yet valid or not genuine, with the reason",
   body={"application/json": {"schema": {"type": "object", "properties": {"jws": {"type": "string"}}, "required": ["jws"]}}})},
 "/api/v1/progress/{number}": {"get": op("Public progress of an application by its number: stage and dates, no personal data", params=[p("number", "application number, e.g. SQ2026-000001")])},
 "/api/v1/licensing/rules": {"get": op("Time limits and periods in force", auth=True),
   "put": op("Change time limits (administrator); keys left out keep their defaults", body=JSON("LicensingRules"), auth=True)},
 "/api/v1/delegations": {"get": op("Prefecture and county bureaus each province has named for its categories", auth=True)},
 "/api/v1/delegations/{province}": {"put": op("Replace a province's delegations (that province's officers or an administrator); applied only where the edition in force allows delegation",
   params=[p("province", "province code, e.g. 440000")], body={"application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": {"category_no": {"type": "string"}, "division_code": {"type": "string"}}}}}}, auth=True)},
 "/api/v1/uploads": {"post": op("Upload a document (enterprise): PDF, JPEG or PNG judged from the bytes, at most 20 MiB; stored by SHA-256",
   body={"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, auth=True, status="201")},
 "/api/v1/applications": {
   "get": op("Work list of open applications in the caller's scope, most urgent first", auth=True,
             params=[q("due", "all | overdue | nearly_due"), q("state", "case state"), q("limit", "1–200", schema={"type": "integer"}), q("offset", "offset", schema={"type": "integer"})]),
   "post": op("Submit an application (enterprise): new, renewal, change, reissue or cancellation", body=JSON("Application"), auth=True, status="201")},
 "/api/v1/applications/{id}": {"get": op("One application with its documents, correction notice, clock stops, verifications, clock and events", params=[p("id", "application id")], auth=True)},
 "/api/v1/applications/{id}/{action}": {"post": op(
   "Act on an application: accept, request_correction, supplement, assign_verifiers, rectified, approve, refuse, issue, withdraw, stop_clock, resume_clock. "
   "Send `version` to be refused with 409 if someone acted in between.",
   params=[p("id", "application id"), p("action", "the action")], body=JSON("Action"), auth=True)},
 "/api/v1/applications/{id}/materials/{position}": {"get": op("Download a document (parties to the case only)", params=[p("id", "application id"), p("position", "document number")], auth=True)},
 "/api/v1/verifications": {"get": op("Open site verifications: the officer's authority, or the verifier's own", auth=True)},
 "/api/v1/verifications/{id}": {"get": op("One site verification with its team and findings", params=[p("id", "verification id")], auth=True)},
 "/api/v1/verifications/{id}/findings": {"post": op("Record findings per checklist item (team member)", params=[p("id", "verification id")],
   body={"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}}, auth=True)},
 "/api/v1/verifications/{id}/conclusion": {"post": op("Conclude: pass, fail, or rectify with a deadline (team member)", params=[p("id", "verification id")], body=JSON("Conclusion"), auth=True)},
 "/api/v1/verifications/{id}/assign": {"post": op("Assign 2–4 verifiers to a follow-up verification (officer)", params=[p("id", "verification id")], body=JSON("VerifierList"), auth=True)},
 "/api/v1/licenses/{id}": {"get": op("One license (holder, its authority's officers, administrators)", params=[p("id", "license id")], auth=True)},
 "/api/v1/licenses/{id}/versions": {"get": op("Every version of a license", params=[p("id", "license id")], auth=True)},
 "/api/v1/licenses/{id}/revoke": {"post": op("Revoke a commitment-route license for a false commitment (officer)", params=[p("id", "license id")], body=JSON("Reasons"), auth=True)},
 "/api/v1/statistics": {"get": op("Working days from submission to license: median, mean, 90th percentile by authority, category and route; open, overdue and nearly-due counts",
   params=[q("since", "YYYY-MM-DD, default a year ago")], auth=True)},
 "/api/v1/me/inbox": {"get": op("My notifications, newest first", auth=True)},
 "/api/v1/me/inbox/{id}/read": {"post": op("Mark a notification read", params=[p("id", "notification id")], auth=True, status="204")},
 "/api/v1/admin/sweep": {"post": op("Apply deemed acceptance, deemed renewal and expiry now (administrator; the server also does it hourly)", auth=True)},
 "/api/v1/credit-flags": {"post": op("Record a credit fact: serious_violation or false_commitment (administrator)", body=JSON("CreditFlag"), auth=True, status="201")},
 "/api/v1/spot-check-results": {"post": op("Record a spot-check result as a fact (administrator)", body=JSON("SpotCheckResult"), auth=True, status="201")},
 "/api/v1/events": {"get": op("The event log (administrator)", auth=True,
                      params=[q("after", "event id", schema={"type": "integer"}), q("limit", "1–1000", schema={"type": "integer"}), q("subject", "e.g. enterprise/<uscc>")])},
}
s = lambda **props: {"type": "object", "properties": props}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Xuke API", "version": "1", "description": "Industrial product production licensing. Errors are {\"error\":{\"code\",\"message\"}} in the request's language (Accept-Language or ?lang=)."},
 "paths": paths,
 "components": {
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "session": {"type": "apiKey", "in": "cookie", "name": "xuke_session"}},
  "schemas": {
   "Error": s(error=s(code={"type": "string"}, message={"type": "string"}, problems={"type": "array", "items": s(line={"type": "integer"}, message={"type": "string"})})),
   "PasswordGrant": {**s(username={"type": "string"}, password={"type": "string"}, name={"type": "string"}), "required": ["username", "password"]},
   "TokenRequest": {**s(name={"type": "string", "maxLength": 50}), "required": ["name"]},
   "NewUser": {**s(username={"type": "string"}, display_name={"type": "string"}, password={"type": "string", "minLength": 10},
                   role={"type": "string", "enum": ["admin", "officer", "verifier", "lab", "enterprise"]},
                   jurisdiction={"type": "string"}, enterprise_uscc={"type": "string"}), "required": ["username", "display_name", "password", "role"]},
   "Enterprise": {**s(uscc={"type": "string", "minLength": 18, "maxLength": 18}, name={"type": "string", "maxLength": 100},
                      domicile={"type": "string", "maxLength": 200}, division_code={"type": "string", "pattern": "^[0-9]{6}$"},
                      legal_representative={"type": "string", "maxLength": 50}, contact_name={"type": "string", "maxLength": 50},
                      contact_phone={"type": "string", "maxLength": 20},
                      production_addresses={"type": "array", "items": s(address={"type": "string"}, division_code={"type": "string"})}),
                  "required": ["uscc", "name", "domicile", "division_code", "legal_representative"]},
   "LicensingRules": s(acceptance_days={"type": "integer"}, verification_days={"type": "integer"}, decision_days={"type": "integer"},
                       issuance_days={"type": "integer"}, follow_up_days={"type": "integer"}, renewal_window_months={"type": "integer"},
                       validity_years={"type": "integer"}, spot_check_months={"type": "integer"}, nearly_due_days={"type": "integer"},
                       delegation_below_province_until={"type": "string", "format": "date"}),
   "Material": {**s(kind={"type": "string", "enum": ["business_license", "test_report", "other"]}, sha256={"type": "string"}, filename={"type": "string"},
                    lab={"type": "string"}, report_no={"type": "string"}, report_date={"type": "string", "format": "date"},
                    units={"type": "array", "items": {"type": "string"}}), "required": ["kind", "sha256", "filename"]},
   "Form": s(units={"type": "array", "items": {"type": "string"}}, remove_units={"type": "array", "items": {"type": "string"}},
             production_addresses={"type": "array", "items": s(address={"type": "string"}, division_code={"type": "string"})},
             key_equipment={"type": "array", "items": s(name={"type": "string"}, model={"type": "string"}, quantity={"type": "integer"})},
             quality_staff={"type": "array", "items": s(name={"type": "string"}, role={"type": "string"}, qualification={"type": "string"})},
             new_name={"type": "string"}, new_domicile={"type": "string"}, statement={"type": "string"}),
   "Application": {**s(kind={"type": "string", "enum": ["new", "renewal", "change", "reissue", "cancellation"]},
                       route={"type": "string", "enum": ["ordinary", "commitment"]},
                       changes={"type": "array", "items": {"type": "string", "enum": ["name", "domicile", "production_address", "add_units", "remove_units", "conditions"]}},
                       form={"$ref": "#/components/schemas/Form"}, commitment_text={"type": "string"}, simplified={"type": "boolean"},
                       materials={"type": "array", "items": {"$ref": "#/components/schemas/Material"}}), "required": ["kind", "form", "materials"]},
   "Action": s(version={"type": "integer"}, items={"type": "array", "items": {"type": "string"}},
               materials={"type": "array", "items": {"$ref": "#/components/schemas/Material"}}, verifiers={"type": "array", "items": {"type": "integer"}},
               reasons={"type": "string"}, reason={"type": "string", "enum": ["testing", "expert_review", "hearing"]}, note={"type": "string"},
               form={"$ref": "#/components/schemas/Form"}),
   "Finding": {**s(item={"type": "string", "enum": ["premises", "equipment", "testing", "process", "materials", "staff", "quality_system", "product"]},
                   result={"type": "string", "enum": ["conforms", "nonconforming", "not_applicable"]}, note={"type": "string"}), "required": ["item", "result"]},
   "Conclusion": {**s(outcome={"type": "string", "enum": ["pass", "fail", "rectify"]}, summary={"type": "string"}, rectify_by={"type": "string", "format": "date"}),
                  "required": ["outcome", "summary"]},
   "VerifierList": {**s(verifiers={"type": "array", "items": {"type": "integer"}}), "required": ["verifiers"]},
   "Reasons": {**s(reasons={"type": "string"}), "required": ["reasons"]},
   "CreditFlag": {**s(uscc={"type": "string"}, kind={"type": "string", "enum": ["serious_violation", "false_commitment"]}, since={"type": "string", "format": "date"},
                      until={"type": "string", "format": "date"}, note={"type": "string"}), "required": ["uscc", "kind", "since", "note"]},
   "SpotCheckResult": {**s(uscc={"type": "string"}, unit_no={"type": "string"}, level={"type": "string", "enum": ["national", "provincial", "prefecture", "county"]},
                           passed={"type": "boolean"}, checked_on={"type": "string", "format": "date"}, reference={"type": "string"}),
                       "required": ["uscc", "unit_no", "level", "passed", "checked_on", "reference"]},
  }},
}
out = pathlib.Path(__file__).resolve().parent.parent / "Sources/XukeApp/Resources/static/openapi.json"
out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
