"""healthlib's Redis cache backend, without a Redis server: it must build
one client per connection pool and reuse it (Django's builds one per
operation), and still be Django's backend in every other way."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from healthlib.lib.cache import RedisCache


class _Client:
    """Stands in for redis.Redis: counts how many are made, keeps values."""

    made = 0

    def __init__(self, connection_pool):
        type(self).made += 1
        self.connection_pool = connection_pool
        self.values = {}

    def set(self, key, value, ex=None, nx=False):
        self.values[key] = value
        return True

    def get(self, key):
        return self.values.get(key)


def _cache():
    cache = RedisCache("redis://127.0.0.1:1/0", {"KEY_PREFIX": "t"})
    client = cache._cache
    client._client = _Client
    _Client.made = 0
    return cache, client


def test_one_client_per_pool_reused_for_every_operation():
    cache, client = _cache()
    first = client.get_client("a", write=True)
    assert client.get_client("b", write=False) is first
    assert client.get_client("c", write=True) is first
    assert _Client.made == 1


def test_values_round_trip_through_the_reused_client():
    cache, _client = _cache()
    cache.set("greeting", {"hello": "world"})
    assert cache.get("greeting") == {"hello": "world"}
    assert cache.get("missing", "default") == "default"
    assert _Client.made == 1


def test_it_is_djangos_backend_otherwise():
    assert issubclass(RedisCache, DjangoRedisCache)
