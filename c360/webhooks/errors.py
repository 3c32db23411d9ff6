"""Failures of the webhook services, in the one hierarchy (mapped to problem+json by api.problems)."""

from __future__ import annotations

from c360.serving.errors import ServingError


class EndpointNotFound(ServingError):
    """No webhook endpoint has this id."""

    status = 404
    slug = "webhook-endpoint-not-found"
    title = "Webhook endpoint not found"


class MessageNotFound(ServingError):
    """The endpoint has no message with this id."""

    status = 404
    slug = "webhook-message-not-found"
    title = "Webhook message not found"


class InvalidEndpointUrl(ServingError):
    """An endpoint URL that is malformed, not https, or resolves to an address we refuse to call (SSRF)."""

    status = 422
    slug = "invalid-webhook-url"
    title = "Webhook URL refused"


class InvalidEventTypes(ServingError):
    """An endpoint must subscribe to at least one known event type."""

    status = 422
    slug = "invalid-event-types"
    title = "Unknown or missing event types"
