"""Marshmallow schemas of the API; times are ISO 8601 with their offset (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_smorest.fields import Upload
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


class IdNameSchema(Schema):
    id = fields.Int()
    name = fields.Str()


class InitiativeQuerySchema(Schema):
    q = fields.Str(load_default="", validate=validate.Length(max=100))
    category = fields.Int(load_default=None)
    unit = fields.Int(load_default=None)
    sort = fields.Str(
        load_default="newest", validate=validate.OneOf(["newest", "likes", "comments", "random"])
    )
    seed = fields.Int(load_default=0, metadata={"description": "keeps the random order stable between pages"})
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Int(load_default=12, validate=validate.Range(min=1, max=60))


class InitiativeItemSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    summary = fields.Str()
    unit = fields.Nested(IdNameSchema)
    category = fields.Str(allow_none=True)
    status = fields.Str()
    like_count = fields.Int()
    comment_count = fields.Int()
    thumbnail_url = fields.Str(allow_none=True)
    published_at = LocalDateTime(allow_none=True)


class InitiativePageSchema(Schema):
    items = fields.List(fields.Nested(InitiativeItemSchema))
    page = fields.Int()
    pages = fields.Int()
    total = fields.Int()


class ImageSchema(Schema):
    id = fields.Int()
    thumbnail_url = fields.Str()
    display_url = fields.Str()
    width = fields.Int()
    height = fields.Int()


class DocumentSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    url = fields.Str()
    size = fields.Int()


class InitiativeDetailSchema(InitiativeItemSchema):
    category_id = fields.Int(allow_none=True)
    problem = fields.Str()
    solution = fields.Str()
    results = fields.Str()
    cost = fields.Str()
    in_use_since = fields.Date(allow_none=True)
    contact_name = fields.Str()
    contact_phone = fields.Str()
    contact_email = fields.Str()
    video_url = fields.Str()
    view_count = fields.Int()
    submitted_at = LocalDateTime(allow_none=True)
    images = fields.List(fields.Nested(ImageSchema))
    documents = fields.List(fields.Nested(DocumentSchema))


class InitiativeInSchema(Schema):
    unit_id = fields.Int(metadata={"description": "needed when you represent several units"})
    title = fields.Str(validate=validate.Length(min=1, max=200))
    summary = fields.Str(validate=validate.Length(max=500))
    problem = fields.Str(validate=validate.Length(max=20000))
    solution = fields.Str(validate=validate.Length(max=20000))
    results = fields.Str(validate=validate.Length(max=20000))
    cost = fields.Str(validate=validate.Length(max=200))
    in_use_since = fields.Date(allow_none=True)
    category_id = fields.Int(allow_none=True)
    contact_name = fields.Str(validate=validate.Length(max=120))
    contact_phone = fields.Str(validate=validate.Length(max=20))
    contact_email = fields.Email(validate=validate.Length(max=254))
    video_url = fields.Str(validate=validate.Length(max=300))


class ReviewInSchema(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(["publish", "return", "reject"]))
    reason = fields.Str(load_default="", validate=validate.Length(max=2000))


class WithdrawInSchema(Schema):
    reason = fields.Str(load_default="", validate=validate.Length(max=1000))


class UploadSchema(Schema):
    file = Upload(required=True)


class LikeStateSchema(Schema):
    liked = fields.Boolean(required=True)
    like_count = fields.Integer(required=True)


# --- engagement imported from other platforms (helper "external-chart") ---


class ExternalEngagementInSchema(Schema):
    initiative_id = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    platform = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "fanpage, zalo_oa, portal or other", "example": "fanpage"},
    )
    likes = fields.Int(required=True, strict=True, validate=validate.Range(min=0, max=2_147_483_647))
    comments = fields.Int(required=True, strict=True, validate=validate.Range(min=0, max=2_147_483_647))
    shares = fields.Int(required=True, strict=True, validate=validate.Range(min=0, max=2_147_483_647))
    measured_at = LocalDateTime(
        required=True, metadata={"description": "not in the future; without an offset, Vietnam time"}
    )
    source_url = fields.Str(
        load_default="",
        validate=validate.Length(max=500),
        metadata={"description": "http(s) link to the post"},
    )


class ExternalEngagementSchema(Schema):
    id = fields.Int()
    initiative_id = fields.Int()
    platform = fields.Str()
    likes = fields.Int()
    comments = fields.Int()
    shares = fields.Int()
    measured_at = LocalDateTime()
    source_url = fields.Str()
    imported_at = LocalDateTime()


# --- comments (helper "likes-comments") ---


class CommentReplySchema(Schema):
    id = fields.Int()
    body = fields.Str(metadata={"description": "empty for a placeholder (a deleted or hidden comment)"})
    author = fields.Str(allow_none=True, metadata={"description": "full name; null for a placeholder"})
    created_at = LocalDateTime()
    edited = fields.Bool()
    parent_id = fields.Int(
        allow_none=True, metadata={"description": "the thread's first comment; null for that one"}
    )
    status = fields.Str(
        metadata={
            "description": "visible; deleted or hidden (a placeholder kept for its replies); own_hidden or "
            "own_removed (your own comment, which others do not see)"
        }
    )


class CommentSchema(CommentReplySchema):
    replies = fields.List(fields.Nested(CommentReplySchema), metadata={"description": "oldest first"})


class CommentPageSchema(Schema):
    items = fields.List(fields.Nested(CommentSchema), metadata={"description": "threads, newest first"})
    page = fields.Int()
    pages = fields.Int()
    total = fields.Int(metadata={"description": "threads shown"})


class CommentQuerySchema(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1))


class CommentInSchema(Schema):
    body = fields.Str(load_default="", metadata={"description": "1 to 2,000 characters once trimmed"})
    parent_id = fields.Int(
        load_default=None,
        allow_none=True,
        metadata={"description": "reply to this comment (a reply to a reply joins its thread)"},
    )


class CommentReportInSchema(Schema):
    reason = fields.Str(load_default="", metadata={"description": "1 to 500 characters"})


class CommentReportStateSchema(Schema):
    hidden = fields.Bool(required=True, metadata={"description": "hidden until the moderators decide"})
