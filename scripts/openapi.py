#!/usr/bin/env python3
"""Writes Sources/XukeApp/Resources/static/openapi.json. Edit here, run it, commit both;
the test suite fails when a registered route is missing from the document.

Every operation names what it answers with (`returns`): a JSON schema, or `media(...)` for other bodies. The JSON
schemas below follow the Swift types the handlers encode with AppJSON.responseEncoder: snake_case keys; a Swift
Optional left out when nil (so it is never `required`, and never null unless the type writes null itself);
CivilDate as YYYY-MM-DD; stored timestamps as ISO 8601 in UTC. scripts/schemathesis checks answers against them."""
import json, pathlib

def q(name, desc, required=False, schema=None):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}

def p(name, desc):
    return {"name": name, "in": "path", "required": True, "description": desc, "schema": {"type": "string"}}

# Value shapes. The document is OpenAPI 3.1, so a value that can be null has "null" among its types.
S, I, B, N = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
DATE = {"type": "string", "format": "date"}          # CivilDate
STAMP = {"type": "string", "format": "date-time"}    # Timestamp.string, the platform clock's stamp
BYTES = {"type": "string", "format": "binary"}
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def arr(items): return {"type": "array", "items": items}
def enum(*values): return {"type": "string", "enum": list(values)}
def nullable(schema): return {"anyOf": [schema, {"type": "null"}]} if "$ref" in schema else {**schema, "type": [schema["type"], "null"]}
def dict_of(values): return {"type": "object", "additionalProperties": values}   # a Swift dictionary
def model(required, optional=None):
    """An encoded struct: `required` holds its non-optional properties, `optional` its Optionals."""
    m = {"type": "object", "properties": {**required, **(optional or {})}}
    if required:
        m["required"] = list(required)
    return m
def also_required(name, *keys):
    """A request schema whose fields the answer always carries."""
    return {"allOf": [ref(name), {"required": list(keys)}]}
def late(name):
    """A duty filing with its deadline verdict beside its fields (WithLate)."""
    return {"allOf": [ref(name), model({"late": B})]}
def page(item):
    """One page of a list (struct Page): `next` is the `after` of the following page, absent on the last."""
    return model({"items": arr(item)}, {"next": S})
def media(*types, schema=BYTES):
    """A body other than JSON: each media type the route may answer with."""
    return {t: {"schema": schema} for t in types}

ERR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
OK = {"200": "OK", "201": "Created", "202": "Accepted", "204": "No Content"}
def op(summary, returns=None, params=(), body=None, auth=None, status="200"):
    if status == "204":
        if returns is not None:
            raise SystemExit(f"{summary}: a 204 answer has no body")
        success = {"description": OK[status]}
    else:
        if returns is None:
            raise SystemExit(f"{summary}: say what it returns")
        content = returns if all("/" in k for k in returns) else {"application/json": {"schema": returns}}
        success = {"description": OK[status], "content": content}
    o = {"summary": summary, "parameters": list(params), "responses": {status: success, "4XX": ERR}}
    if body: o["requestBody"] = {"required": True, "content": body}
    if auth: o["security"] = [{"bearer": []}, {"session": []}]
    return o

