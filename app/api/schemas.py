"""Marshmallow schemas of the API; times are ISO 8601 with their offset (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class LocalDateTime(fields.AwareDateTime):
    """Serialises in Vietnam's time with its +07:00 offset; accepts any offset, naive as local."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=LOCAL_ZONE, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(LOCAL_ZONE).isoformat()


class UnitRefSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()


class UserSchema(Schema):
    id = fields.Int()
    full_name = fields.Str()
    roles = fields.List(fields.Str(), attribute="role_names")
    verified = fields.Bool(attribute="is_verified")
    unit = fields.Nested(UnitRefSchema, allow_none=True)
    represented_unit_ids = fields.List(fields.Int())


class TokenRequestSchema(Schema):
    login = fields.Str(
        required=True, validate=validate.Length(min=1, max=254), metadata={"example": "dan1@demo.vn"}
    )
    password = fields.Str(required=True, validate=validate.Length(min=1, max=200), load_only=True)


class TokenSchema(Schema):
    token = fields.Str()
    expires_at = LocalDateTime()
    user = fields.Nested(UserSchema)


class StageSchema(Schema):
    kind = fields.Str()
    name = fields.Str()
    opens_at = LocalDateTime()
    closes_at = LocalDateTime()
    is_open = fields.Bool()


class ContestSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    slug = fields.Str()
    year = fields.Int()
    stages = fields.List(fields.Nested(StageSchema))


class StagePatchSchema(Schema):
    opens_at = LocalDateTime()
    closes_at = LocalDateTime()
