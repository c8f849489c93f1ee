"""A small OpenID Connect provider for tests, served on 127.0.0.1 in a thread.

Authorisation code flow with PKCE (S256): /authorize redirects back with a code, /token
checks the client, the code, the redirect URI and the verifier and answers an RS256-signed
id_token, /jwks publishes the public key, /userinfo answers the claims for the access token.
Knobs let a test make it misbehave (another audience, another issuer, a foreign key).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "aiom-test-client"
CLIENT_SECRET = "s3cret-for-the-stub"
KID = "stub-key-1"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class StubProvider:
    claims: dict[str, Any]
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    signing_key: rsa.RSAPrivateKey | None = None  # sign with another key than the JWKS one
    audience: str = CLIENT_ID
    issuer_override: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return self.base

    def start(self) -> "StubProvider":
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                provider.seen.append(url.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    self._send(*provider.authorize(query))
                elif url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.discovery_document())
                elif url.path == "/jwks":
                    jwk = RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True)
                    self._send(200, {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]})
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.access.get(token)
                    self._send(200, claims) if claims else self._send(401, {"error": "token"})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                provider.seen.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self._send(*provider.token(form))
                else:
                    self._send(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def discovery_document(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer_override or self.issuer,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "jwks_uri": f"{self.base}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}, {}
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {"error": "pkce required"}, {}
        if "openid" not in query.get("scope", "").split():
            return 400, {"error": "invalid_scope"}, {}
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, None, {"Location": location}

    def token(self, form: dict[str, str]) -> tuple[int, Any]:
        request = self.codes.pop(form.get("code", ""), None)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if request is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != request["redirect_uri"]:
            return 400, {"error": "invalid_grant", "why": "redirect_uri"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != request["code_challenge"]:
            return 400, {"error": "invalid_grant", "why": "pkce"}
        now = int(time.time())
        id_claims = {
            "iss": self.issuer_override or self.issuer,
            "sub": self.claims.get("sub", "stub-subject"),
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": request.get("nonce"),
            "email": self.claims.get("email"),
        }
        id_token = jwt.encode(
            id_claims, self.signing_key or self.key, algorithm="RS256", headers={"kid": KID}
        )
        access_token = secrets.token_urlsafe(24)
        self.access[access_token] = self.claims
        return 200, {
            "access_token": access_token,
            "id_token": id_token,
            "token_type": "Bearer",
            "expires_in": 300,
        }