AFTER = q("after", "the next of the previous page, as it was given")
# Every list pages the same way (`Page`): a short list read whole (default 200, at most 1000) or a long one read by
# cursor (default 50, at most 200).
PAGE_WHOLE = [q("limit", "1–1000 (default 200)", schema={"type": "integer"}), AFTER]
PAGE = [q("limit", "1–200 (default 50)", schema={"type": "integer"}), AFTER]
JSON = lambda ref: {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
CSV = {"text/csv": {"schema": {"type": "string"}}}
TEXT = media("text/plain", schema=S)
DOCUMENT = media("application/pdf", "image/jpeg", "image/png")   # an upload, as judged from its bytes (UploadType)
def sch(props, required):
    return {"type": "object", "properties": props, "required": required}
def obj(props, required):
    return {"application/json": {"schema": sch(props, required)}}
OPEN_INSPECTION = obj({"uscc": S, "category": S, "team": {"type": "array", "items": S}, "items": {"type": "array", "items": S}, "lead": S}, ["uscc", "category", "team"])

# Enumerations, by their raw values.
ROLE = enum("admin", "officer", "verifier", "lab", "enterprise", "agency")
AUTHORITY_LEVEL = enum("national", "provincial", "prefecture", "county")
COMMITMENT_ROUTE = enum("yes", "no", "unconfirmed")
APPLICATION_KIND = enum("new", "renewal", "change", "reissue", "cancellation")
ROUTE = enum("ordinary", "commitment")
CASE_STATE = enum("submitted", "correction_requested", "accepted", "verification", "rectification", "verified", "approved", "issued", "refused", "withdrawn")
VERIFICATION_OUTCOME = enum("pass", "fail", "rectify")
LICENSE_STATUS = enum("valid", "suspended", "revoked", "cancelled", "expired")
PLAN_STATE = enum("draft", "announced", "frozen", "beacon", "drawn", "forfeited")
LTEXT = ref("LocalizedText")
# A declaration's content, as it was sent: the standards list (kind standards) or the commitment's text.
DECLARED = {"standards": arr(ref("StandardLine")), "text": S}

# What the routes answer with, named after their Swift types.
RESPONSE_SCHEMAS = {
 "LocalizedText": model({"zh": S, "en": S}),
 "ProductionAddress": model({"address": S, "division_code": S}),
 # Accounts
 "User": model({"id": I, "username": S, "display_name": S, "role": ROLE, "disabled": B, "enterprise_admin": B}, {"jurisdiction": S, "enterprise_uscc": S, "email": S, "officer_rank": enum("handler", "section_chief", "director")}),
 "NewToken": model({"token": S, "id": I, "name": S}),
 "OfficialDocument": model({"id": I, "number": S, "kind": enum("acceptance_notice", "correction_notice", "acceptance_refusal", "grant_decision", "refusal_decision",
                                                          "revocation_decision", "withdrawal_decision", "hearing_notice", "certificate"),
                            "issued_on": DATE, "authority": S, "uscc": S, "sha256": S, "check_url": S, "content": {"type": "object"}},
                           {"application_id": I, "license_id": I}),
 "Hearing": model({"id": I, "license_id": I, "uscc": S, "authority": S, "measure": enum("revocation", "withdrawal"), "reasons": S,
                   "notified_on": DATE, "request_by": DATE, "state": enum("notified", "requested", "scheduled", "held", "waived", "decided"),
                   "place": S, "record": S, "version": I, "created_at": STAMP},
                  {"notice_id": I, "requested_on": DATE, "scheduled_for": DATE, "held_on": DATE, "decided_on": DATE}),
 "Remedy": model({"id": I, "document_id": I, "kind": enum("reconsideration", "litigation"), "body": S, "filed_on": DATE,
                  "outcome": enum("pending", "upheld", "reversed"), "note": S, "undone": S, "recorded_by": I, "at": STAMP}, {"decided_on": DATE}),
 "Signoff": model({"id": I, "application_id": I, "round": I, "step": I, "rank": enum("handler", "section_chief", "director"), "decision": S, "reasons": S,
                   "user_id": I, "outcome": enum("signed", "returned"), "note": S, "at": STAMP}),
 "CaseAssignment": model({"id": I, "application_id": I, "handler_id": I, "assigned_by": I, "reason": S, "at": STAMP}),
 "CaseOrganisation": model({"chain": arr(enum("handler", "section_chief", "director")), "signoffs": arr(ref("Signoff")), "assignments": arr(ref("CaseAssignment"))},
                           {"handler_id": I, "next": enum("handler", "section_chief", "director")}),
 "AuthoritySettings": model({"simplified_renewal": B, "simplified_units": arr(S), "sign_off": arr(enum("handler", "section_chief", "director"))},
                            {"acceptance_days": I, "verification_days": I, "decision_days": I, "issuance_days": I}),
 "RegistrationSubmitted": model({"id": I, "state": enum("email_pending", "waiting", "approved", "refused"), "email": S}),
 "Registration": model({"id": I, "uscc": S, "enterprise_name": S, "legal_representative": S, "username": S, "display_name": S, "email": S,
                        "licence_sha256": S, "licence_type": S, "area": S, "state": enum("email_pending", "waiting", "approved", "refused"),
                        "decision_note": S, "created_at": STAMP, "updated_at": STAMP}, {"decided_by": I, "user_id": I}),
 "EnterpriseImportReport": model({"encoding": enum("UTF-8", "UTF-8 with BOM", "GB18030"), "rows": I, "imported": I, "dry_run": B}),
 "LicenseImportReport": model({"encoding": enum("UTF-8", "UTF-8 with BOM", "GB18030"), "rows": I, "licenses": I, "expired": I,
                               "merged": arr(model({"uscc": S, "number": S, "replaces": arr(S), "valid_until": DATE})), "imported": I, "dry_run": B}),
 "EmailState": model({}, {"confirmed": S, "pending": model({"address": S, "expires_at": STAMP})}),
 "ConfirmedEmail": model({"address": S}),
 "MailOverview": model({"configured": B, "counts": model({"pending": I, "retrying": I, "dead": I, "sent_since": I}),
                        "dead": arr(model({"id": I, "to_address": S, "subject": S, "created_at": STAMP, "attempts": I}, {"last_error": S, "dead_at": STAMP}))}),
 "APIToken": model({"id": I, "name": S, "created_at": STAMP}, {"expires_at": STAMP, "last_used_at": STAMP, "revoked_at": STAMP}),
 "EnterpriseSummary": model({"uscc": S, "name": S, "division_code": S}),
 "EnterpriseRecord": model({"uscc": S, "name": S, "domicile": S, "division_code": S, "legal_representative": S, "contact_name": S,
                            "contact_phone": S, "production_addresses": arr(ref("ProductionAddress"))}),
 "ResetLink": model({"link": S, "expires_at": STAMP}),
 "Event": model({"id": I, "type": S, "subject": S, "actor": S, "at": STAMP, "jurisdiction": nullable(S),
                 "payload": {"type": "object", "description": "the event's payload (EventType.payloadType), snake_case"}}),
 # Catalog and calendar
 "EditionSummary": model({"code": S, "instrument": S, "in_force": DATE, "category_count": I, "note": S, "has_units": B},
                         {"national_count": I, "provincial_count": I}),
 "CatalogUnit": model({"unit_no": S, "name_zh": S, "name_en": S, "authority": AUTHORITY_LEVEL, "commitment_route": COMMITMENT_ROUTE, "confidence": S}),
 "CatalogCategory": model({"category_no": S, "name_zh": S, "name_en": S, "units": arr(ref("CatalogUnit"))}),
 "CatalogEdition": model({"code": S, "instrument": S, "in_force": DATE, "categories": arr(ref("CatalogCategory"))}),
 "ImportedEdition": model({"code": S, "categories": I, "units": I}),
 "ReformAction": model({"edition": S, "kind": enum("cancel", "merge", "add", "delegate", "move_to_ccc"), "effective": DATE, "instrument": S,
                        "subject_no": S, "subject_zh": S, "target": S, "note": S}),
 "EditionDiffView": model({
   "diff": model({"from": S, "to": S, "changes": arr(model({
     "kind": enum("added", "removed", "renamed", "authority_changed", "commitment_changed"), "category_no": S, "unit_no": S,
     "name_zh": S, "name_en": S, "before": S, "after": S}))}),
   "reform_actions": arr(ref("ReformAction"))}),
 "Licensability": model({"unit_no": S, "date": DATE, "licensable": B, "applied_actions": arr(ref("ReformAction"))},
                        {"edition": S, "authority": AUTHORITY_LEVEL, "commitment_route": COMMITMENT_ROUTE, "unit_name_zh": S, "unit_name_en": S}),
 "CCCTransfer": model({"product_zh": S, "product_en": S, "decided_by": S, "confidence": S}, {"applications_from": DATE, "mandatory_from": DATE}),
 "AddedDays": model({"start": DATE, "working_days": I, "date": DATE, "estimated": B}),
 "CountedDays": model({"from": DATE, "to": DATE, "working_days": I, "estimated": B}),
 "CalendarYear": model({"year": I, "covered": B, "days": arr(model({"date": DATE, "kind": enum("holiday", "workday")}))}),
 "Division": model({"code": S, "name_zh": S, "level": enum("province", "prefecture", "county"), "kind_zh": S}, {"parent_code": S, "province_abbr": S}),
 "DraftAction": model({"kind": enum("cancel", "merge", "delegate", "move_to_ccc", "add"), "subject_no": S, "target": S, "name_zh": S, "name_en": S, "note": S}),
 "Consultee": model({"name": S, "kind": enum("department", "association")}),
 "CatalogDraft": model({"id": I, "code": S, "title": S, "base_edition": S, "edition_code": S, "in_force": DATE,
                        "state": enum("drafting", "consultation", "published", "in_force", "withdrawn"), "actions": arr(ref("DraftAction")),
                        "consultees": arr(ref("Consultee")), "created_by": S, "created_at": STAMP, "updated_at": STAMP},
                       {"comments_until": DATE, "published_at": STAMP}),
 "DraftComment": model({"id": I, "draft_id": I, "organisation": S, "body": S, "received_on": DATE, "recorded_by": S},
                       {"answer": S, "answered_by": S, "answered_at": STAMP}),
 "DraftDetail": model({
   "draft": ref("CatalogDraft"), "actions": arr(ref("DraftAction")), "consultees": arr(ref("Consultee")), "comments": arr(ref("DraftComment")),
   "impact": model({
     "edition": ref("CatalogEdition"),
     "actions": arr(model({"position": I, "action": ref("DraftAction"), "units": arr(S), "licenses": I, "enterprises": I,
                           "by_province": dict_of(I), "outcomes": dict_of(I), "delicensed_makers": I, "delicensed_quota": I})),
     "affected": arr(model({"uscc": S, "number": S, "province": S, "position": I,
                            "outcome": enum("ends", "narrowed", "moves_to_ccc", "other_authority", "merged"), "detail": S}))}),
   "history": arr(ref("Event"))}),
 "RiskRow": model({"no": S, "category_no": S, "name_zh": S, "name_en": S, "in_edition": B, "rank": I, "risk": model({
   "inputs": model({k: I for k in ["makers", "checks", "failures", "accidents", "deaths", "recalls", "complaints", "enforcement"]}),
   "failure_rate": model({"lower": N, "upper": N}, {"rate": N}),
   "parts": {**dict_of(N), "required": ["failures", "accidents", "recalls", "complaints", "enforcement"]},
   "score": N})}),
 "RiskReport": model({"year": I, "edition": S, "categories": arr(ref("RiskRow")), "units": arr(ref("RiskRow")), "unattributed": I, "years": arr(I)}),
 "SweepReport": model({k: arr(S) for k in ["deemed_accepted", "deemed_renewed", "expired", "reminded", "moved_to_serious", "review_reminded",
                                           "reforms_applied", "plans_forfeited"]}),
 # Licensing
 "Progress": model({"number": S, "kind": APPLICATION_KIND, "route": ROUTE, "state": CASE_STATE, "state_name": LTEXT, "authority": S,
                    "authority_name": S, "submitted_on": DATE, "deemed": arr(S), "clock_stopped": B},
                   {"accepted_on": DATE, "decided_on": DATE, "issued_on": DATE}),
 "Delegation": model({"province": S, "category_no": S, "division_code": S}),
 "Receipt": model({"sha256": S, "media_type": enum("application/pdf", "image/jpeg", "image/png"), "size": I}),
 "CaseRecord": model({
   "id": I, "number": S, "uscc": S, "kind": APPLICATION_KIND, "route": ROUTE, "state": CASE_STATE, "version": I,
   "changes": arr(enum("name", "domicile", "production_address", "add_units", "remove_units", "conditions")),
   "units": arr(model({"unit_no": S, "category_no": S, "name_zh": S, "name_en": S, "commitment_eligible": B})),
   "edition": S, "authority": S, "verification_need": enum("required", "optional", "none"), "simplified": B, "corrections": I,
   "form": also_required("Form", "units", "remove_units", "production_addresses", "key_equipment", "quality_staff"),
   "commitment_text": S, "commitment_sha256": S, "submitted_on": DATE, "submitted_at": STAMP, "deemed": arr(S), "updated_at": STAMP},
   {"last_outcome": VERIFICATION_OUTCOME, "license_id": I, "accepted_on": DATE, "decided_on": DATE, "refusal_reasons": S, "issued_on": DATE,
    "due_on": DATE, "elapsed_days": I, "handler_id": I}),
 "MaterialRecord": model({"position": I, "kind": enum("business_license", "test_report", "other"), "sha256": S, "filename": S, "media_type": S, "size": I},
                         {"lab": S, "report_no": S, "report_date": DATE, "units": arr(S)}),
 "VerificationRecord": model({
   "id": I, "kind": enum("pre_issue", "follow_up"), "state": enum("pending", "assigned", "rectification", "concluded"), "authority": S,
   "due_on": DATE, "summary": S, "members": arr(I),
   "findings": arr(model({"item": S, "result": S, "note": S, "recorded_by": I, "at": STAMP}))},
   {"application_id": I, "license_id": I, "assigned_on": DATE, "rectify_by": DATE, "outcome": VERIFICATION_OUTCOME, "concluded_on": DATE}),
 "CaseView": model({
   "application": ref("CaseRecord"), "state_name": LTEXT, "materials": arr(ref("MaterialRecord")),
   "clock_stops": arr(model({"id": I, "reason": enum("testing", "expert_review", "hearing", "rectification"), "from": DATE, "note": S}, {"until": DATE})),
   "verifications": arr(ref("VerificationRecord")), "events": arr(ref("Event"))},
   {"correction": model({"items": arr(S), "issued_on": DATE}, {"answered_on": DATE}),
    "clock": model({"step": enum("acceptance", "decision", "issuance"), "deadline": DATE, "days_left": I, "stopped": B, "estimated": B})}),
 "LicenseRecord": model({
   "id": I, "uscc": S, "number": S, "stored_status": LICENSE_STATUS, "version": I, "authority": S, "first_issued_on": DATE, "decided_on": DATE,
   "issued_on": DATE, "valid_until": DATE, "name": S, "domicile": S, "addresses": arr(ref("ProductionAddress")),
   "units": arr(model({"unit_no": S, "category_no": S, "name_zh": S, "name_en": S, "route": ROUTE, "since": DATE})), "updated_at": STAMP}),
 "LicenseVersion": model({"version": I, "status": LICENSE_STATUS, "reason": S, "snapshot": ref("LicenseRecord"), "at": STAMP}, {"application_id": I}),
 "Figures": model({"key": S, "cases": I, "median": N, "mean": N, "p90": N}),
 "Statistics": model({"since": DATE, "all": ref("Figures"), "by_authority": arr(ref("Figures")), "by_category": arr(ref("Figures")),
                      "by_route": arr(ref("Figures")), "open": I, "overdue": I, "nearly_due": I}),
 "Notification": model({"id": I, "event_id": I, "subject": S, "created_at": STAMP}, {"read_at": STAMP}),
 # Spot checks and inspections; the dr-v1 objects are those of docs/FORMATS.md §3
 "PublicPlan": model({"code": S, "authority": S, "state": PLAN_STATE, "title_zh": S, "title_en": S},
                     {"announced_at": STAMP, "frozen_at": STAMP, "beacon_at": STAMP, "reveal_due": STAMP, "drawn_at": STAMP, "forfeited_at": STAMP}),
 "DrV1Plan": model({
   "algorithm": {"const": "dr-v1"}, "authority": S,
   "beacon": {"oneOf": [model({"source": {"const": "drand-quicknet"}, "round": I}),
                        model({"source": {"const": "lottery"}, "date": DATE, "name": S})]},
   "commit": S, "id": S, "items": dict_of(arr(S)), "publish_within_days": I, "quota": dict_of(I), "recusal": arr(S),
   "strata": arr(model({"category": S, "key": S, "kind": enum("licensed", "delicensed"), "quota": I, "region": S,
                        "risk": enum("low", "normal", "high", "any")})),
   "team_size": I, "title": LTEXT}),
 "DrV1Result": model({
   "algorithm": {"const": "dr-v1"},
   "draw": arr(model({"enterprise": S, "score": S, "skipped": arr({"type": "array", "prefixItems": [S, S], "minItems": 2, "maxItems": 2}),
                      "team": nullable(arr(S))})),
   "enterprise_root": S, "inspector_root": S, "seed": S}),
 "PublicPlanDetail": model({"summary": ref("PublicPlan"), "plan": ref("DrV1Plan"), "beacon_proposed": B},
                           {"enterprise_root": S, "inspector_root": S, "enterprise_count": I, "inspector_count": I, "beacon": S, "secret": S,
                            "result": ref("DrV1Result")}),
 "DrawBundle": model({
   "beacon": S, "secret": S, "plan": ref("DrV1Plan"), "result": ref("DrV1Result"),
   "enterprises": arr(model({"category": S, "county": S, "id": S, "stratum": S}, {"last_inspectors": arr(S)})),
   "inspectors": arr(model({"capacity": I, "county": S, "id": S}, {"qualified": arr(S)}))}),
 "PublishedResult": model({"inspection": S, "origin": enum("draw", "flying", "follow_up"), "holder": S, "holder_name": S, "authority": S,
                           "category": S, "outcome": S, "concluded_on": DATE, "published_at": STAMP}, {"plan": S}),
 "Inspector": model({"user_id": I, "code": S, "name": S, "county": S, "qualified": arr(S), "capacity": I, "active": B, "updated_at": STAMP}),
 "Delicensed": model({"uscc": S, "name": S, "county": S, "category": S, "since": DATE, "note": S}),
 "SpotCheckPlan": model({
   "code": S, "title_zh": S, "title_en": S,
   "strata": arr(model({"kind": enum("licensed", "delicensed"), "category": S, "region": S, "quota": I}, {"risk": enum("low", "normal", "high")})),
   "team_size": I, "items": dict_of(arr(S)),
   "beacon": model({"source": enum("drand-quicknet", "lottery")}, {"round": I, "name": S, "date": DATE}),
   "commit": S, "publish_within_days": I}),
 "PlanRecord": model({"id": I, "code": S, "authority": S, "state": PLAN_STATE, "draft": ref("SpotCheckPlan"), "created_by": S,
                      "created_at": STAMP, "updated_at": STAMP},
                     {"published": {**S, "description": "the announced plan's canonical JSON text, as logged and hashed into the seed"},
                      "enterprise_root": S, "inspector_root": S, "enterprise_count": I, "inspector_count": I, "beacon_value": S, "secret": S,
                      "result": {**S, "description": "the draw result's canonical JSON text, as hashed into result_sha256"},
                      "announced_at": STAMP, "frozen_at": STAMP, "beacon_at": STAMP, "drawn_at": STAMP, "beacon_proposed_value": S,
                      "beacon_proposed_by": S, "beacon_proposed_at": STAMP, "beacon_confirmed_by": S, "reveal_due": STAMP, "forfeited_at": STAMP}),
 "PlanAnswer": model({"plan": ref("PlanRecord")}, {"secret": {**S, "description": "the generated secret, shown this once"}}),
 "InspectionRecord": model({
   "id": I, "number": S, "origin": enum("draw", "flying", "follow_up"), "uscc": S, "authority": S, "category": S,
   "state": enum("unstaffed", "assigned", "visited", "concluded"), "hidden": B, "items": arr(S), "summary": S,
   "team": arr(model({"user_id": I, "code": S, "name": S})), "created_at": STAMP, "updated_at": STAMP},
   {"plan_id": I, "outcome": S, "visited_on": DATE, "concluded_on": DATE, "publish_due": DATE, "published_at": STAMP}),
 "Objection": model({"id": I, "inspection_id": I, "uscc": S, "reason": S, "retest": B,
                     "state": enum("open", "retest", "dismissed", "upheld", "retest_passed", "retest_failed"), "outcome": S, "filed_at": STAMP},
                    {"decided_at": STAMP, "decided_by": S}),
 "InspectionView": model({
   "inspection": ref("InspectionRecord"),
   "findings": arr(model({"item": S, "result": enum("conforms", "nonconforming", "not_applicable"), "note": S})),
   "samples": arr(model({"product": S, "batch": S, "quantity": S, "lab": S, "report_no": S, "lab_result": enum("pending", "pass", "fail")})),
   "objections": arr(ref("Objection")),
   "evidence": arr(model({"sha256": S, "filename": S, "added_by": S, "added_at": STAMP}))}),
 "EnforcementRecord": model({
   "id": I, "number": S, "uscc": S, "authority": S,
   "kind": enum("interview", "written_report", "rectification", "suspension", "revocation", "withdrawal"), "cause": S,
   "state": enum("open", "done"), "note": S, "outcome": S, "created_by": S, "created_at": STAMP},
   {"due_on": DATE, "license_id": I, "closed_at": STAMP}),
 # Duties and leads
 "StandardLine": model({"product": S, "standard": S, "title": S}),
 "PublicDeclarations": model({
   "standards": arr(ref("StandardLine")),
   "history": arr(model({"kind": enum("standards", "commitment"), "version": I, "published_at": STAMP}, DECLARED))},
   {"standards_version": I, "standards_published_at": STAMP, "commitment": S, "commitment_version": I, "commitment_published_at": STAMP}),
 # body: for standards the JSON text of the list of product, standard, title; for a commitment its text (as stored and logged).
 "Declaration": model({"id": I, "uscc": S, "kind": enum("standards", "commitment"), "version": I, "body": S, "published_at": STAMP, "published_by": S}),
 "PublicRecall": model({"number": S, "uscc": S, "product": S, "batches": S, "defect": S, "quantity": I, "recovered": I, "decided_on": DATE,
                        "reported_on": DATE, "late": B, "state": enum("open", "closed"), "summary": S}),
 "ReportReceipt": model({"number": S, "tracking_code": S, "authority": S}),
 "LeadStatus": model({"number": S, "state": enum("new", "inspecting", "closed"), "received_at": STAMP, "reply": S}, {"closed_at": STAMP}),
 "AccidentReport": model({"id": I, "number": S, "uscc": S, "authority": S, "product": S, "occurred_at": STAMP, "reported_at": STAMP, "due_at": STAMP,
                          "description": S, "injuries": I, "deaths": I, "measures": S, "reported_by": S}),
 "Recall": model({"id": I, "number": S, "uscc": S, "authority": S, "product": S, "batches": S, "defect": S, "quantity": I, "decided_on": DATE,
                  "reported_on": DATE, "due_on": DATE, "state": enum("open", "closed"), "recovered": I, "summary": S, "reported_by": S},
                 {"closed_at": STAMP}),
 "RecallDetail": model({"recall": late("Recall"),
                        "updates": arr(model({"position": I, "at": STAMP, "recovered": I, "note": S, "added_by": S}))}),
 # The report's figures are stored, logged in its event and returned as the JSON text the enterprise filed: an object
 # with year, produced, sold, sales_value, self_checks, self_check_failures, changes and problems.
 "SelfReport": model({"uscc": S, "year": I, "authority": S, "due_on": DATE, "submitted_at": STAMP, "submitted_by": S, "body": S}),
 "Owing": model({"uscc": S, "name": S, "division_code": S}, {"submitted_at": STAMP}),
 "Lead": model({"id": I, "number": S, "source": enum("complaint", "whistleblower", "failed_check", "accident"), "authority": S, "subject": S,
                "product": S, "description": S, "contact": S, "state": enum("new", "inspecting", "closed"), "reply": S, "created_at": STAMP},
               {"uscc": S, "cause": S, "inspection_id": I, "closed_at": STAMP, "closed_by": S}),
 # Institutions and credit
 "Lab": model({"id": I, "code": S, "name": S, "uscc": S, "cma_number": S, "grade": I, "division_code": S,
               "periods": arr(model({"status": enum("registered", "suspended", "withdrawn"), "since": DATE, "note": S}, {"until": DATE})),
               "scopes": arr(model({"unit_no": S, "standard": S, "from": DATE}, {"until": DATE}))}),
 "TestReport": model({"id": I, "lab_id": I, "report_no": S, "uscc": S, "units": arr(S), "issued_on": DATE, "conclusion": enum("pass", "fail"),
                      "sha256": S, "filed_by": S, "filed_at": STAMP}),
 "CreditEntry": model({"id": I, "number": S, "uscc": S, "list": enum("abnormal", "serious"), "cause": S, "note": S, "authority": S,
                       "listed_on": DATE, "earliest_removal": DATE, "removal": S, "created_by": S, "created_at": STAMP},
                      {"ends_on": DATE, "removed_on": DATE, "moved_from": I}),
 "PublicCreditEntry": model({"number": S, "uscc": S, "list": enum("abnormal", "serious"), "cause": S, "authority": S, "listed_on": DATE},
                            {"ends_on": DATE}),
 "CreditRepair": model({"id": I, "entry_id": I, "statement": S, "state": enum("pending", "approved", "rejected"), "filed_by": S, "filed_at": STAMP,
                        "decision": S}, {"decided_by": S, "decided_at": STAMP}),
 "CreditDetail": model({"entry": ref("CreditEntry"), "in_force": B, "repairs": arr(ref("CreditRepair"))}),
 "Ban": model({"id": I, "number": S, "subject_kind": enum("lab", "review_body", "certification_body", "person"), "subject": S, "name": S,
               "cause": S, "authority": S, "since": DATE, "created_by": S, "created_at": STAMP}),
 "ReviewBody": model({"id": I, "name": S, "uscc": S, "division_code": S, "status": enum("registered", "suspended", "barred"),
                      "status_since": DATE, "status_reason": S, "created_by": S, "created_at": STAMP}, {"code": S}),
 "ReviewBodyYear": model({"body_id": I, "year": I},
                         {"report": S, "report_filed_on": DATE, "report_by": S, "inspection_result": enum("pass", "rectify", "fail"),
                          "inspection_findings": S, "inspected_on": DATE, "inspected_by": S}),
 "ReviewBodyDetail": model({
   "body": ref("ReviewBody"),
   "history": arr(model({"status": enum("registered", "suspended", "barred"), "since": DATE, "reason": S, "created_by": S, "created_at": STAMP})),
   "years": arr(model({"year": I, "report_late": B}, {"report_filed_on": DATE, "inspection_result": enum("pass", "rectify", "fail"),
                                                       "inspection_findings": S, "inspected_on": DATE})),
   "performance": model({"year": I, "cases_reviewed": I, "overturned": I, "overturned_numbers": arr(I)},
                        {"median_working_days": I, "max_working_days": I})}),
 "CertBody": model({"id": I, "name": S, "uscc": S, "approval_number": S}, {"code": S}),
 "CCCCertificate": model({"number": S, "holder_uscc": S, "product": S, "standard": S, "body": S,
                          "status": enum("valid", "suspended", "revoked", "cancelled", "expired"), "issued_on": DATE, "expires_on": DATE}),
 "ImportSummary": model({"imported": I, "total": I}),
 # Sharing
 "BulkDump": model({"day": DATE, "dataset": S, "format": S, "rows": I, "bytes": I, "sha256": S, "created_at": STAMP}),
 "FeedPage": model({
   "events": arr(model({"id": I, "position": S, "type": S, "subject": S, "at": STAMP, "jurisdiction": nullable(S), "payload": {"type": "object"}})),
   "next": {**S, "description": "pass back as after"}, "more": B}),
 "Webhook": model({"id": I, "client_id": I, "url": S, "scopes": S, "position": S, "active": B, "failures": I, "next_attempt_at": STAMP,
                   "created_at": STAMP}, {"last_error": S, "last_delivered_at": STAMP, "disabled_reason": S}),
 "NewWebhook": model({"webhook": ref("Webhook"), "secret": {**S, "description": "shown this once"}}),
 "DeadLetter": model({"id": I, "webhook_id": I, "from_position": S, "to_position": S, "events": I, "attempts": I, "last_error": S,
                      "created_at": STAMP}, {"redelivered_at": STAMP}),
 "AgencyClient": model({"user_id": I, "username": S, "display_name": S, "agency": S,
                        "sector": enum("market_registration", "tax", "finance", "insurance", "investment", "other"), "scopes": S, "disabled": B,
                        "created_by": S, "created_at": STAMP}),
 # Trust
 "JWKSet": model({"keys": arr(model({"kty": S, "crv": S, "x": S, "kid": S, "alg": S, "use": S, "iss": S}, {"retired": STAMP}))}),
 "InclusionProof": model({"index": I, "tree_size": I, "kind": S, "entry": {**S, "description": "the leaf's canonical JSON; its UTF-8 bytes are the hashed leaf"},
                          "leaf_hash": S, "root_hash": S, "proof": arr(S)}),
 "ConsistencyProof": model({"from": I, "to": I, "from_root": S, "to_root": S, "proof": arr(S)}),
 "PublicLicense": model({"id": I, "number": S, "holder": S, "uscc": S, "domicile": S, "addresses": arr(S),
                         "units": arr(model({"no": S, "name_zh": S, "name_en": S})), "status": LICENSE_STATUS, "status_name": LTEXT,
                         "issued_on": DATE, "valid_until": DATE, "authority": S, "authority_name": S, "version": I}),
 "CredentialView": model({"license": ref("PublicLicense"), "jws": S, "kid": S, "status_index": I, "status_list": S}, {"log_index": I}),
 "VerifyAnswer": model({"verdict": enum("valid", "revoked", "suspended", "expired", "not_yet_valid", "not_genuine"), "code": S, "reason": LTEXT,
                        "status_checked": B},
                       {"kid": S, "license": model({"number": S, "holder": S, "uscc": S, "version": I, "units": arr(model({"no": S, "name": S})),
                                                     "authority": S, "valid_until": DATE})}),
}
# The rules in force: every field, defaults filled in.
RULES = also_required("LicensingRules", "acceptance_days", "verification_days", "decision_days", "issuance_days", "follow_up_days",
                      "renewal_window_months", "validity_years", "spot_check_months", "nearly_due_days", "delegation_below_province_until")
paths = {
 "/healthz": {"get": op("Liveness and database check", returns=model({"database": enum("ok"), "status": enum("ok")}))},
 "/metrics": {"get": op("Prometheus metrics: for the addresses in XUKE_METRICS_ALLOW (loopback by default) or the bearer XUKE_METRICS_TOKEN; anyone else gets 403 metrics.forbidden", returns=media("text/plain", schema=S))},
 "/openapi.json": {"get": op("This document", returns={"type": "object"})},
 "/api/v1/catalog/editions": {
   "get": op("Every catalog edition, including those known only by their totals", returns=page(ref("EditionSummary")), params=PAGE_WHOLE),
   "post": op("Import editions from CSV (administrator); all rows or nothing", returns=arr(ref("ImportedEdition")), body=CSV, auth=True, status="201")},
 "/api/v1/catalog/editions/{code}": {"get": op("One edition with categories and units", returns=ref("CatalogEdition"), params=[p("code", "edition code, e.g. 2024")])},
 "/api/v1/catalog/editions/{code}/csv": {"get": op("Export an edition as CSV (UTF-8 with BOM)", returns=CSV, params=[p("code", "edition code")])},
 "/api/v1/catalog/diff": {"get": op("Differences between two editions and the reform actions between them", returns=ref("EditionDiffView"),
                                     params=[q("from", "edition code", True), q("to", "edition code", True)])},
 "/api/v1/catalog/licensability": {"get": op("Is unit U licensable on date D, and by which authority level?", returns=ref("Licensability"),
                                     params=[q("unit", "4-digit unit number", True), q("date", "YYYY-MM-DD, default today in China")])},
 "/api/v1/catalog/reform-actions": {"get": op("Reform actions (cancel, merge, add, delegate, move to CCC)", returns=page(ref("ReformAction")), params=PAGE_WHOLE)},
 "/api/v1/catalog/ccc-transfers": {"get": op("Products moved from licensing to compulsory certification", returns=page(ref("CCCTransfer")), params=PAGE_WHOLE)},
 "/api/v1/calendar/add": {"get": op("A date plus N working days", returns=ref("AddedDays"), params=[q("start", "YYYY-MM-DD"), q("days", "working days", schema={"type": "integer"})])},
 "/api/v1/calendar/count": {"get": op("Working days after `from` up to and including `to`", returns=ref("CountedDays"), params=[q("from", "YYYY-MM-DD", True), q("to", "YYYY-MM-DD", True)])},
 "/api/v1/calendar/days": {"get": op("Holidays and make-up working days of a year", returns=ref("CalendarYear"), params=[q("year", "year", schema={"type": "integer"})])},
 "/api/v1/calendar/import": {"post": op("Import a holiday notice (administrator)", returns=model({"days": I}), body=CSV, auth=True, status="201")},
 "/api/v1/divisions": {"get": op("Administrative divisions: provinces, or the children of `parent`", returns=page(ref("Division")), params=PAGE_WHOLE + [q("parent", "division code")])},
 "/api/v1/divisions/{code}": {"get": op("One administrative division", returns=ref("Division"), params=[p("code", "6-digit GB/T 2260 code")])},
 "/api/v1/auth/token": {"post": op("Create an API token with username and password", returns=ref("NewToken"), body=JSON("PasswordGrant"), status="201")},
 "/api/v1/me": {"get": op("The signed-in user", returns=ref("User"), auth=True)},
 "/api/v1/me/tokens": {"get": op("My API tokens", returns=page(ref("APIToken")), auth=True, params=PAGE_WHOLE), "post": op("Create an API token", returns=ref("NewToken"), body=JSON("TokenRequest"), auth=True, status="201")},
 "/api/v1/enterprises/import": {"post": op("Import enterprises from CSV (UTF-8 or GB18030, detected; headings in Chinese or English); one bad row refuses the file, every bad row named in problems", returns=ref("EnterpriseImportReport"), body=CSV, auth=True, status="201",
                                          params=[q("dry_run", "true checks and writes nothing (answers 200)", schema={"type": "string", "enum": ["true", "false"]})])},
 "/api/v1/licenses/import": {"post": op("Import licences issued before the platform from CSV (UTF-8 or GB18030); the rows in force of one enterprise become one licence replacing the others' numbers; one bad row refuses the file", returns=ref("LicenseImportReport"), body=CSV, auth=True, status="201",
                                       params=[q("dry_run", "true checks and writes nothing (answers 200)", schema={"type": "string", "enum": ["true", "false"]})])},
 "/api/v1/registrations": {
   "post": op("Register an enterprise account: a multipart form with uscc, enterprise_name, legal_representative, username, display_name, email, password, confirm and the business licence copy (licence: PDF, JPEG or PNG, at most 10 MiB); a confirmation link is mailed", returns=ref("RegistrationSubmitted"), body={"multipart/form-data": {"schema": {"type": "object"}}}, status="202"),
   "get": op("Registrations in the officer's area, oldest first (officer)", returns=page(ref("Registration")), auth=True,
             params=[q("state", "email_pending, waiting (default), approved or refused", schema={"type": "string", "enum": ["email_pending", "waiting", "approved", "refused"]})] + PAGE)},
 "/api/v1/registrations/confirm/{token}": {"post": op("Confirm a registration's address with the token of the mailed link", returns=ref("RegistrationSubmitted"), params=[p("token", "the token of the link")])},
 "/api/v1/registrations/{id}": {"get": op("One registration (officer of its area)", returns=ref("Registration"), params=[p("id", "registration id")], auth=True)},
 "/api/v1/registrations/{id}/approve": {"post": op("Link the account to the enterprise (officer of its area; the enterprise must be registered)", returns=ref("Registration"), params=[p("id", "registration id")], auth=True)},
 "/api/v1/registrations/{id}/refuse": {"post": op("Refuse a registration with a reason mailed to the applicant (officer of its area)", returns=ref("Registration"), params=[p("id", "registration id")], body=JSON("RefusalReason"), auth=True)},
 "/api/v1/enterprise/users": {"get": op("The users of my enterprise (enterprise administrator)", returns=arr(ref("User")), auth=True),
                              "post": op("Add a user to my enterprise; a link to set the password is mailed to the address (enterprise administrator)", returns=ref("User"), body=JSON("NewEnterpriseUser"), auth=True, status="201")},
 "/api/v1/enterprise/users/{id}": {"delete": op("Remove a user of my enterprise: the account is disabled (enterprise administrator)", params=[p("id", "user id")], auth=True, status="204")},
 "/api/v1/password-resets": {"post": op("Mail a one-time reset link (valid one hour) to the confirmed address of the account a username or address names; the answer is the same either way", body=JSON("ResetRequest"), status="204")},
 "/api/v1/me/email": {"get": op("My e-mail address and one waiting for confirmation", returns=ref("EmailState"), auth=True),
                      "post": op("Set a new address: a confirmation link is mailed to it", returns=ref("EmailState"), body=JSON("EmailRequest"), auth=True, status="202"),
                      "delete": op("Remove my address; no more mail is sent", auth=True, status="204")},
 "/api/v1/email-confirmations/{token}": {"post": op("Confirm an address with the token from the mailed link", returns=ref("ConfirmedEmail"), params=[p("token", "the token of the link")])},
 "/api/v1/admin/mail": {"get": op("The outbox: counts and dead letters (administrator)", returns=ref("MailOverview"), auth=True,
                                  params=[q("limit", "dead letters listed, 1–500 (default 100)", schema={"type": "integer"})])},
 "/api/v1/admin/mail/{id}/retry": {"post": op("Put a dead letter back in the queue (administrator)", params=[p("id", "message id")], auth=True, status="204")},
 "/api/v1/me/tokens/{id}": {"delete": op("Revoke one of my API tokens", params=[p("id", "token id")], auth=True, status="204")},
 "/api/v1/enterprises": {
   "get": op("Search enterprises visible to the caller by USCC prefix or name substring", returns=page(ref("EnterpriseSummary")), auth=True,
             params=[q("q", "USCC prefix or part of the name"), q("limit", "1–200", schema={"type": "integer"}), AFTER]),
   "post": op("Register an enterprise (administrator, or officer within jurisdiction)", returns=ref("EnterpriseRecord"), body=JSON("Enterprise"), auth=True, status="201")},
 "/api/v1/enterprises/{uscc}": {
   "get": op("One enterprise, if visible to the caller", returns=ref("EnterpriseRecord"), params=[p("uscc", "unified social credit code")], auth=True),
   "put": op("Change an enterprise's details", returns=ref("EnterpriseRecord"), params=[p("uscc", "unified social credit code")], body=JSON("Enterprise"), auth=True)},
 "/api/v1/users": {"get": op("All users (administrator)", returns=page(ref("User")), auth=True, params=PAGE_WHOLE), "post": op("Create a user (administrator)", returns=ref("User"), body=JSON("NewUser"), auth=True, status="201")},
 "/api/v1/users/{id}/disable": {"post": op("Disable an account: its sessions and tokens end at once (administrator)", params=[p("id", "user id")], auth=True, status="204")},
 "/api/v1/users/{id}/enable": {"post": op("Enable a disabled account (administrator)", params=[p("id", "user id")], auth=True, status="204")},
 "/api/v1/users/{id}/password-reset": {"post": op("Issue a one-time password-reset link, valid 24 hours (administrator)", returns=ref("ResetLink"), params=[p("id", "user id")], auth=True, status="201")},
 "/.well-known/jwks.json": {"get": op("Issuing authorities' Ed25519 public keys as a JWK Set; retired keys stay for what they signed", returns=ref("JWKSet"))},
 "/status/{list}": {"get": op("Token Status List (statuslist+jwt, 2 bits: 0 valid, 1 revoked, 2 suspended) of one issuing authority", returns=media("application/statuslist+jwt", schema=S), params=[p("list", "authority: division code or national")])},
 "/log/checkpoint": {"get": op("The transparency log's latest C2SP signed checkpoint (text)", returns=TEXT)},
 "/log/key": {"get": op("The log's note verifier key: name+keyid+base64(0x01||Ed25519 key)", returns=TEXT)},
 "/log/tile/{path}": {"get": op("C2SP tlog-tiles: hash tiles <L>/<N>[.p/<W>] and entry bundles entries/<N>[.p/<W>]", returns=media("application/octet-stream"), params=[p("path", "tile path")])},
 "/api/v1/log/proof/inclusion": {"get": op("RFC 6962 inclusion proof of a log entry (base64 hashes), with the entry's canonical JSON", returns=ref("InclusionProof"),
   params=[q("index", "leaf index", True, {"type": "integer"}), q("size", "tree size, default the current", schema={"type": "integer"})])},
 "/api/v1/log/proof/consistency": {"get": op("RFC 6962 consistency proof between two tree sizes", returns=ref("ConsistencyProof"),
   params=[q("from", "older size", True, {"type": "integer"}), q("to", "newer size, default the current", schema={"type": "integer"})])},
 "/api/v1/public/licenses": {"get": op("Public license query, rate-limited: number, USCC or part of the name; by unit and province", returns=page(ref("PublicLicense")),
   params=PAGE + [q("q", "license number, USCC or part of the enterprise name"), q("unit", "4-digit unit number"), q("province", "province code, e.g. 440000")])},
 "/api/v1/public/licenses/{id}/credential": {"get": op("A license's current e-license credential (compact JWS) and where it sits in the status list and log", returns=ref("CredentialView"), params=[p("id", "license id")])},
 "/api/v1/public/licenses/{id}/credential.png": {"get": op("The credential as a QR code (PNG, byte mode, level M)", returns=media("image/png"), params=[p("id", "license id")])},
 "/api/v1/public/licenses/{id}/credential.svg": {"get": op("The credential as a QR code (SVG)", returns=media("image/svg+xml", schema=S), params=[p("id", "license id")])},
 "/api/v1/verify": {"post": op("Verify a scanned credential: valid, revoked, suspended, expired, not yet valid or not genuine, with the reason", returns=ref("VerifyAnswer"),
   body={"application/json": {"schema": {"type": "object", "properties": {"jws": {"type": "string"}}, "required": ["jws"]}}})},
 "/api/v1/public/plans": {"get": op("Announced spot-check plans (double random), newest first", returns=page(ref("PublicPlan")), params=PAGE)},
 "/api/v1/public/plans/{code}": {"get": op("A plan as published: the dr-v1 plan object, roster roots and counts, beacon value, revealed secret and draw", returns=ref("PublicPlanDetail"), params=[p("code", "plan code, e.g. GD-2026-Q2-07")])},
 "/api/v1/public/plans/{code}/draw.json": {"get": op("Everything needed to recompute a draw (plan, both rosters, beacon, secret, result) in the format of reference/dr_v1_vector.json", returns=ref("DrawBundle"), params=[p("code", "plan code")])},
 "/api/v1/supervision/inspectors": {"get": op("Inspectors registered in the officer's jurisdiction", returns=page(ref("Inspector")), auth=True, params=PAGE_WHOLE),
   "post": op("Register or update an inspector: an officer or verifier account with its county, qualified categories and teams per plan", returns=ref("Inspector"),
     body={"application/json": {"schema": {"type": "object", "properties": {"user_id": {"type": "integer"}, "county": {"type": "string"}, "qualified": {"type": "array", "items": {"type": "string"}}, "capacity": {"type": "integer"}, "active": {"type": "boolean"}}, "required": ["user_id", "county"]}}}, auth=True, status="201")},
 "/api/v1/supervision/delicensed": {"get": op("Makers of products that left the catalog, supervised in their own strata", returns=page(ref("Delicensed")), auth=True, params=PAGE_WHOLE),
   "post": op("Add a maker of a de-licensed product", returns=ref("Delicensed"), body={"application/json": {"schema": {"type": "object", "properties": {"uscc": {"type": "string"}, "category": {"type": "string"}, "since": {"type": "string", "format": "date"}, "note": {"type": "string"}}, "required": ["uscc", "category", "since"]}}}, auth=True, status="201")},
 "/api/v1/plans": {"get": op("Spot-check plans of the officer's authority and those below it", returns=page(ref("PlanRecord")), auth=True, params=PAGE),
   "post": op("Draft a plan: strata with quotas, team size, inspection items, the future randomness source and the secret's commitment (or generate_secret); with default_quotas, quotas left at 0 are set from the roster (5% of license holders, 10% of makers of de-licensed products)", returns=ref("PlanAnswer"), body={"application/json": {"schema": {"type": "object"}}}, auth=True, status="201")},
 "/api/v1/plans/{id}": {"get": op("A plan of the officer's authority", returns=ref("PlanRecord"), params=[p("id", "plan id")], auth=True),
   "put": op("Change a draft plan", returns=ref("PlanAnswer"), params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object"}}}, auth=True)},
 "/api/v1/plans/{id}/announce": {"post": op("Announce the plan: it is fixed and logged", returns=ref("PlanRecord"), params=[p("id", "plan id")], auth=True)},
 "/api/v1/plans/{id}/freeze": {"post": op("Freeze both rosters before the beacon value exists and log their roots", returns=ref("PlanRecord"), params=[p("id", "plan id")], auth=True)},
 "/api/v1/plans/{id}/beacon": {"post": op("Enter the beacon value once it exists", returns=ref("PlanRecord"), params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object", "properties": {"value": {"type": "string"}}, "required": ["value"]}}}, auth=True)},
 "/api/v1/plans/{id}/draw": {"post": op("Reveal the secret, run dr-v1, publish the draw and create its inspections", returns=ref("PlanRecord"), params=[p("id", "plan id")], body={"application/json": {"schema": {"type": "object", "properties": {"secret": {"type": "string"}}, "required": ["secret"]}}}, auth=True)},
 "/api/v1/plans/{id}/inspections": {"get": op("The inspections a draw created, with their teams", returns=page(ref("InspectionRecord")), params=PAGE_WHOLE + [p("id", "plan id")], auth=True)},
 "/api/v1/public/inspections": {"get": op("Published inspection results (one public), newest first; rate-limited", returns=page(ref("PublishedResult")), params=PAGE + [q("uscc", "only this enterprise")])},
 "/api/v1/inspections": {"get": op("Inspections: an officer's authority's, an inspector's own tasks, or an enterprise's (flying ones only after the visit)", returns=page(ref("InspectionRecord")), auth=True, params=PAGE)},
 "/api/v1/inspections/{id}": {"get": op("An inspection with its findings, samples and objections", returns=ref("InspectionView"), params=[p("id", "inspection id")], auth=True)},
 "/api/v1/inspections/{id}/visit": {"post": op("Record the visit (team member or officer): a result for every checklist item, and samples taken", returns=ref("InspectionView"), params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"visited_on": {"type": "string", "format": "date"}, "findings": {"type": "array", "items": {"type": "object", "properties": {"item": {"type": "string"}, "result": {"type": "string", "enum": ["conforms", "nonconforming", "not_applicable"]}, "note": {"type": "string"}}}}, "samples": {"type": "array", "items": {"type": "object"}}}, "required": ["visited_on", "findings"]}}}, auth=True)},
 "/api/v1/inspections/{id}/conclude": {"post": op("Conclude (officer): pass or fail with a summary and the samples' lab results; sets the publication deadline", returns=ref("InspectionView"), params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"outcome": {"type": "string", "enum": ["pass", "fail"]}, "summary": {"type": "string"}, "lab_results": {"type": "array", "items": {"type": "object"}}}, "required": ["outcome", "summary"]}}}, auth=True)},
 "/api/v1/inspections/{id}/evidence": {"post": op("Add evidence (team member or officer): a file the caller uploaded, by its SHA-256", returns=ref("InspectionView"), params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"sha256": {"type": "string"}, "filename": {"type": "string"}}, "required": ["sha256", "filename"]}}}, auth=True, status="201")},
 "/api/v1/inspections/{id}/evidence/{sha256}": {"get": op("An evidence file, for the team and the authority", returns=DOCUMENT, params=[p("id", "inspection id"), p("sha256", "file digest")], auth=True)},
 "/api/v1/inspections/{id}/publish": {"post": op("Publish the result: public results and the log", returns=ref("InspectionView"), params=[p("id", "inspection id")], auth=True)},
 "/api/v1/inspections/{id}/objections": {"post": op("Object to a result within 15 days (the inspected enterprise), optionally asking for a re-test", returns=ref("Objection"), params=[p("id", "inspection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string"}, "retest": {"type": "boolean"}}, "required": ["reason"]}}}, auth=True, status="201")},
 "/api/v1/inspections/{id}/objections/{objection}": {"post": op("Decide an objection (officer): dismissed, upheld, retest, then retest_passed or retest_failed", returns=ref("Objection"), params=[p("id", "inspection id"), p("objection", "objection id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"decision": {"type": "string"}, "note": {"type": "string"}}, "required": ["decision", "note"]}}}, auth=True)},
 "/api/v1/enforcement": {"get": op("Measures taken by the officer's authority (optionally against one enterprise)", returns=page(ref("EnforcementRecord")), params=PAGE + [q("uscc", "one enterprise")], auth=True),
   "post": op("Take a measure on a recorded cause: interview, written_report, rectification (with due_days), suspension, revocation (撤销) or withdrawal (吊销); license changes reach the status list and the log", returns=ref("EnforcementRecord"),
     body={"application/json": {"schema": {"type": "object", "properties": {"uscc": {"type": "string"}, "kind": {"type": "string"}, "cause": {"type": "string"}, "note": {"type": "string"}, "due_days": {"type": "integer"}}, "required": ["uscc", "kind", "cause", "note"]}}}, auth=True, status="201")},
 "/api/v1/enforcement/{id}/close": {"post": op("Close an open measure: report received, rectification re-checked (recheck pass/fail), suspension lifted", returns=ref("EnforcementRecord"), params=[p("id", "measure id")],
   body={"application/json": {"schema": {"type": "object", "properties": {"outcome": {"type": "string"}, "recheck": {"type": "string", "enum": ["pass", "fail"]}}, "required": ["outcome"]}}}, auth=True)},
 "/api/v1/inspections/flying": {"post": op("Open a flying (unannounced) inspection with a hand-picked team under the recusal rules, optionally working a lead", returns=ref("InspectionRecord"), body=OPEN_INSPECTION, auth=True, status="201")},
 "/api/v1/inspections/follow-up": {"post": op("Open a follow-up inspection of a license granted on the commitment route (announced to the enterprise)", returns=ref("InspectionRecord"), body=OPEN_INSPECTION, auth=True, status="201")},
 "/api/v1/public/enterprises/{uscc}/declarations": {"get": op("An enterprise's published standards and quality commitment: the latest of each and every version", returns=ref("PublicDeclarations"), params=[p("uscc", "unified social credit code")])},
 "/api/v1/public/recalls": {"get": op("Recalls reported, newest first, with their progress", returns=page(ref("PublicRecall")), params=PAGE + [q("uscc", "one enterprise")])},
 "/api/v1/public/reports": {"post": op("File a complaint or a whistle-blower report (anonymous allowed); the answer carries a tracking code shown once", returns=ref("ReportReceipt"),
   body=obj({"source": {"type": "string", "enum": ["complaint", "whistleblower"]}, "uscc": S, "subject": S, "division": S, "product": S, "description": S, "contact": S}, ["source", "subject", "product", "description"]), status="201")},
 "/api/v1/public/reports/track": {"post": op("A report's state and answer, by its tracking code", returns=ref("LeadStatus"), body=obj({"code": S}, ["code"]))},
 "/api/v1/declarations": {"post": op("Publish a new version of the enterprise's standards (kind standards, a list of product, standard, title) or quality commitment (kind commitment, text)", returns=ref("Declaration"),
   body=obj({"kind": {"type": "string", "enum": ["standards", "commitment"]}, "standards": {"type": "array", "items": sch({"product": S, "standard": S, "title": S}, ["product", "standard", "title"])}, "text": S}, ["kind"]), auth=True, status="201")},
 "/api/v1/accidents": {"get": op("Accident reports: the enterprise's own, or those in the officer's jurisdiction, each flagged late or not", returns=page(late("AccidentReport")), auth=True, params=PAGE),
   "post": op("Report a quality-safety accident (enterprise); late when filed after the reporting window (XUKE_ACCIDENT_HOURS) from occurred_at", returns=late("AccidentReport"),
     body=obj({"product": S, "occurred_at": S, "description": S, "injuries": I, "deaths": I, "measures": S}, ["product", "occurred_at", "description", "measures"]), auth=True, status="201")},
 "/api/v1/recalls": {"get": op("Recalls: the enterprise's own, or those in the officer's jurisdiction", returns=page(late("Recall")), auth=True, params=PAGE),
   "post": op("Report a recall (enterprise); due 2 working days after decided_on", returns=late("Recall"), body=obj({"product": S, "batches": S, "defect": S, "quantity": I, "decided_on": S}, ["product", "batches", "defect", "quantity", "decided_on"]), auth=True, status="201")},
 "/api/v1/recalls/{number}": {"get": op("A recall with its progress updates", returns=ref("RecallDetail"), params=[p("number", "recall number, e.g. ZH2026-000001")], auth=True)},
 "/api/v1/recalls/{number}/progress": {"post": op("Add a progress update (total recovered so far, never decreasing); close with close=true", returns=late("Recall"), params=[p("number", "recall number")],
   body=obj({"recovered": I, "note": S, "close": {"type": "boolean"}}, ["recovered", "note"]), auth=True)},
 "/api/v1/self-reports": {"get": op("The enterprise's yearly self-inspection reports", returns=page(late("SelfReport")), auth=True, params=PAGE_WHOLE),
   "post": op("File the yearly self-inspection report for a year that has ended; due 30 June of the next year", returns=late("SelfReport"),
     body=obj({"year": I, "produced": I, "sold": I, "sales_value": {"type": "number"}, "self_checks": I, "self_check_failures": I, "changes": S, "problems": S},
              ["year", "produced", "sold", "sales_value", "self_checks", "self_check_failures", "changes", "problems"]), auth=True, status="201")},
 "/api/v1/supervision/self-reports": {"get": op("Licensed enterprises in the officer's jurisdiction that owe a year's report, missing ones first", returns=page(ref("Owing")), params=PAGE_WHOLE + [q("year", "report year, default last year", schema=I)], auth=True)},
 "/api/v1/leads": {"get": op("Problem leads in the officer's jurisdiction", returns=page(ref("Lead")), params=PAGE + [q("state", "new, inspecting or closed")], auth=True)},
 "/api/v1/leads/{number}": {"get": op("One lead, with the reporter's contact", returns=ref("Lead"), params=[p("number", "lead number, e.g. XS2026-000001")], auth=True)},
 "/api/v1/leads/{number}/close": {"post": op("Close a lead with the answer its reporter reads", returns=ref("Lead"), params=[p("number", "lead number")], body=obj({"reply": S}, ["reply"]), auth=True)},
 "/api/v1/public/labs": {"get": op("The testing-lab registry: every lab with its CMA number, grade, status periods and scope", returns=page(ref("Lab")), params=PAGE_WHOLE)},
 "/api/v1/public/labs/{code}": {"get": op("One lab of the registry", returns=ref("Lab"), params=[p("code", "lab code, e.g. LAB-000001")])},
 "/api/v1/labs": {"post": op("Register a testing lab (provincial or national officer, administrator): CMA number (12 digits, unique), grade 1 or 2 (class II or above), scope entries of catalog units and standards with dates", returns=ref("Lab"),
   body=obj({"name": S, "uscc": S, "cma_number": S, "grade": I, "division_code": S, "registered_on": S,
             "scopes": {"type": "array", "items": sch({"unit_no": S, "standard": S, "from": S, "until": S}, ["unit_no", "standard", "from"])}},
            ["name", "uscc", "cma_number", "grade", "division_code", "registered_on", "scopes"]), auth=True, status="201")},
 "/api/v1/labs/{code}/status": {"post": op("A new status (registered, suspended, withdrawn) from a day on; periods never overlap and a withdrawal is final", returns=ref("Lab"), params=[p("code", "lab code")],
   body=obj({"status": S, "since": S, "note": S}, ["status", "since", "note"]), auth=True)},
 "/api/v1/labs/{code}/scopes": {"post": op("Add scope entries (unknown units and overlapping periods refused)", returns=ref("Lab"), params=[p("code", "lab code")],
   body={"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}, auth=True)},
 "/api/v1/labs/{code}/members": {"post": op("Link a lab user to the lab", params=[p("code", "lab code")], body=obj({"user_id": I}, ["user_id"]), auth=True, status="204")},
 "/api/v1/test-reports": {"post": op("File one of the lab's test reports (lab user): number, enterprise, units, issue date, pass or fail, and the uploaded file's SHA-256", returns=ref("TestReport"),
   body=obj({"report_no": S, "uscc": S, "units": {"type": "array", "items": S}, "issued_on": S, "conclusion": S, "sha256": S}, ["report_no", "uscc", "units", "issued_on", "conclusion", "sha256"]), auth=True, status="201")},
 "/api/v1/public/credit": {"get": op("Credit-list entries in force (abnormal-operation and serious-violation lists), optionally for one enterprise", returns=page(ref("PublicCreditEntry")), params=PAGE + [q("uscc", "one enterprise")])},
 "/api/v1/public/bans": {"get": op("Life bans of institutions and persons", returns=page(ref("Ban")), params=PAGE_WHOLE)},
 "/api/v1/credit": {"post": op("List an enterprise (officer): abnormal (annual_report_missing or annual_report_false) or serious (3 years, repair after 1)", returns=ref("CreditEntry"),
   body=obj({"uscc": S, "list": {"type": "string", "enum": ["abnormal", "serious"]}, "cause": S, "note": S, "listed_on": S}, ["uscc", "list", "cause", "note"]), auth=True, status="201")},
 "/api/v1/credit/{number}": {"get": op("One entry with its repair applications (its enterprise and the officers over it)", returns=ref("CreditDetail"), params=[p("number", "entry number, e.g. XY2026-000001")], auth=True)},
 "/api/v1/credit/{number}/repairs": {"post": op("Apply for credit repair (the listed enterprise); serious-list entries from one year after listing", returns=ref("CreditRepair"), params=[p("number", "entry number")],
   body=obj({"statement": S}, ["statement"]), auth=True, status="201")},
 "/api/v1/credit-repairs/{id}": {"post": op("Decide a repair application (officer); an approval removes the entry from today", returns=ref("CreditRepair"), params=[p("id", "repair id")],
   body=obj({"approve": {"type": "boolean"}, "decision": S}, ["approve", "decision"]), auth=True)},
 "/api/v1/bans": {"post": op("Ban an institution or person for life (provincial or national officer); a banned lab's registration is withdrawn", returns=ref("Ban"),
   body=obj({"subject_kind": {"type": "string", "enum": ["lab", "review_body", "certification_body", "person"]}, "subject": S, "name": S, "cause": S}, ["subject_kind", "subject", "name", "cause"]), auth=True, status="201")},
 "/api/v1/public/ccc": {"get": op("CCC certificates by number or holder, with today's status (a valid certificate past its end shows as expired)", returns=page(ref("CCCCertificate")), params=PAGE + [q("number", "16-digit certificate number"), q("holder", "holder's unified social credit code")])},
 "/api/v1/public/cert-bodies": {"get": op("Registered certification bodies", returns=page(ref("CertBody")), params=PAGE_WHOLE)},
 "/api/v1/cert-bodies": {"post": op("Register a certification body (provincial or national officer): name, code, CNCA approval number (unique)", returns=ref("CertBody"),
   body=obj({"name": S, "uscc": S, "approval_number": S}, ["name", "uscc", "approval_number"]), auth=True, status="201")},
 "/api/v1/ccc/import": {"post": op("Import certificates as CSV (number,holder_uscc,product,standard,body,status,issued_on,expires_on), up to 512 MiB; every row is checked and one bad row refuses the file; a known number is replaced", returns=ref("ImportSummary"),
   body=CSV, auth=True)},
 "/api/v1/catalog/drafts": {"post": op("Start a draft catalog edition from the edition in force (national officer)", returns=ref("CatalogDraft"),
   body=obj({"title": S, "edition_code": S, "in_force": S, "base_edition": S}, ["title", "edition_code", "in_force"]), auth=True, status="201")},
 "/api/v1/catalog/drafts/{code}": {"get": op("A draft with its changes, consultation, comments, history and impact on the licenses in force (public once out for comment)", returns=ref("DraftDetail"),
   params=[p("code", "e.g. CD2026-001")])},
 "/api/v1/catalog/drafts/{code}/actions": {"put": op("Replace the draft's changes (cancel, merge, delegate, move_to_ccc, add), each checked against the base edition", returns=ref("CatalogDraft"),
   params=[p("code", "draft number")], body={"application/json": {"schema": {"type": "array", "items": sch({"kind": S, "subject_no": S, "target": S, "name_zh": S, "name_en": S, "note": S}, ["kind", "subject_no"])}}}, auth=True)},
 "/api/v1/catalog/drafts/{code}/consultation": {"post": op("Open the draft for comment by named departments and associations until a day", returns=ref("CatalogDraft"),
   params=[p("code", "draft number")], body=obj({"consultees": {"type": "array", "items": sch({"name": S, "kind": S}, ["name", "kind"])}, "until": S}, ["consultees", "until"]), auth=True)},
 "/api/v1/catalog/drafts/{code}/comments": {"post": op("Record a comment received from a consulted organisation", returns=ref("DraftComment"),
   params=[p("code", "draft number")], body=obj({"organisation": S, "body": S, "received_on": S}, ["organisation", "body"]), auth=True, status="201")},
 "/api/v1/catalog/drafts/{code}/comments/{id}/answer": {"post": op("Answer a comment (taken up or not, and why)",
   params=[p("code", "draft number"), p("id", "comment id")], body=obj({"answer": S}, ["answer"]), auth=True, status="204")},
 "/api/v1/catalog/drafts/{code}/withdraw": {"post": op("Withdraw a draft being written or out for comment, with the reason; it stays on record", returns=ref("CatalogDraft"),
   params=[p("code", "draft number")], body=obj({"reason": S}, ["reason"]), auth=True)},
 "/api/v1/catalog/drafts/{code}/publish": {"post": op("Publish the draft as an edition once comments have closed and every one is answered; written to the public log", returns=ref("CatalogEdition"),
   params=[p("code", "draft number")], body=obj({"instrument": S}, ["instrument"]), auth=True)},
 "/api/v1/public/risk": {"get": op("Risk scores of the catalog's categories and units for a year, ranked, with every input (licensed makers, random spot checks and failures with the 95% Wilson interval, accidents and deaths, recalls, complaints, enforcement actions) and each weighted part of the score", returns=ref("RiskReport"),
   params=[q("year", "default this year", schema={"type": "integer"})])},
 "/api/v1/public/review-bodies": {"get": op("Registered review institutions with their status (registered, suspended, barred)", returns=page(ref("ReviewBody")), params=PAGE_WHOLE)},
 "/api/v1/public/review-bodies/{code}": {"get": op("One review body: status history, yearly reports and inspections, and performance in a year (cases reviewed, median and longest working days from assignment to conclusion, passes overturned by a failed inspection within a year)", returns=ref("ReviewBodyDetail"),
   params=[p("code", "e.g. RB-000001"), q("year", "default last year", schema={"type": "integer"})])},
 "/api/v1/review-bodies": {"post": op("Register a review body (provincial or national officer in its province)", returns=ref("ReviewBody"),
   body=obj({"name": S, "uscc": S, "division_code": S, "registered_on": S}, ["name", "uscc", "division_code"]), auth=True, status="201")},
 "/api/v1/review-bodies/{code}/status": {"post": op("Suspend a body or lift its suspension, with a reason (barring is by life ban)", returns=ref("ReviewBody"), params=[p("code", "body code")],
   body=obj({"status": {"type": "string", "enum": ["registered", "suspended"]}, "reason": S}, ["status", "reason"]), auth=True)},
 "/api/v1/review-bodies/{code}/members": {"post": op("Name a verifier as the body's (one body per verifier)", params=[p("code", "body code")],
   body=obj({"user_id": I}, ["user_id"]), auth=True, status="204")},
 "/api/v1/review-bodies/{code}/inspections": {"post": op("Record the yearly inspection: pass, rectify or fail (a failure suspends the body); findings required unless pass", returns=ref("ReviewBodyYear"), params=[p("code", "body code")],
   body=obj({"year": I, "result": {"type": "string", "enum": ["pass", "rectify", "fail"]}, "findings": S}, ["year", "result", "findings"]), auth=True, status="201")},
 "/api/v1/review-reports": {"post": op("File the body's yearly report for a finished year (a member of the body); due 31 March of the next year, reminded in March and when overdue", returns=ref("ReviewBodyYear"),
   body=obj({"year": I, "report": S}, ["year", "report"]), auth=True, status="201")},
 "/api/v1/public/dumps": {"get": op("Daily bulk dumps of the public registers (licenses, labs, CCC certificates, credit entries in force, bans, recalls) as CSV and JSON Lines, with SHA-256 and row counts", returns=page(ref("BulkDump")),
   params=PAGE_WHOLE + [q("days", "how many recent days, 1–90 (default 7)", schema={"type": "integer"})])},
 "/dumps/{day}/{file}": {"get": op("One dump file, <dataset>.csv or <dataset>.jsonl, or SHA256SUMS (the format sha256sum -c reads); the Xuke-SHA256 header repeats the checksum", returns=media("text/csv", "application/jsonl", "text/plain", schema=S),
   params=[p("day", "YYYY-MM-DD"), p("file", "e.g. licenses.csv")])},
 "/api/v1/feed": {"get": op("The change feed (agency clients within their scopes; administrators): events in commit-safe order, "
   "`{events, next, more}`; pass `next` back as `after` to read on. No event is skipped or repeated, also while others write.", returns=ref("FeedPage"),
   params=[q("after", "cursor from the previous page's next, <tx>-<id> (default the beginning)"), q("limit", "1–10000 (default 1000)", schema={"type": "integer"}),
           q("scopes", "narrow to some of the client's scopes: licenses inspections penalties credit duties institutions")], auth=True)},
 "/api/v1/agency-clients": {"get": op("Agency API clients (administrator)", returns=page(ref("AgencyClient")), auth=True, params=PAGE_WHOLE),
   "post": op("Create an agency client (administrator): an account of role agency with its agency, sector (market_registration, tax, finance, insurance, investment, other) and scopes", returns=ref("AgencyClient"),
   body=obj({"username": S, "display_name": S, "password": S, "agency": S, "sector": S, "scopes": S}, ["username", "display_name", "password", "agency", "sector", "scopes"]), auth=True, status="201")},
 "/api/v1/agency-clients/{id}/scopes": {"put": op("Change a client's scopes (administrator); takes effect on its next read or delivery", returns=ref("AgencyClient"), params=[p("id", "client user id")],
   body=obj({"scopes": S}, ["scopes"]), auth=True)},
 "/api/v1/webhooks": {"get": op("My webhooks (agency), or all (administrator)", returns=page(ref("Webhook")), auth=True, params=PAGE_WHOLE),
   "post": op("Register a webhook (agency): https URL, scopes (default all of the client's), start cursor (default the beginning). The secret is shown once; "
   "each delivery is a POST of {webhook, delivery, events} signed in Xuke-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">", returns=ref("NewWebhook"),
   body=obj({"url": S, "scopes": S, "after": S}, ["url"]), auth=True, status="201")},
 "/api/v1/webhooks/{id}": {"get": op("One webhook: position, failures, next attempt, last error", returns=ref("Webhook"), params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/enable": {"post": op("Turn a webhook on again (after a dead letter stopped it); delivery resumes after the parked batch", returns=ref("Webhook"), params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/disable": {"post": op("Stop a webhook; its position is kept", returns=ref("Webhook"), params=[p("id", "webhook id")], auth=True)},
 "/api/v1/webhooks/{id}/dead-letters": {"get": op("Batches parked after every retry failed", returns=page(ref("DeadLetter")), params=PAGE_WHOLE + [p("id", "webhook id")], auth=True)},
 "/api/v1/dead-letters/{id}/redeliver": {"post": op("Send a parked batch again, as first sent (same Xuke-Delivery id)", returns=ref("DeadLetter"), params=[p("id", "dead letter id")], auth=True)},
 "/api/v1/progress/{number}": {"get": op("Public progress of an application by its number: stage and dates, no personal data", returns=ref("Progress"), params=[p("number", "application number, e.g. SQ2026-000001")])},
 "/api/v1/licensing/rules": {"get": op("Time limits and periods in force", returns=RULES, auth=True),
   "put": op("Change time limits (administrator); keys left out keep their defaults", returns=RULES, body=JSON("LicensingRules"), auth=True)},
 "/api/v1/delegations": {"get": op("Prefecture and county bureaus each province has named for its categories", returns=page(ref("Delegation")), auth=True, params=PAGE_WHOLE)},
 "/api/v1/delegations/{province}": {"put": op("Replace a province's delegations (that province's officers or an administrator); applied only where the edition in force allows delegation", returns=arr(ref("Delegation")),
   params=[p("province", "province code, e.g. 440000")], body={"application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": {"category_no": {"type": "string"}, "division_code": {"type": "string"}}}}}}, auth=True)},
 "/api/v1/uploads": {"post": op("Upload a document (enterprise): PDF, JPEG or PNG judged from the bytes, at most 20 MiB; stored by SHA-256", returns=ref("Receipt"),
   body={"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, auth=True, status="201")},
 "/api/v1/applications": {
   "get": op("Work list of open applications in the caller's scope, most urgent first", returns=page(ref("CaseRecord")), auth=True,
             params=[q("due", "all | overdue | nearly_due"), q("state", "case state"), q("handler", "me, none, any or an officer's id"),
                     q("uscc", "the enterprise"), q("q", "a case number, or part of the enterprise's name"),
                     q("due_before", "due on or before this day", schema={"type": "string", "format": "date"}),
                     q("limit", "1–200", schema={"type": "integer"}), AFTER]),
   "post": op("Submit an application (enterprise): new, renewal, change, reissue or cancellation", returns=ref("CaseRecord"), body=JSON("Application"), auth=True, status="201")},
 "/api/v1/applications/{id}": {"get": op("One application with its documents, correction notice, clock stops, verifications, clock and events", returns=ref("CaseView"), params=[p("id", "application id")], auth=True)},
 "/api/v1/applications/{id}/{action}": {"post": op(
   "Act on an application: accept, request_correction, refuse_acceptance (不予受理, with reasons), supplement, assign_verifiers, rectified, approve, refuse, issue, withdraw, stop_clock, resume_clock. "
   "Accepting, asking for correction, refusing acceptance, approving and refusing each issue an official document; issuing issues the certificate. "
   "Send `version` to be refused with 409 if someone acted in between.", returns=ref("CaseRecord"),
   params=[p("id", "application id"), p("action", "the action")], body=JSON("Action"), auth=True)},
 "/api/v1/applications/{id}/documents": {"get": op("The official documents the case's steps gave, oldest first (parties to the case)", returns=arr(ref("OfficialDocument")), params=[p("id", "application id")], auth=True)},
 "/api/v1/documents/{id}": {"get": op("One official document: number, kind, digest, the address its QR code checks at, and what it says (its addressee, the officers over its authority)", returns=ref("OfficialDocument"), params=[p("id", "document id")], auth=True)},
 "/api/v1/applications/{id}/handler": {"post": op("Name the case's handler: without handler_id, take it from the queue for oneself; an office head (section chief or director) gives it to any officer of the authority; a case that has a handler needs a reason", returns=ref("CaseRecord"), params=[p("id", "application id")], body=JSON("HandlerInput"), auth=True)},
 "/api/v1/applications/{id}/sign": {"post": op("Sign the next step of the authority's sign-off chain: the first signature proposes the decision (approve, or refuse with reasons); the last takes it", returns=ref("CaseRecord"), params=[p("id", "application id")], body=JSON("SignInput"), auth=True)},
 "/api/v1/applications/{id}/return": {"post": op("Return a decision under way, with a note: the round ends", returns=ref("CaseRecord"), params=[p("id", "application id")], body=JSON("SignInput"), auth=True)},
 "/api/v1/applications/{id}/signoffs": {"get": op("The case's handler, its authority's chain, the next rank to sign, every signature and every assignment", returns=ref("CaseOrganisation"), params=[p("id", "application id")], auth=True)},
 "/api/v1/authorities/{authority}/settings": {
   "get": op("An authority's own settings: shorter time limits, simplified renewal, the sign-off chain", returns=ref("AuthoritySettings"), params=[p("authority", "national or a division code")], auth=True),
   "put": op("Change an authority's settings (a director of exactly that authority); every change is an event", returns=ref("AuthoritySettings"), params=[p("authority", "national or a division code")], body=JSON("AuthoritySettings"), auth=True)},
 "/api/v1/users/{id}/rank": {"put": op("Set an officer's rank: handler, section_chief or director (administrator)", params=[p("id", "user id")], body=JSON("RankInput"), auth=True, status="204")},
 "/api/v1/licenses/{id}/hearings": {
   "get": op("The licence's hearings (its holder, the officers over its authority)", returns=arr(ref("Hearing")), params=[p("id", "license id")], auth=True),
   "post": op("Tell the holder of the right to a hearing before revoking or withdrawing the licence (officer over its authority); a hearing notice is issued and the holder has 5 working days to ask", returns=ref("Hearing"), params=[p("id", "license id")], body=JSON("HearingNotice"), auth=True, status="201")},
 "/api/v1/hearings/{id}/request": {"post": op("Ask for the hearing (the holder, within 5 working days of the notice)", returns=ref("Hearing"), params=[p("id", "hearing id")], auth=True)},
 "/api/v1/hearings/{id}/schedule": {"post": op("Schedule, or move, the hearing asked for (officer)", returns=ref("Hearing"), params=[p("id", "hearing id")], body=JSON("HearingSchedule"), auth=True)},
 "/api/v1/hearings/{id}/record": {"post": op("Record the hearing held, on or after its day (officer)", returns=ref("Hearing"), params=[p("id", "hearing id")], body=JSON("HearingRecord"), auth=True)},
 "/api/v1/documents/{id}/remedies": {
   "get": op("Reconsiderations and lawsuits recorded against a decision", returns=arr(ref("Remedy")), params=[p("id", "document id")], auth=True),
   "post": op("Record a reconsideration (within 60 days) or lawsuit (within 6 months) against a decision, and its outcome; a reversed revocation or withdrawal reinstates the licence", returns=ref("Remedy"), params=[p("id", "document id")], body=JSON("RemedyInput"), auth=True, status="201")},
 "/api/v1/applications/{id}/materials/{position}": {"get": op("Download a document (parties to the case only)", returns=DOCUMENT, params=[p("id", "application id"), p("position", "document number")], auth=True)},
 "/api/v1/verifications": {"get": op("Open site verifications: the officer's authority, or the verifier's own", returns=page(ref("VerificationRecord")), auth=True, params=PAGE)},
 "/api/v1/verifications/{id}": {"get": op("One site verification with its team and findings", returns=ref("VerificationRecord"), params=[p("id", "verification id")], auth=True)},
 "/api/v1/verifications/{id}/findings": {"post": op("Record findings per checklist item (team member)", returns=ref("VerificationRecord"), params=[p("id", "verification id")],
   body={"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}}, auth=True)},
 "/api/v1/verifications/{id}/conclusion": {"post": op("Conclude: pass, fail, or rectify with a deadline (team member)", returns=ref("VerificationRecord"), params=[p("id", "verification id")], body=JSON("Conclusion"), auth=True)},
 "/api/v1/verifications/{id}/assign": {"post": op("Assign 2–4 verifiers to a follow-up verification (officer)", returns=ref("VerificationRecord"), params=[p("id", "verification id")], body=JSON("VerifierList"), auth=True)},
 "/api/v1/licenses/{id}": {"get": op("One license (holder, its authority's officers, administrators)", returns=ref("LicenseRecord"), params=[p("id", "license id")], auth=True)},
 "/api/v1/licenses/{id}/versions": {"get": op("Every version of a license", returns=page(ref("LicenseVersion")), params=PAGE_WHOLE + [p("id", "license id")], auth=True)},
 "/api/v1/licenses/{id}/revoke": {"post": op("Revoke a commitment-route license for a false commitment (officer)", returns=ref("LicenseRecord"), params=[p("id", "license id")], body=JSON("Reasons"), auth=True)},
 "/api/v1/statistics": {"get": op("Working days from submission to license: median, mean, 90th percentile by authority, category and route; open, overdue and nearly-due counts", returns=ref("Statistics"),
   params=[q("since", "YYYY-MM-DD, default a year ago")], auth=True)},
 "/api/v1/me/inbox": {"get": op("My notifications, newest first", returns=page(ref("Notification")), auth=True, params=PAGE)},
 "/api/v1/me/inbox/{id}/read": {"post": op("Mark a notification read", params=[p("id", "notification id")], auth=True, status="204")},
 "/api/v1/admin/sweep": {"post": op("Apply deemed acceptance, deemed renewal and expiry now (administrator; the server also does it hourly)", returns=ref("SweepReport"), auth=True)},
 "/api/v1/spot-check-results": {"post": op("Record a spot-check result as a fact (administrator)", body=JSON("SpotCheckResult"), auth=True, status="204")},
 "/api/v1/events": {"get": op("The event log (administrator)", returns=page(ref("Event")), auth=True,
                      params=[AFTER, q("limit", "1–1000", schema={"type": "integer"}), q("subject", "e.g. enterprise/<uscc>")])},
}
s = lambda **props: {"type": "object", "properties": props}
# The error codes, from the published list the catalog generates (docs/ERRORS.md).
ERROR_CODES = sorted({line.split("`")[1] for line in (pathlib.Path(__file__).parent.parent / "docs/ERRORS.md").read_text().splitlines()
                      if line.startswith("| `") and not line.startswith("| `http.<")})
ERROR_CODE = {"type": "string", "description": "Stable code; the list with each code's sentences is docs/ERRORS.md",
              "anyOf": [{"enum": ERROR_CODES}, {"pattern": "^http\\.[0-9]{3}$"}]}
# A dry run answers 200 with the same report.
for _path in ("/api/v1/enterprises/import", "/api/v1/licenses/import"):
    _imp = paths[_path]["post"]["responses"]
    _imp["200"] = {"description": "OK (dry run)", "content": _imp["201"]["content"]}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Xuke API", "version": "1", "description": "Industrial product production licensing. Errors are {\"error\":{\"code\",\"message\"}} in the request's language (Accept-Language or ?lang=)."},
 "paths": paths,
 "components": {
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "session": {"type": "apiKey", "in": "cookie", "name": "xuke_session"}},
  "schemas": {
   **RESPONSE_SCHEMAS,
   "Error": model({"error": model({"code": ERROR_CODE, "message": S}, {"problems": arr(model({"line": I, "message": S}))})}),
   "PasswordGrant": {**s(username={"type": "string"}, password={"type": "string"}, name={"type": "string"}), "required": ["username", "password"]},
   "TokenRequest": {**s(name={"type": "string", "maxLength": 50}), "required": ["name"]},
   "HearingNotice": {**s(measure={"type": "string", "enum": ["revocation", "withdrawal"]}, reasons={"type": "string"}), "required": ["measure", "reasons"]},
   "HearingSchedule": {**s(date={"type": "string", "format": "date"}, place={"type": "string", "maxLength": 200}), "required": ["date", "place"]},
   "HearingRecord": {**s(record={"type": "string"}), "required": ["record"]},
   "RemedyInput": {**s(kind={"type": "string", "enum": ["reconsideration", "litigation"]}, body={"type": "string", "maxLength": 200},
                       filed_on={"type": "string", "format": "date"}, outcome={"type": "string", "enum": ["pending", "upheld", "reversed"]},
                       decided_on={"type": "string", "format": "date"}, note={"type": "string"}), "required": ["kind", "body", "filed_on"]},
   "HandlerInput": {**s(handler_id={"type": "integer"}, reason={"type": "string", "maxLength": 500})},
   "SignInput": {**s(decision={"type": "string", "enum": ["approve", "refuse"]}, reasons={"type": "string"}, note={"type": "string"})},
   "RankInput": {**s(rank={"type": "string", "enum": ["handler", "section_chief", "director"]}), "required": ["rank"]},
   "RefusalReason": {**s(reason={"type": "string", "maxLength": 500}), "required": ["reason"]},
   "ResetRequest": {**s(login={"type": "string", "maxLength": 320}), "required": ["login"]},
   "NewEnterpriseUser": {**s(username={"type": "string"}, display_name={"type": "string"}, email={"type": "string", "maxLength": 254}), "required": ["username", "display_name", "email"]},
   "EmailRequest": {**s(address={"type": "string", "maxLength": 254}), "required": ["address"]},
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
 "Accounts": ["auth", "me", "users", "email-confirmations", "registrations", "password-resets", "enterprise"],
 "Catalog": ["catalog", "calendar", "divisions", "delegations"],
 "Licensing": ["applications", "licenses", "licensing", "progress", "uploads", "test-reports", "verifications", "enterprises", "spot-check-results", "statistics", "documents", "authorities", "hearings"],
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
