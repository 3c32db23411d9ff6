"""The serving store's whole schema: every table, each defined beside the code that owns it, in one MetaData.

One database, one schema history (``c360/serving/migrations``): the store's own tables (``c360.serving.store``),
API keys (``c360.auth.keys``), the events inbox (``c360.sources.inbox``) and the webhook tables
(``c360.webhooks.tables``). Importing this module registers them all, for Alembic and the schema test.
"""

from __future__ import annotations

from c360.auth import keys
from c360.serving import store
from c360.sources import inbox
from c360.webhooks import tables

metadata = store.metadata
TABLES = (keys.api_keys, inbox.event_inbox, tables.webhook_endpoints, tables.webhook_messages, tables.webhook_attempts)
