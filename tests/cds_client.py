"""A CDS Hooks client, as an EHR calls the library's services: hook
calls built from the FHIR R4 resources in ``tests/conditions/fhir/``, and
a FHIR server on 127.0.0.1 answering searches and reads with a bearer
token, for the calls that prefetch less."""

import copy
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.paths import FHIR

TOKEN = "eyJhbGciOiJub25lIn0.sandbox-access-token"


def resource(name):
    """A FHIR resource from tests/conditions/fhir/ (a fresh copy)."""
    return json.loads((FHIR / f"{name}.json").read_text(encoding="utf-8"))


def call(hook, *, context=None, prefetch=None, fhir_server=None, token=TOKEN, **extra):
    """A hook call's body (a dict), for the patient María García."""
    body = {
        "hook": hook,
        "hookInstance": str(uuid.UUID(int=7)),
        "context": {
            "userId": "Practitioner/dr-okafor",
            "patientId": "maria-garcia",
            **(context or {}),
        },
        **extra,
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    if fhir_server is not None:
        body["fhirServer"] = fhir_server
        body["fhirAuthorization"] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Condition.read",
            "subject": "cds-service-healthlib",
        }
    return body


def patient_view(**kwargs):
    prefetch = kwargs.pop(
        "prefetch",
        {"patient": resource("patient-es"), "conditions": resource("conditions-searchset")},
    )
    return call("patient-view", prefetch=prefetch, **kwargs)


def order_select(selections=("MedicationRequest/order-clonazepam",), **kwargs):
    context = {"selections": list(selections), "draftOrders": resource("draft-orders")}
    prefetch = kwargs.pop("prefetch", {"patient": resource("patient-es")})
    return call("order-select", context=context, prefetch=prefetch, **kwargs)


def post(client, service, body, **headers):
    """POST ``body`` (a dict, or bytes as they are) to /cds-services/<service>."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        f"/cds-services/{service}", data, content_type="application/json", headers=headers
    )


class FhirServer:
    """A FHIR server on 127.0.0.1 with the resources ``served`` ({path:
    resource}, the path without the base, such as "Patient/maria-garcia"
    or "Condition"); a request without ``Bearer <token>`` is answered 401
    (``token=None``: any request is answered).
    ``requests`` lists (path, query, authorization) of each request;
    ``answer`` replaces the answer: (status, bytes)."""

    def __init__(self, served, *, answer=None, delay=0.0, token=TOKEN):
        self.served = copy.deepcopy(served)
        self.token = token
        self.answer = answer
        self.delay = delay
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                path = parts.path.removeprefix("/fhir/")
                authorization = self.headers.get("Authorization", "")
                server.requests.append((path, parse_qs(parts.query), authorization))
                if server.delay:
                    threading.Event().wait(server.delay)
                if server.answer is not None:
                    status, body = server.answer
                elif server.token and authorization != f"Bearer {server.token}":
                    status, body = 401, b'{"resourceType": "OperationOutcome"}'
                elif path in server.served:
                    status, body = 200, json.dumps(server.served[path]).encode()
                else:
                    status, body = 404, b'{"resourceType": "OperationOutcome"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/fhir+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the service gave up first
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/fhir"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
