"""Verifies a Xuke e-license with PyJWT and the published JWK Set (docs/FORMATS.md §5).

usage: verify_credential.py JWKS_FILE JWS_FILE   -> prints the verified claims as JSON, exit 0
"""
import json
import sys

import jwt

jwks = jwt.PyJWKSet.from_dict(json.load(open(sys.argv[1])))
token = open(sys.argv[2]).read().strip()
header = jwt.get_unverified_header(token)
assert header["typ"] == "lic+jwt", header
key = next(k for k in jwks.keys if k.key_id == header["kid"])
claims = jwt.decode(token, key.key, algorithms=["EdDSA"], options={"require": ["iss", "sub", "jti", "iat", "nbf", "exp"]})
print(json.dumps(claims, ensure_ascii=False, sort_keys=True))
