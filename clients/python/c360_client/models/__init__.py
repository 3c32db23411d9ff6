"""Contains all the data models used in inputs/outputs"""

from .batch_get_health_scores_request import BatchGetHealthScoresRequest
from .batch_get_health_scores_response import BatchGetHealthScoresResponse
from .batch_get_profiles_request import BatchGetProfilesRequest
from .batch_get_profiles_response import BatchGetProfilesResponse
from .bot_views import BotViews
from .churn_model import ChurnModel
from .churn_model_metrics import ChurnModelMetrics
from .cohort import Cohort
from .cohort_analysis import CohortAnalysis
from .cohort_churn import CohortChurn
from .cohort_month import CohortMonth
from .decile_outcome import DecileOutcome
from .delivery_day import DeliveryDay
from .drift_history import DriftHistory
from .driver import Driver
from .driver_direction_type_0 import DriverDirectionType0
from .engagement import Engagement
from .engagement_day import EngagementDay
from .engagement_grain import EngagementGrain
from .engagement_point import EngagementPoint
from .engagement_split import EngagementSplit
from .engagement_trends import EngagementTrends
from .events_accepted import EventsAccepted
from .failed_attempt import FailedAttempt
from .feature_drift import FeatureDrift
from .feature_importance import FeatureImportance
from .field_error import FieldError
from .gate_check import GateCheck
from .health_score import HealthScore
from .health_score_changes import HealthScoreChanges
from .health_score_history import HealthScoreHistory
from .health_score_page import HealthScorePage
from .health_score_removal import HealthScoreRemoval
from .health_score_removal_reason import HealthScoreRemovalReason
from .health_score_upsert import HealthScoreUpsert
from .history_entry import HistoryEntry
from .leaderboard import Leaderboard
from .leaderboard_entry import LeaderboardEntry
from .list_webhook_messages_status import ListWebhookMessagesStatus
from .liveness import Liveness
from .message_counts import MessageCounts
from .model_feature_importance import ModelFeatureImportance
from .model_performance import ModelPerformance
from .problem import Problem
from .queued_webhook_message import QueuedWebhookMessage
from .queued_webhook_message_payload import QueuedWebhookMessagePayload
from .queued_webhook_message_status import QueuedWebhookMessageStatus
from .readiness import Readiness
from .recover_webhook_endpoint_request import RecoverWebhookEndpointRequest
from .registered_model import RegisteredModel
from .registered_model_metrics import RegisteredModelMetrics
from .registered_models import RegisteredModels
from .rejected_event import RejectedEvent
from .removal import Removal
from .removal_reason import RemovalReason
from .risk_tier import RiskTier
from .risk_tier_band import RiskTierBand
from .risk_tier_day import RiskTierDay
from .risk_tier_history import RiskTierHistory
from .risk_tiers import RiskTiers
from .score_date_outcome import ScoreDateOutcome
from .score_date_outcome_metrics import ScoreDateOutcomeMetrics
from .score_date_outcome_tiers import ScoreDateOutcomeTiers
from .subscriber_engagement import SubscriberEngagement
from .subscriber_profile import SubscriberProfile
from .subscriber_tickets import SubscriberTickets
from .subscription_event import SubscriptionEvent
from .subscription_event_batch import SubscriptionEventBatch
from .subscription_event_batch_events_item import SubscriptionEventBatchEventsItem
from .subscription_event_event_type import SubscriptionEventEventType
from .support_ticket import SupportTicket
from .tier_counts import TierCounts
from .tier_outcome import TierOutcome
from .webhook_attempt import WebhookAttempt
from .webhook_attempt_list import WebhookAttemptList
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_statistics import WebhookEndpointStatistics
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .webhook_event_type import WebhookEventType
from .webhook_message import WebhookMessage
from .webhook_message_page import WebhookMessagePage
from .webhook_message_payload import WebhookMessagePayload
from .webhook_message_status import WebhookMessageStatus
from .webhook_recovery import WebhookRecovery
from .webhook_statistics import WebhookStatistics

__all__ = (
    "BatchGetHealthScoresRequest",
    "BatchGetHealthScoresResponse",
    "BatchGetProfilesRequest",
    "BatchGetProfilesResponse",
    "BotViews",
    "ChurnModel",
    "ChurnModelMetrics",
    "Cohort",
    "CohortAnalysis",
    "CohortChurn",
    "CohortMonth",
    "DecileOutcome",
    "DeliveryDay",
    "DriftHistory",
    "Driver",
    "DriverDirectionType0",
    "Engagement",
    "EngagementDay",
    "EngagementGrain",
    "EngagementPoint",
    "EngagementSplit",
    "EngagementTrends",
    "EventsAccepted",
    "FailedAttempt",
    "FeatureDrift",
    "FeatureImportance",
    "FieldError",
    "GateCheck",
    "HealthScore",
    "HealthScoreChanges",
    "HealthScoreHistory",
    "HealthScorePage",
    "HealthScoreRemoval",
    "HealthScoreRemovalReason",
    "HealthScoreUpsert",
    "HistoryEntry",
    "Leaderboard",
    "LeaderboardEntry",
    "ListWebhookMessagesStatus",
    "Liveness",
    "MessageCounts",
    "ModelFeatureImportance",
    "ModelPerformance",
    "Problem",
    "QueuedWebhookMessage",
    "QueuedWebhookMessagePayload",
    "QueuedWebhookMessageStatus",
    "Readiness",
    "RecoverWebhookEndpointRequest",
    "RegisteredModel",
    "RegisteredModelMetrics",
    "RegisteredModels",
    "RejectedEvent",
    "Removal",
    "RemovalReason",
    "RiskTier",
    "RiskTierBand",
    "RiskTierDay",
    "RiskTierHistory",
    "RiskTiers",
    "ScoreDateOutcome",
    "ScoreDateOutcomeMetrics",
    "ScoreDateOutcomeTiers",
    "SubscriberEngagement",
    "SubscriberProfile",
    "SubscriberTickets",
    "SubscriptionEvent",
    "SubscriptionEventBatch",
    "SubscriptionEventBatchEventsItem",
    "SubscriptionEventEventType",
    "SupportTicket",
    "TierCounts",
    "TierOutcome",
    "WebhookAttempt",
    "WebhookAttemptList",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointList",
    "WebhookEndpointStatistics",
    "WebhookEndpointUpdate",
    "WebhookEndpointWithSecret",
    "WebhookEventType",
    "WebhookMessage",
    "WebhookMessagePage",
    "WebhookMessagePayload",
    "WebhookMessageStatus",
    "WebhookRecovery",
    "WebhookStatistics",
)
