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
    success = ok if isinstance(ok, dict) else {"description": ok}
    o = {"summary": summary, "parameters": list(params), "responses": {status: success, "4XX": ERR}}
    if body: o["requestBody"] = {"required": True, "content": body}
    if auth: o["security"] = [{"bearer": []}, {"session": []}]
    return o

# The one way lists page: items, and next to pass back as after (absent on the last page).
AFTER = q("after", "the next of the previous page, as it was given")
PAGE = {"description": "One page of the list", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}
JSON = lambda ref: {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
CSV = {"text/csv": {"schema": {"type": "string"}}}
S, I = {"type": "string"}, {"type": "integer"}
def sch(props, required):
    return {"type": "object", "properties": props, "required": required}
def obj(props, required):
    return {"application/json": {"schema": sch(props, required)}}
OPEN_INSPECTION = obj({"uscc": S, "category": S, "team": {"type": "array", "items": S}, "items": {"type": "array", "items": S}, "lead": S}, ["uscc", "category", "team"])
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
             params=[q("q", "USCC prefix or part of the name"), q("limit", "1–200", schema={"type": "integer"}), AFTER], ok=PAGE),
   "post": op("Register an enterprise (administrator, or officer within jurisdiction)", body=JSON("Enterprise"), auth=True, status="201")},
 "/api/v1/enterprises/{uscc}": {
   "get": op("One enterprise, if visible to the caller", params=[p("uscc", "unified social credit code")], auth=True),
   "put": op("Change an enterprise's details", params=[p("uscc", "unified social credit code")], body=JSON("Enterprise"), auth=True)},
 "/api/v1/users": {"get": op("All users (administrator)", auth=True), "post": op("Create a user (administrator)", body=JSON("NewUser"), auth=True, status="201")},
 "/api/v1/users/{id}/disable": {"post": op("Disable an account: its sessions and tokens end at once (administrator)", params=[p("id", "user id")], auth=True, status="204")},
 "/api/v1/users/{id}/enable": {"post": op("Enable a disabled account (administrator)", params=[p("id", "user id")], auth=True, status="204")},
 "/api/v1/users/{id}/password-reset": {"post": op("Issue a one-time password-reset link, valid 24 hours (administrator)", params=[p("id", "user id")], auth=True, status="201")},
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
 "/api/v1/public/plans": {"get": op("Announced spot-check plans (double random), newest first")},
 "/api/v1/public/plans/{code}": {"get": op("A plan as published: the dr-v1 plan object, roster roots and counts, beacon value, revealed secret and draw", params=[p("code", "plan code, e.g. GD-2026-Q2-07")])},
 "/api/v1/public/plans/{code}/draw.json": {"get": op("Everything needed to recompute a draw (plan, both rosters, beacon, secret, result) in the format of reference/dr_v1_vector.json", params=[p("code", "plan code")])},
 "/api/v1/supervision/inspectors": {"get": op("Inspectors registered in the officer's jurisdiction", auth=True),
   "post": op("Register or update an inspector: an officer or verifier account with its county, qualified categories and teams per plan",
     body={"application/json": {"schema": {"type": "object", "properties": {"user_id": {"type": "integer"}, "county": {"type": "string"}, "qualified": {"type": "array", "items": {"type": "string"}}, "capacity": {"type": "integer"}, "active": {"type": "boolean"}}, "required": ["user_id", "county"]}}}, auth=True, status="201")},
 "/api/v1/supervision/delicensed": {"get": op("Makers of products that left the catalog, supervised in their own strata", auth=True),
   "post": op("Add a maker of a de-licensed product", body={"application/json": {"schema": {"type": "object", "properties": {"uscc": {"type": "string"}, "category": {"type": "string"}, "since": {"type": "string", "format": "date"}, "note": {"type": "string"}}, "required": ["uscc", "category", "since"]}}}, auth=True, status="201")},
 "/api/v1/plans": {"get": op("Spot-check plans of the officer's authority and those below it", auth=True),
   "post": op("Draft a plan: strata with quotas, team size, inspection items, the future randomness source and the secret's commitment (or generate_secret); with default_quotas, quotas left at 0 are set from the roster (5% of license holders, 10% of makers of de-licensed products)", body={"application/json": {"schema": {"type": "object"}}}, auth=True, status="201")},
 "/api/v1/plans/{id}": {"get": op("A plan of the officer's authority", params=[p("id", "plan id")], auth=True),
   "put": op("Change a draft plan", params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object"}}}, auth=True)},
 "/api/v1/plans/{id}/announce": {"post": op("Announce the plan: it is fixed and logged", params=[p("id", "plan id")], auth=True)},
 "/api/v1/plans/{id}/freeze": {"post": op("Freeze both rosters before the beacon value exists and log their roots", params=[p("id", "plan id")], auth=True)},
 "/api/v1/plans/{id}/beacon": {"post": op("Enter the beacon value once it exists", params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object", "properties": {"value": {"type": "string"}}, "required": ["value"]}}}, auth=True)},
 "/api/v1/plans/{id}/draw": {"post": op("Reveal the secret, run dr-v1, publish the draw and create its inspections", params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object", "properties": {"secret": {"type": "string"}}, "required": ["secret"]}}}, auth=True)},
 "/api/v1/plans/{id}/inspections": {"get": op("The inspections a draw created, with their teams", params=[p("id", "plan id")], auth=True)},
 "/api/v1/public/inspections": {"get": op("Published inspection results (one public), newest first; rate-limited", params=[q("uscc", "only this enterprise")])},
 "/api/v1/inspections": {"get": op("Inspections: an officer's authority's, an inspector's own tasks, or an enterprise's (flying ones only after the visit)", auth=True)},
 "/api/v1/inspections/{id}": {"get": op("An inspection with its findings, samples and objections", params=[p("id", "inspection id")], auth=True)},
 "/api/v1/inspections/{id}/visit": {"post": op("Record the visit (team member or officer): a result for every checklist item, and samples taken", params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"visited_on": {"type": "string", "format": "date"}, "findings": {"type": "array", "items": {"type": "object", "properties": {"item": {"type": "string"}, "result": {"type": "string", "enum": ["conforms", "nonconforming", "not_applicable"]}, "note": {"type": "string"}}}}, "samples": {"type": "array", "items": {"type": "object"}}}, "required": ["visited_on", "findings"]}}}, auth=True)},
 "/api/v1/inspections/{id}/conclude": {"post": op("Conclude (officer): pass or fail with a summary and the samples' lab results; sets the publication deadline", params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"outcome": {"type": "string", "enum": ["pass", "fail"]}, "summary": {"type": "string"}, "lab_results": {"type": "array", "items": {"type": "object"}}}, "required": ["outcome", "summary"]}}}, auth=True)},
 "/api/v1/inspections/{id}/evidence": {"post": op("Add evidence (team member or officer): a file the caller uploaded, by its SHA-256", params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"sha256": {"type": "string"}, "filename": {"type": "string"}}, "required": ["sha256", "filename"]}}}, auth=True, status="201")},
 "/api/v1/inspections/{id}/evidence/{sha256}": {"get": op("An evidence file, for the team and the authority", params=[p("id", "inspection id"), p("sha256", "file digest")], auth=True)},
 "/api/v1/inspections/{id}/publish": {"post": op("Publish the result: public results and the log", params=[p("id", "inspection id")], auth=True)},
 "/api/v1/inspections/{id}/objections": {"post": op("Object to a result within 15 days (the inspected enterprise), optionally asking for a re-test", params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string"}, "retest": {"type": "boolean"}}, "required": ["reason"]}}}, auth=True, status="201")},
 "/api/v1/inspections/{id}/objections/{objection}": {"post": op("Decide an objection (officer): dismissed, upheld, retest, then retest_passed or retest_failed", params=[p("id", "inspection id"), p("objection", "objection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"decision": {"type": "string"}, "note": {"type": "string"}}, "required": ["decision", "note"]}}}, auth=True)},
 "/api/v1/enforcement": {"get": op("Measures taken by the officer's authority (optionally against one enterprise)", params=[q("uscc", "one enterprise")], auth=True),
   "post": op("Take a measure on a recorded cause: interview, written_report, rectification (with due_days), suspension, revocation (撤销) or withdrawal (吊销); license changes reach the status list and the log",
     body={"application/json": {"schema": {"type": "object", "properties": {"uscc": {"type": "string"}, "kind": {"type": "string"}, "cause": {"type": "string"}, "note": {"type": "string"}, "due_days": {"type": "integer"}}, "required": ["uscc", "kind", "cause", "note"]}}}, auth=True, status="201")},
 "/api/v1/enforcement/{id}/close": {"post": op("Close an open measure: report received, rectification re-checked (recheck pass/fail), suspension lifted", params=[p("id", "measure id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"outcome": {"type": "string"}, "recheck": {"type": "string", "enum": ["pass", "fail"]}}, "required": ["outcome"]}}}, auth=True)},
 "/api/v1/inspections/flying": {"post": op("Open a flying (unannounced) inspection with a hand-picked team under the recusal rules, optionally working a lead", body=OPEN_INSPECTION, auth=True, status="201")},
 "/api/v1/inspections/follow-up": {"post": op("Open a follow-up inspection of a license granted on the commitment route (announced to the enterprise)", body=OPEN_INSPECTION, auth=True, status="201")},
 "/api/v1/public/enterprises/{uscc}/declarations": {"get": op("An enterprise's published standards and quality commitment: the latest of each and every version", params=[p("uscc", "unified social credit code")])},
 "/api/v1/public/recalls": {"get": op("Recalls reported, newest first, with their progress", params=[q("uscc", "one enterprise")])},
 "/api/v1/public/reports": {"post": op("File a complaint or a whistle-blower report (anonymous allowed); the answer carries a tracking code shown once",
   body=obj({"source": {"type": "string", "enum": ["complaint", "whistleblower"]}, "uscc": S, "subject": S, "division": S, "product": S, "description": S, "contact": S}, ["source", "subject", "product", "description"]), status="201")},
 "/api/v1/public/reports/track": {"post": op("A report's state and answer, by its tracking code", body=obj({"code": S}, ["code"]))},
 "/api/v1/declarations": {"post": op("Publish a new version of the enterprise's standards (kind standards, a list of product, standard, title) or quality commitment (kind commitment, text)",
   body=obj({"kind": {"type": "string", "enum": ["standards", "commitment"]}, "standards": {"type": "array", "items": sch({"product": S, "standard": S, "title": S}, ["product", "standard", "title"])}, "text": S}, ["kind"]), auth=True, status="201")},
 "/api/v1/accidents": {"get": op("Accident reports: the enterprise's own, or those in the officer's jurisdiction, each flagged late or not", auth=True),
   "post": op("Report a quality-safety accident (enterprise); late when filed after the reporting window (XUKE_ACCIDENT_HOURS) from occurred_at",
     body=obj({"product": S, "occurred_at": S, "description": S, "injuries": I, "deaths": I, "measures": S}, ["product", "occurred_at", "description", "measures"]), auth=True, status="201")},
 "/api/v1/recalls": {"get": op("Recalls: the enterprise's own, or those in the officer's jurisdiction", auth=True),
   "post": op("Report a recall (enterprise); due 2 working days after decided_on", body=obj({"product": S, "batches": S, "defect": S, "quantity": I, "decided_on": S}, ["product", "batches", "defect", "quantity", "decided_on"]), auth=True, status="201")},
 "/api/v1/recalls/{number}": {"get": op("A recall with its progress updates", params=[p("number", "recall number, e.g. ZH2026-000001")], auth=True)},
 "/api/v1/recalls/{number}/progress": {"post": op("Add a progress update (total recovered so far, never decreasing); close with close=true", params=[p("number", "recall number")],
   body=obj({"recovered": I, "note": S, "close": {"type": "boolean"}}, ["recovered", "note"]), auth=True)},
 "/api/v1/self-reports": {"get": op("The enterprise's yearly self-inspection reports", auth=True),
   "post": op("File the yearly self-inspection report for a year that has ended; due 30 June of the next year",
     body=obj({"year": I, "produced": I, "sold": I, "sales_value": {"type": "number"}, "self_checks": I, "self_check_failures": I, "changes": S, "problems": S},
              ["year", "produced", "sold", "sales_value", "self_checks", "self_check_failures", "changes", "problems"]), auth=True, status="201")},
 "/api/v1/supervision/self-reports": {"get": op("Licensed enterprises in the officer's jurisdiction that owe a year's report, missing ones first", params=[q("year", "report year, default last year", schema=I)], auth=True)},
 "/api/v1/leads": {"get": op("Problem leads in the officer's jurisdiction", params=[q("state", "new, inspecting or closed")], auth=True)},
 "/api/v1/leads/{number}": {"get": op("One lead, with the reporter's contact", params=[p("number", "lead number, e.g. XS2026-000001")], auth=True)},
 "/api/v1/leads/{number}/close": {"post": op("Close a lead with the answer its reporter reads", params=[p("number", "lead number")], body=obj({"reply": S}, ["reply"]), auth=True)},
 "/api/v1/public/labs": {"get": op("The testing-lab registry: every lab with its CMA number, grade, status periods and scope")},
 "/api/v1/public/labs/{code}": {"get": op("One lab of the registry", params=[p("code", "lab code, e.g. LAB-000001")])},
 "/api/v1/labs": {"post": op("Register a testing lab (provincial or national officer, administrator): CMA number (12 digits, unique), grade 1 or 2 (class II or above), scope entries of catalog units and standards with dates",
   body=obj({"name": S, "uscc": S, "cma_number": S, "grade": I, "division_code": S, "registered_on": S,
             "scopes": {"type": "array", "items": sch({"unit_no": S, "standard": S, "from": S, "until": S}, ["unit_no", "standard", "from"])}},
            ["name", "uscc", "cma_number", "grade", "division_code", "registered_on", "scopes"]), auth=True, status="201")},
 "/api/v1/labs/{code}/status": {"post": op("A new status (registered, suspended, withdrawn) from a day on; periods never overlap and a withdrawal is final", params=[p("code", "lab code")],
   body=obj({"status": S, "since": S, "note": S}, ["status", "since", "note"]), auth=True)},
 "/api/v1/labs/{code}/scopes": {"post": op("Add scope entries (unknown units and overlapping periods refused)", params=[p("code", "lab code")],
   body={"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}, auth=True)},
 "/api/v1/labs/{code}/members": {"post": op("Link a lab user to the lab", params=[p("code", "lab code")], body=obj({"user_id": I}, ["user_id"]), auth=True, status="204")},
 "/api/v1/test-reports": {"post": op("File one of the lab's test reports (lab user): number, enterprise, units, issue date, pass or fail, and the uploaded file's SHA-256",
   body=obj({"report_no": S, "uscc": S, "units": {"type": "array", "items": S}, "issued_on": S, "conclusion": S, "sha256": S}, ["report_no", "uscc", "units", "issued_on", "conclusion", "sha256"]), auth=True, status="201")},
 "/api/v1/public/credit": {"get": op("Credit-list entries in force (abnormal-operation and serious-violation lists), optionally for one enterprise", params=[q("uscc", "one enterprise")])},
 "/api/v1/public/bans": {"get": op("Life bans of institutions and persons")},
 "/api/v1/credit": {"post": op("List an enterprise (officer): abnormal (annual_report_missing or annual_report_false) or serious (3 years, repair after 1)",
   body=obj({"uscc": S, "list": {"type": "string", "enum": ["abnormal", "serious"]}, "cause": S, "note": S, "listed_on": S}, ["uscc", "list", "cause", "note"]), auth=True, status="201")},
 "/api/v1/credit/{number}": {"get": op("One entry with its repair applications (its enterprise and the officers over it)", params=[p("number", "entry number, e.g. XY2026-000001")], auth=True)},
 "/api/v1/credit/{number}/repairs": {"post": op("Apply for credit repair (the listed enterprise); serious-list entries from one year after listing", params=[p("number", "entry number")],
   body=obj({"statement": S}, ["statement"]), auth=True, status="201")},
 "/api/v1/credit-repairs/{id}": {"post": op("Decide a repair application (officer); an approval removes the entry from today", params=[p("id", "repair id")],
   body=obj({"approve": {"type": "boolean"}, "decision": S}, ["approve", "decision"]), auth=True)},
 "/api/v1/bans": {"post": op("Ban an institution or person for life (provincial or national officer); a banned lab's registration is withdrawn",
   body=obj({"subject_kind": {"type": "string", "enum": ["lab", "review_body", "certification_body", "person"]}, "subject": S, "name": S, "cause": S}, ["subject_kind", "subject", "name", "cause"]), auth=True, status="201")},
 "/api/v1/public/ccc": {"get": op("CCC certificates by number or holder, with today's status (a valid certificate past its end shows as expired)", params=[q("number", "16-digit certificate number"), q("holder", "holder's unified social credit code")])},
 "/api/v1/public/cert-bodies": {"get": op("Registered certification bodies")},
 "/api/v1/cert-bodies": {"post": op("Register a certification body (provincial or national officer): name, code, CNCA approval number (unique)",
   body=obj({"name": S, "uscc": S, "approval_number": S}, ["name", "uscc", "approval_number"]), auth=True, status="201")},
 "/api/v1/ccc/import": {"post": op("Import certificates as CSV (number,holder_uscc,product,standard,body,status,issued_on,expires_on), up to 512 MiB; every row is checked and one bad row refuses the file; a known number is replaced",
   body=CSV, auth=True)},
 "/api/v1/catalog/drafts": {"post": op("Start a draft catalog edition from the edition in force (national officer)",
   body=obj({"title": S, "edition_code": S, "in_force": S, "base_edition": S}, ["title", "edition_code", "in_force"]), auth=True, status="201")},
 "/api/v1/catalog/drafts/{code}": {"get": op("A draft with its changes, consultation, comments, history and impact on the licenses in force (public once out for comment)",
   params=[p("code", "e.g. CD2026-001")])},
 "/api/v1/catalog/drafts/{code}/actions": {"put": op("Replace the draft's changes (cancel, merge, delegate, move_to_ccc, add), each checked against the base edition",
   params=[p("code", "draft number")], body={"application/json": {"schema": {"type": "array", "items": sch({"kind": S, "subject_no": S, "target": S, "name_zh": S, "name_en": S, "note": S}, ["kind", "subject_no"])}}}, auth=True)},
 "/api/v1/catalog/drafts/{code}/consultation": {"post": op("Open the draft for comment by named departments and associations until a day",
   params=[p("code", "draft number")], body=obj({"consultees": {"type": "array", "items": sch({"name": S, "kind": S}, ["name", "kind"])}, "until": S}, ["consultees", "until"]), auth=True)},
 "/api/v1/catalog/drafts/{code}/comments": {"post": op("Record a comment received from a consulted organisation",
   params=[p("code", "draft number")], body=obj({"organisation": S, "body": S, "received_on": S}, ["organisation", "body"]), auth=True, status="201")},
 "/api/v1/catalog/drafts/{code}/comments/{id}/answer": {"post": op("Answer a comment (taken up or not, and why)",
   params=[p("code", "draft number"), p("id", "comment id")], body=obj({"answer": S}, ["answer"]), auth=True, status="204")},
 "/api/v1/catalog/drafts/{code}/withdraw": {"post": op("Withdraw a draft being written or out for comment, with the reason; it stays on record",
   params=[p("code", "draft number")], body=obj({"reason": S}, ["reason"]), auth=True)},
 "/api/v1/catalog/drafts/{code}/publish": {"post": op("Publish the draft as an edition once comments have closed and every one is answered; written to the public log",
   params=[p("code", "draft number")], body=obj({"instrument": S}, ["instrument"]), auth=True)},
 "/api/v1/public/risk": {"get": op("Risk scores of the catalog's categories and units for a year, ranked, with every input (licensed makers, random spot checks and failures with the 95% Wilson interval, accidents and deaths, recalls, complaints, enforcement actions) and each weighted part of the score",
   params=[q("year", "default this year", schema={"type": "integer"})])},
 "/api/v1/public/review-bodies": {"get": op("Registered review institutions with their status (registered, suspended, barred)")},
 "/api/v1/public/review-bodies/{code}": {"get": op("One review body: status history, yearly reports and inspections, and performance in a year (cases reviewed, median and longest working days from assignment to conclusion, passes overturned by a failed inspection within a year)",
   params=[p("code", "e.g. RB-000001"), q("year", "default last year", schema={"type": "integer"})])},
 "/api/v1/review-bodies": {"post": op("Register a review body (provincial or national officer in its province)",
   body=obj({"name": S, "uscc": S, "division_code": S, "registered_on": S}, ["name", "uscc", "division_code"]), auth=True, status="201")},
 "/api/v1/review-bodies/{code}/status": {"post": op("Suspend a body or lift its suspension, with a reason (barring is by life ban)", params=[p("code", "body code")],
   body=obj({"status": {"type": "string", "enum": ["registered", "suspended"]}, "reason": S}, ["status", "reason"]), auth=True)},
 "/api/v1/review-bodies/{code}/members": {"post": op("Name a verifier as the body's (one body per verifier)", params=[p("code", "body code")],
   body=obj({"user_id": I}, ["user_id"]), auth=True, status="204")},
 "/api/v1/review-bodies/{code}/inspections": {"post": op("Record the yearly inspection: pass, rectify or fail (a failure suspends the body); findings required unless pass", params=[p("code", "body code")],
   body=obj({"year": I, "result": {"type": "string", "enum": ["pass", "rectify", "fail"]}, "findings": S}, ["year", "result", "findings"]), auth=True, status="201")},
 "/api/v1/review-reports": {"post": op("File the body's yearly report for a finished year (a member of the body); due 31 March of the next year, reminded in March and when overdue",
   body=obj({"year": I, "report": S}, ["year", "report"]), auth=True, status="201")},
 "/api/v1/public/dumps": {"get": op("Daily bulk dumps of the public registers (licenses, labs, CCC certificates, credit entries in force, bans, recalls) as CSV and JSON Lines, with SHA-256 and row counts",
   params=[q("days", "how many recent days, 1–90 (default 7)", schema={"type": "integer"})])},
 "/dumps/{day}/{file}": {"get": op("One dump file, <dataset>.csv or <dataset>.jsonl, or SHA256SUMS (the format sha256sum -c reads); the Xuke-SHA256 header repeats the checksum",
   params=[p("day", "YYYY-MM-DD"), p("file", "e.g. licenses.csv")])},
 "/api/v1/feed": {"get": op("The change feed (agency clients within their scopes; administrators): events in commit-safe order, "
   "`{events, next, more}`; pass `next` back as `after` to read on. No event is skipped or repeated, also while others write.",
   params=[q("after", "cursor from the previous page's next, <tx>-<id> (default the beginning)"), q("limit", "1–10000 (default 1000)", schema={"type": "integer"}),
           q("scopes", "narrow to some of the client's scopes: licenses inspections penalties credit duties institutions")], auth=True)},
 "/api/v1/agency-clients": {"get": op("Agency API clients (administrator)", auth=True),
   "post": op("Create an agency client (administrator): an account of role agency with its agency, sector (market_registration, tax, finance, insurance, investment, other) and scopes",
   body=obj({"username": S, "display_name": S, "password": S, "agency": S, "sector": S, "scopes": S}, ["username", "display_name", "password", "agency", "sector", "scopes"]), auth=True, status="201")},
 "/api/v1/agency-clients/{id}/scopes": {"put": op("Change a client's scopes (administrator); takes effect on its next read or delivery", params=[p("id", "client user id")],
   body=obj({"scopes": S}, ["scopes"]), auth=True)},
 "/api/v1/webhooks": {"get": op("My webhooks (agency), or all (administrator)", auth=True),
   "post": op("Register a webhook (agency): https URL, scopes (default all of the client's), start cursor (default the beginning). The secret is shown once; "
   "each delivery is a POST of {webhook, delivery, events} signed in Xuke-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">",
   body=obj({"url": S, "scopes": S, "after": S}, ["url"]), auth=True, status="201")},
 "/api/v1/webhooks/{id}": {"get": op("One webhook: position, failures, next attempt, last error", params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/enable": {"post": op("Turn a webhook on again (after a dead letter stopped it); delivery resumes after the parked batch", params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/disable": {"post": op("Stop a webhook; its position is kept", params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/dead-letters": {"get": op("Batches parked after every retry failed", params=[p("id", "webhook id")], auth=True)},
 "/api/v1/dead-letters/{id}/redeliver": {"post": op("Send a parked batch again, as first sent (same Xuke-Delivery id)", params=[p("id", "dead letter id")], auth=True)},
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
             params=[q("due", "all | overdue | nearly_due"), q("state", "case state"), q("limit", "1–200", schema={"type": "integer"}), AFTER], ok=PAGE),
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
 "/api/v1/spot-check-results": {"post": op("Record a spot-check result as a fact (administrator)", body=JSON("SpotCheckResult"), auth=True, status="201")},
 "/api/v1/events": {"get": op("The event log (administrator)", auth=True,
                      params=[AFTER, q("limit", "1–1000", schema={"type": "integer"}), q("subject", "e.g. enterprise/<uscc>")], ok=PAGE)},
}
s = lambda **props: {"type": "object", "properties": props}
# The error codes, from the published list the catalog generates (docs/ERRORS.md).
ERROR_CODES = sorted({line.split("`")[1] for line in (pathlib.Path(__file__).parent.parent / "docs/ERRORS.md").read_text().splitlines()
                      if line.startswith("| `") and not line.startswith("| `http.<")})
ERROR_CODE = {"type": "string", "description": "Stable code; the list with each code's sentences is docs/ERRORS.md",
              "anyOf": [{"enum": ERROR_CODES}, {"pattern": "^http\\.[0-9]{3}$"}]}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Xuke API", "version": "1", "description": "Industrial product production licensing. Errors are {\"error\":{\"code\",\"message\"}} in the request's language (Accept-Language or ?lang=)."},
 "paths": paths,
 "components": {
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "session": {"type": "apiKey", "in": "cookie", "name": "xuke_session"}},
  "schemas": {
   "Page": {**s(items={"type": "array", "items": {"type": "object"}}, next={"type": "string"}), "required": ["items"]},
   "Error": s(error=s(code=ERROR_CODE, message={"type": "string"}, problems={"type": "array", "items": s(line={"type": "integer"}, message={"type": "string"})})),
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
   "SpotCheckResult": {**s(uscc={"type": "string"}, unit_no={"type": "string"}, level={"type": "string", "enum": ["national", "provincial", "prefecture", "county"]},
                           passed={"type": "boolean"}, checked_on={"type": "string", "format": "date"}, reference={"type": "string"}),
                       "required": ["uscc", "unit_no", "level", "passed", "checked_on", "reference"]},
  }},
}
# Every operation gets a tag (its area) and an operationId (the method and the path, in words), so generated
# clients and the document's readers can name it; both are derived here so that they never drift from the paths.
TAGS = {
 "Accounts": ["auth", "me", "users"],
 "Catalog": ["catalog", "calendar", "divisions", "delegations"],
 "Licensing": ["applications", "licenses", "licensing", "progress", "uploads", "test-reports", "verifications", "enterprises", "spot-check-results", "statistics"],
 "Supervision": ["plans", "inspections", "supervision", "enforcement", "leads", "accidents", "recalls", "self-reports", "declarations"],
 "Institutions and credit": ["labs", "review-bodies", "review-reports", "cert-bodies", "ccc", "credit", "credit-repairs", "bans"],
 "Sharing": ["agency-clients", "feed", "webhooks", "dead-letters", "events", "dumps"],
 "Trust": ["public", "verify", "log", "status", ".well-known"],
 "Platform": ["admin", "healthz", "metrics", "openapi.json"],
}
AREA = {seg: tag for tag, segs in TAGS.items() for seg in segs}
def words(path):
    out = []
    for part in path.removeprefix("/api/v1").strip("/").split("/"):
        if part.startswith("{"):
            out += ["by", part.strip("{}")]
        else:
            out += [w for w in part.replace(".", "-").replace("_", "-").split("-") if w]
    return out
seen = set()
for path, ops in paths.items():
    first = path.removeprefix("/api/v1/").strip("/").split("/")[0]
    if first == "public" and "/dumps" in path:
        first = "dumps"
    tag = AREA.get(first)
    if tag is None:
        raise SystemExit(f"no tag for {path}: add its first segment to TAGS")
    for method, o in ops.items():
        w = [method] + words(path)
        op_id = w[0] + "".join(x[:1].upper() + x[1:] for x in w[1:])
        if op_id in seen:
            raise SystemExit(f"operationId {op_id} twice")
        seen.add(op_id)
        o["operationId"] = op_id
        o["tags"] = [tag]
doc["tags"] = [{"name": t} for t in TAGS]

out = pathlib.Path(__file__).resolve().parent.parent / "Sources/XukeApp/Resources/static/openapi.json"
out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
