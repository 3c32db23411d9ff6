"""The contract: openapi.yaml is what the app generates, and says what clients and SDK generators need."""

from __future__ import annotations

from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from api.contract import generate
from tests.conftest import REPO

OPERATIONS = {
    "get_subscriber_profile", "get_health_score", "get_health_score_history", "list_health_scores",
    "batch_get_health_scores", "list_health_score_changes", "batch_get_subscriber_profiles", "get_risk_tiers",
    "get_current_model", "list_models", "get_model_performance", "ingest_subscription_events",
    "get_liveness", "get_readiness", "get_metrics",
    "create_webhook_endpoint", "list_webhook_endpoints", "get_webhook_endpoint", "update_webhook_endpoint",
    "delete_webhook_endpoint", "rotate_webhook_endpoint_secret", "send_test_webhook", "list_webhook_messages",
    "list_webhook_message_attempts", "resend_webhook_message", "recover_webhook_endpoint",
    "get_risk_tier_history", "get_engagement_trends", "get_cohort_analysis", "get_feature_importance",
    "get_feature_drift", "get_webhook_statistics", "get_churn_risk_leaderboard", "get_subscriber_engagement",
    "list_subscriber_tickets",
}  # fmt: skip


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    text = generate()
    committed = (REPO / "openapi.yaml").read_text()
    assert committed == text, "openapi.yaml is out of date with the app: run `make openapi`"
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]


def test_openapi_yaml_is_current_and_names_every_operation(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert {op["operationId"] for _, _, op in operations(document)} == OPERATIONS
    assert document["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "c360_<key_id>_<secret>",
        "description": "An API key from `c360 keys create`, sent as `Authorization: Bearer <key>`.",
    }


def test_every_operation_is_described_and_every_error_is_a_problem(document: dict[str, Any]) -> None:
    for path, method, op in operations(document):
        assert op.get("summary") and op.get("description") and op.get("tags"), (method, path)
        assert path.startswith("/v1/") == bool(op.get("security")), (method, path)
        for code, response in op["responses"].items():
            if int(code) >= 400:
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, code)
        if op.get("security"):
            assert {"401", "403", "429"} <= op["responses"].keys()
            assert op["x-required-scope"] in {
                "scores:read",
                "profiles:read",
                "events:write",
                "webhooks:manage",
                "analytics:read",
            }
            assert op["description"].endswith(f"Scope: `{op['x-required-scope']}`.")
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "examples" in schemas["HealthScore"]
