"""Outside services some tests need, and whether this machine has them."""

import socket


def redis_up(host="127.0.0.1", port=6379):
    """Whether Redis answers (the RQ tests skip, saying so, when not)."""
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False
