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
  }},
}
out = pathlib.Path(__file__).resolve().parent.parent / "Sources/XukeApp/Resources/static/openapi.json"
out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
