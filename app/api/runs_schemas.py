"""Marshmallow schemas of the ranking API: criteria, parameters, runs and the published finalists."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from app.api.schemas import LocalDateTime


class CriterionSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    name_en = fields.Str()
    description = fields.Str()
    description_en = fields.Str()
    weight = fields.Float()
    max_score = fields.Float()
    position = fields.Int()


class RankingParamsSchema(Schema):
    """The method's parameters (docs/RANKING.md, section 12). As input every field is optional: the
    run uses the contest's stored parameters with these on top."""

    class Meta:
        unknown = RAISE

    expert = fields.Str(metadata={"description": "mean | trimmed | calibrated", "example": "mean"})
    scale = fields.Str(metadata={"description": "log | linear | percentile", "example": "log"})
    alpha = fields.Float(metadata={"description": "share of E in F", "example": 0.7})
    min_reviews = fields.Int(strict=True, metadata={"example": 3})
    trim_from = fields.Int(strict=True, metadata={"example": 5})
    calibrate_from = fields.Int(strict=True, metadata={"example": 5})
    finalists = fields.Int(strict=True, metadata={"example": 10})
    category_minimum = fields.Dict(
        keys=fields.Str(),
        values=fields.Int(strict=True),
        metadata={"description": "category id → minimum finalist places", "example": {"3": 2}},
    )
    unit_maximum = fields.Int(strict=True, allow_none=True, metadata={"description": "null: no limit"})
    w_likes = fields.Float(metadata={"example": 1})
    w_commenters = fields.Float(metadata={"example": 2})
    w_views = fields.Float(metadata={"example": 0})
    w_imported_likes = fields.Float(metadata={"example": 1})
    w_imported_comments = fields.Float(metadata={"example": 2})
    w_imported_shares = fields.Float(metadata={"example": 2})


class RunLineSchema(Schema):
    initiative_id = fields.Int()
    rank = fields.Int(allow_none=True)
    E = fields.Float(allow_none=True, metadata={"description": "expert score, 0–100, 2 decimals"})
    P = fields.Float(allow_none=True, metadata={"description": "engagement score, 0–100, 2 decimals"})
    F = fields.Float(allow_none=True, metadata={"description": "final score α·E + (1 − α)·P"})
    reviews = fields.Int(metadata={"description": "counted reviews"})
    likes = fields.Int()
    commenters = fields.Int()
    views = fields.Int()
    engagement = fields.Float(metadata={"description": "engagement e"})
    finalist = fields.Bool()
    ranked = fields.Bool()
    reason = fields.Str(allow_none=True, metadata={"description": "why not ranked: too_few_reviews"})


class RankingRunSchema(Schema):
    id = fields.Int()
    contest_id = fields.Int()
    created_at = LocalDateTime()
    engine_version = fields.Str()
    digest = fields.Str(metadata={"description": "SHA-256 of the canonical snapshot"})
    params = fields.Nested(RankingParamsSchema)
    published = fields.Bool()
    results = fields.List(fields.Nested(RunLineSchema))


class UnpublishInSchema(Schema):
    reason = fields.Str(load_default="", validate=validate.Length(max=2000))


class FinalistSchema(Schema):
    initiative_id = fields.Int()
    title = fields.Str()
    unit = fields.Str()
    category = fields.Str(allow_none=True)
    rank = fields.Int()
    E = fields.Float()
    P = fields.Float()
    F = fields.Float()
    reviews = fields.Int()
    likes = fields.Int()
    commenters = fields.Int()
    views = fields.Int()
    imported_likes = fields.Int()
    imported_comments = fields.Int()
    imported_shares = fields.Int()
    engagement = fields.Float()


class FinalistsSchema(Schema):
    run_id = fields.Int()
    digest = fields.Str()
    published_at = LocalDateTime()
    params = fields.Nested(RankingParamsSchema)
    finalists = fields.List(fields.Nested(FinalistSchema))
