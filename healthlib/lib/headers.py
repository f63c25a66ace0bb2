"""Security headers Django's SecurityMiddleware does not send.

SecurityMiddleware covers HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; django-csp the Content-Security-Policy. This
adds Permissions-Policy. Listed before the page cache's middleware, so
cached pages carry it too.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
