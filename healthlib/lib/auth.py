"""Login throttling's authentication backend (django-axes).

Every sign-in over HTTP (the admin's login form) passes the request, so
axes counts it per username and client address. ``authenticate()`` called
without a request (the test client's ``login()``, a script) has no address
to count and is nobody's brute-force channel, so instead of failing, as
axes' own backend does, it is left to the next backend.
"""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
