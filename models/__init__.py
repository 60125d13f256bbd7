"""SQLAlchemy models. This package never imports the web layer (app/)."""

from flask_sqlalchemy import SQLAlchemy

from .audit import GENESIS_HASH, AuditEntry
from .base import Base, UTCDateTime
from .contest import STAGE_ORDER, Contest, Stage, StageKind
from .engagement import (
    Comment,
    CommentReport,
    CommentStatus,
    EngagementEvent,
    EventKind,
    ExternalEngagement,
    ExternalPlatform,
    InitiativeView,
    Like,
    Quarantine,
)
from .initiative import (
    Category,
    Initiative,
    InitiativeDocument,
    InitiativeEvent,
    InitiativeImage,
    InitiativeStatus,
)
from .judging import (
    Assignment,
    AssignmentMode,
    Criterion,
    JudgingSettings,
    PanelMember,
    RankingRun,
    RankingRunEntry,
    Review,
    ReviewScore,
    ReviewStatus,
)
from .unit import RosterEntry, Unit, UnitKind
from .user import ApiToken, CodePurpose, RoleGrant, RoleName, User, VerificationCode

db = SQLAlchemy(model_class=Base)

__all__ = [
    "Assignment",
    "AssignmentMode",
    "Criterion",
    "JudgingSettings",
    "PanelMember",
    "RankingRun",
    "RankingRunEntry",
    "Review",
    "ReviewScore",
    "ReviewStatus",
    "Comment",
    "CommentReport",
    "CommentStatus",
    "EngagementEvent",
    "EventKind",
    "ExternalEngagement",
    "ExternalPlatform",
    "InitiativeView",
    "Like",
    "Quarantine",
    "GENESIS_HASH",
    "Initiative",
    "InitiativeDocument",
    "InitiativeEvent",
    "InitiativeImage",
    "InitiativeStatus",
    "STAGE_ORDER",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Category",
    "CodePurpose",
    "Contest",
    "RoleGrant",
    "RoleName",
    "RosterEntry",
    "Stage",
    "StageKind",
    "UTCDateTime",
    "Unit",
    "UnitKind",
    "User",
    "VerificationCode",
    "db",
]
