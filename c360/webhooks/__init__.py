"""Webhooks: High-risk and tier-change events pushed to marketing automation, Standard Webhooks signed.

The path of an event: ``outbox`` computes the events of a publish and writes one message per event
and subscribed endpoint in the publish's own transaction; ``job`` runs ``delivery``'s engine in
``c360 worker``, which claims due messages under a lease (``claims``), signs them (``signing``),
sends them (``sender``) and records every attempt, retrying on ``schedule``. ``endpoints`` and
``messages`` are the services behind the management API (api/routers/webhooks.py). See
docs/webhooks.md.
"""
