"""Partners: the sites and systems that reuse the library.

* ``keys``: API keys (made, checked, revoked), the API's rate limits and the
  count of each partner's requests per day;
* ``feed``: the change feed's log, written by a receiver of the one
  live-change event, and read a page at a time by ``conditions.api.changes``;
* ``webhooks``: each change signed (Standard Webhooks) and delivered to the
  partners' addresses by the task queue, with retries;
* ``chart``: the admin's small chart of a partner's requests.

The models are in ``conditions.models.partners``; the admin in
``conditions.admin.partners``.
"""
