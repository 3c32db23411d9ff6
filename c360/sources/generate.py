"""Deterministic synthetic data for the three source systems (subscriptions, engagement, support).

The implementation lives in c360.sources.synth; this module is the stable import path used by the CLI:

    from c360.sources.generate import generate, GenerateResult
"""

from __future__ import annotations

from c360.sources.synth.api import GenerateResult, generate

__all__ = ["GenerateResult", "generate"]
