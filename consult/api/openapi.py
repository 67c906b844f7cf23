"""The OpenAPI 3.1 description of /api/v1 (tests validate real responses against it)."""
from consult.moderation.models import HIDE_REASONS

_TEXT = {"type": "object", "required": ["markdown", "html"], "additionalProperties": False,
         "properties": {"markdown": {"type": "string"}, "html": {"type": "string"}}}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_STANCE = {"type": ["string", "null"], "enum": ["support", "concern", "suggestion", "question", None]}


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_ERRORS = {
    "400": _error_response("The request is malformed (e.g. the body is not a JSON object)."),
    "401": _error_response("The API token is missing, unknown or revoked."),
    "403": _error_response("The token's user may not do this (e.g. read a draft)."),
    "404": _error_response("No such plan, version, action or comment (or it is not visible to you)."),
    "409": _error_response("The state does not allow it: the consultation window of this version is not open, "
                           "the comment replied to is hidden, deleted or waiting for moderation, or a clashing "
                           "change was saved at the same moment (try again)."),
    "422": _error_response("A field is not valid; `fields` says which."),
    "429": _error_response("Too many requests; wait and try again."),
}

_PLAN_PARAMS = [
    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "number", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
]
_ACTION_PARAMS = _PLAN_PARAMS + [{"name": "key", "in": "path", "required": True,
                                   "schema": {"type": "string", "pattern": "^A[0-9]+$"}}]


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "consult API", "version": "1",
                 "description": "Read published action plans and their discussions; post comments with a "
                                "personal token (create one on your account page)."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal API token."}},
            "schemas": {
                "Error": {
                    "type": "object", "required": ["error"], "additionalProperties": False,
                    "properties": {"error": {
                        "type": "object", "required": ["code", "message", "fields"], "additionalProperties": False,
                        "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                                       "fields": {"type": "object",
                                                  "additionalProperties": {"type": "string"}}}}}},
                "PlanSummary": {
                    "type": "object", "additionalProperties": False,
                    "required": ["slug", "title", "summary", "organisation", "project", "policy_instrument",
                                 "language", "timezone", "visibility", "latest_version", "url"],
                    "properties": {
                        "slug": {"type": "string"}, "title": {"type": "string"}, "summary": {"type": "string"},
                        "organisation": {"type": "string"}, "project": {"type": "string"},
                        "policy_instrument": {"type": "string"}, "language": {"type": "string"},
                        "timezone": {"type": "string"}, "visibility": {"enum": ["public", "invite"]},
                        "latest_version": {"type": ["integer", "null"]}, "url": {"type": "string"}}},
                "PlanList": {"type": "object", "required": ["plans"], "additionalProperties": False,
                             "properties": {"plans": {"type": "array",
                                                      "items": {"$ref": "#/components/schemas/PlanSummary"}}}},
                "Text": _TEXT,
                "Version": {
                    "type": "object", "additionalProperties": False,
                    "required": ["plan", "number", "status", "published_at", "window", "general", "change_summary",
                                 "actions"],
                    "properties": {
                        "plan": {"type": "string"}, "number": {"type": "integer"},
                        "status": {"enum": ["draft", "published"]}, "published_at": _TIME,
                        "window": {"type": "object", "additionalProperties": False,
                                   "required": ["opens_at", "closes_at", "state", "accepts_comments"],
                                   "properties": {"opens_at": _TIME, "closes_at": _TIME,
                                                  "state": {"enum": ["none", "upcoming", "open", "closed"]},
                                                  "accepts_comments": {"type": "boolean"}}},
                        "general": {"type": "object", "required": ["summary", "policy_context"],
                                    "additionalProperties": False,
                                    "properties": {"summary": {"$ref": "#/components/schemas/Text"},
                                                   "policy_context": {"$ref": "#/components/schemas/Text"}}},
                        "change_summary": {"$ref": "#/components/schemas/Text"},
                        "actions": {"type": "array", "items": {"$ref": "#/components/schemas/Action"}}}},
                "Action": {
                    "type": "object", "additionalProperties": False,
                    "required": ["key", "position", "title", "fields", "comment_count"],
                    "properties": {
                        "key": {"type": "string"}, "position": {"type": "integer"}, "title": {"type": "string"},
                        "comment_count": {"type": "integer", "minimum": 0},
                        "fields": {"type": "object", "additionalProperties": False,
                                   "required": ["background", "description", "players", "timeframe", "costs",
                                                "funding"],
                                   "properties": {name: {"$ref": "#/components/schemas/Text"} for name in
                                                  ("background", "description", "players", "timeframe", "costs",
                                                   "funding")}}}},
                "Comment": {
                    "type": "object", "additionalProperties": False,
                    "required": ["id", "parent_id", "version", "status", "hidden_reason", "author",
                                 "stakeholder_group", "stance", "body_html", "created_at", "edited", "edited_at",
                                 "deleted", "url", "anchor", "replies"],
                    "properties": {
                        "id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
                        "version": {"type": "integer"},
                        "status": {"enum": ["visible", "hidden", "deleted", "pending"],
                                   "description": "A hidden or deleted comment stays as a placeholder that keeps "
                                                  "its replies, without text, author, group, stance or passage "
                                                  "(as on the page, a deleted top-level comment that was never "
                                                  "answered is left out). "
                                                  "`pending` (waiting for a moderator's approval) is only seen "
                                                  "by its author, in the reply to posting it."},
                        "hidden_reason": {"type": ["string", "null"],
                                          "enum": [*HIDE_REASONS, None],
                                          "description": "Why the moderators hid it; null unless hidden."},
                        "author": {"type": ["string", "null"],
                                   "description": "Display name; null when hidden or deleted."},
                        "stakeholder_group": {"type": ["string", "null"]},
                        "stance": _STANCE,
                        "body_html": {"type": ["string", "null"],
                                      "description": "Sanitised HTML rendered when the comment was written; null "
                                                     "when hidden or deleted."},
                        "created_at": {"type": "string", "format": "date-time"},
                        "edited": {"type": "boolean"}, "edited_at": _TIME, "deleted": {"type": "boolean"},
                        "url": {"type": "string"},
                        "anchor": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Anchor"}]},
                        "replies": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}}}},
                "Anchor": {
                    "type": "object", "required": ["field", "quote"], "additionalProperties": False,
                    "properties": {
                        "field": {"enum": ["background", "description", "players", "timeframe", "costs", "funding"]},
                        "quote": {"type": "string", "maxLength": 1000,
                                  "description": "The passage as readers see it (plain text, no Markdown)."},
                        "prefix": {"type": "string", "description": "A few words before it (to tell repeats apart)."},
                        "suffix": {"type": "string"}}},
                "Thread": {
                    "type": "object", "additionalProperties": False,
                    "required": ["plan", "version", "action", "total", "comments"],
                    "properties": {"plan": {"type": "string"}, "version": {"type": "integer"},
                                   "action": {"type": "string"},
                                   "total": {"type": "integer", "description": "Visible comments in the thread."},
                                   "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}}}},
                "FieldOps": {
                    "type": "object", "additionalProperties": False, "required": ["name", "ops"],
                    "properties": {"name": {"type": "string"}, "ops": {"type": "array", "items": {
                        "type": "array", "prefixItems": [{"enum": ["equal", "insert", "delete"]}, {"type": "string"}],
                        "minItems": 2, "maxItems": 2},
                        "description": "Word-level diff: equal+delete texts give the old text, "
                                       "equal+insert texts the new one."}}},
                "Comparison": {
                    "type": "object", "additionalProperties": False, "required": ["from", "to", "actions", "general"],
                    "properties": {
                        "from": {"type": "integer"}, "to": {"type": "integer"},
                        "general": {"type": "array", "items": {"$ref": "#/components/schemas/FieldOps"}},
                        "actions": {"type": "array", "items": {
                            "type": "object", "additionalProperties": False,
                            "required": ["key", "change", "from_position", "to_position", "words_added",
                                         "words_removed", "fields"],
                            "properties": {
                                "key": {"type": "string"},
                                "change": {"enum": ["added", "removed", "changed", "moved", "unchanged"]},
                                "from_position": {"type": ["integer", "null"]},
                                "to_position": {"type": ["integer", "null"]},
                                "words_added": {"type": "integer"}, "words_removed": {"type": "integer"},
                                "fields": {"type": "array", "items": {"$ref": "#/components/schemas/FieldOps"}}}}}}},
                "Tally": {
                    "type": "object", "additionalProperties": False, "required": ["plan", "version", "actions"],
                    "properties": {
                        "plan": {"type": "string"}, "version": {"type": "integer"},
                        "actions": {"type": "array", "items": {
                            "type": "object", "additionalProperties": False,
                            "required": ["key", "total", "participants", "hidden", "pending", "answered",
                                         "by_stance", "by_group", "by_tag", "by_disposition"],
                            "properties": {
                                "key": {"type": "string"},
                                "total": {"type": "integer", "description": "Visible comments."},
                                "participants": {"type": "integer",
                                                 "description": "Distinct authors (and meeting tables)."},
                                "hidden": {"type": "integer"}, "pending": {"type": "integer"},
                                "answered": {"type": "integer", "description": "Top-level comments answered."},
                                "by_stance": {"type": "object", "additionalProperties": {"type": "integer"},
                                              "description": "support, concern, suggestion, question, reply."},
                                "by_group": {"type": "object", "additionalProperties": {"type": "integer"},
                                             "description": "Stakeholder group name (\"\" for none) → count."},
                                "by_tag": {"type": "object", "additionalProperties": {"type": "integer"}},
                                "by_disposition": {"type": "object", "additionalProperties": {"type": "integer"}},
                            }}}}},
                "NewComment": {
                    "type": "object", "required": ["body"], "additionalProperties": False,
                    "properties": {"body": {"type": "string", "minLength": 1, "maxLength": 5000,
                                            "description": "Markdown; raw HTML is shown as text."},
                                   "stance": _STANCE,
                                   "parent_id": {"type": ["integer", "null"],
                                                 "description": "Reply to this comment (same action and version)."},
                                   "anchor": {"$ref": "#/components/schemas/Anchor"}}},
            },
        },
        "paths": {
            "/plans": {"get": {
                "summary": "Plans you may read, with their latest published version.", "operationId": "listPlans",
                "security": [{}, {"bearer": []}],
                "responses": {"200": {"description": "The plans.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/PlanList"}}}}, "401": _ERRORS["401"]}}},
            "/plans/{slug}/versions/{number}": {"get": {
                "summary": "A version: window, general part and every action, Markdown and HTML.",
                "operationId": "getVersion", "parameters": _PLAN_PARAMS, "security": [{}, {"bearer": []}],
                "responses": {"200": {"description": "The version.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Version"}}}},
                    **{code: _ERRORS[code] for code in ("401", "403", "404")}}}},
            "/plans/{slug}/compare/{old}/{new}": {"get": {
                "summary": "Two versions compared: each action's change and word-level ops per field.",
                "operationId": "compareVersions", "security": [{}, {"bearer": []}],
                "parameters": [_PLAN_PARAMS[0],
                               {"name": "old", "in": "path", "required": True, "schema": {"type": "integer"}},
                               {"name": "new", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The comparison.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Comparison"}}}},
                    **{code: _ERRORS[code] for code in ("400", "401", "403", "404")}}}},
            "/plans/{slug}/versions/{number}/tally": {"get": {
                "summary": "Per-action counts of the version's comments (visible; hidden and pending apart).",
                "description": "Public once the team has published the version's consultation report; before "
                               "that only the plan's moderators and team can read it (403 for others).",
                "operationId": "getTally", "parameters": _PLAN_PARAMS, "security": [{}, {"bearer": []}],
                "responses": {"200": {"description": "The tally.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Tally"}}}},
                    **{code: _ERRORS[code] for code in ("401", "403", "404")}}}},
            "/plans/{slug}/versions/{number}/actions/{key}/comments": {
                "get": {
                    "summary": "The visible thread of an action on this version, as a tree.",
                    "operationId": "getComments", "parameters": _ACTION_PARAMS, "security": [{}, {"bearer": []}],
                    "responses": {"200": {"description": "The thread.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Thread"}}}},
                        **{code: _ERRORS[code] for code in ("401", "403", "404")}}},
                "post": {
                    "summary": "Post a comment (a stance is required on a top-level comment) or a reply.",
                    "operationId": "postComment", "parameters": _ACTION_PARAMS, "security": [{"bearer": []}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewComment"}}}},
                    "responses": {"201": {"description": "The new comment.", "headers": {
                        "Location": {"schema": {"type": "string"}, "description": "The comment's permalink."}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Comment"}}}},
                        **_ERRORS}},
            },
            "/openapi.json": {"get": {"summary": "This document.", "operationId": "openapi", "security": [{}],
                                      "responses": {"200": {"description": "OpenAPI 3.1."}}}},
        },
    }
