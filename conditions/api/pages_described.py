"""The readers' pages that partners and EHRs use as an API, in the API's
OpenAPI document: oEmbed (``/oembed/``), the embed partners frame
(``/embed/conditions/{slug}/``) and the PDF handout
(``/conditions/{slug}/handout.pdf``). They are Django views, not ninja
operations (they are pages, page-cached and translated under ``/es/``), so
their operations are made here from pydantic models: the parameters and
the oEmbed answer are the models below, and their JSON schemas are what
the document carries (``describe_in``)."""

from typing import Literal

from pydantic import BaseModel, Field

from conditions.pages import embed

TAG = "Partner pages"
ERROR = {"$ref": "#/components/schemas/Error"}
PIXELS = r"^0*[1-9][0-9]*$"


class OEmbedQuery(BaseModel):
    """oEmbed 1.0's request (https://oembed.com/#section2.2)."""

    url: str = Field(
        max_length=embed.MAX_URL_LENGTH,
        # What is not an absolute http(s) address is refused with a 400.
        pattern=r"^https?://[a-z0-9.-]+(/[!-~]*)?$",
        description="The address of a published article of this site, its page or its "
        "embed, in English or Spanish (an old address of a moved article too).",
    )
    # Whole numbers written in digits, as oEmbed's consumers send them.
    maxwidth: str | None = Field(
        None, pattern=PIXELS, max_length=100, description="The widest the frame may be, in pixels."
    )
    maxheight: str | None = Field(
        None, pattern=PIXELS, max_length=100, description="The tallest the frame may be, in pixels."
    )
    format: Literal["json", "xml"] = Field(
        "json", description="Another is answered 501, as oEmbed says."
    )


class OEmbed(BaseModel):
    """oEmbed 1.0's answer of type ``rich`` (https://oembed.com/#section2.3)."""

    type: Literal["rich"]
    version: Literal["1.0"]
    title: str
    author_name: str = Field(description="The publisher (CONTENT_PUBLISHER).")
    author_url: str = Field(description="The article's page.")
    provider_name: str
    provider_url: str
    cache_age: int = Field(description="Seconds a consumer may keep the answer.")
    html: str = Field(description="An <iframe> of the article's embed, with a title.")
    width: int
    height: int


def _parameters(model, where="query"):
    schema = model.model_json_schema()
    return [
        {
            "name": name,
            "in": where,
            "required": name in schema.get("required", ()),
            "description": field.pop("description", ""),
            "schema": field,
        }
        for name, field in schema["properties"].items()
    ]


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
    "description": "The article's address (its Spanish one under /es/).",
}


def _refusal(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _page(description):
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def _moved():
    return {"description": "The article moved: its new address is in Location."}


def paths():
    """The three pages' OpenAPI operations, by path."""
    oembed = OEmbed.model_json_schema()
    return {
        "/oembed/": {
            "get": {
                "tags": [TAG],
                "operationId": "oembed",
                "summary": "oEmbed: how to embed an article (JSON or XML)",
                "parameters": _parameters(OEmbedQuery),
                "responses": {
                    "200": {
                        "description": "The article as an oEmbed `rich` answer.",
                        "content": {
                            "application/json": {"schema": oembed},
                            "text/xml": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _refusal("A missing or malformed parameter."),
                    "404": _refusal("The URL is not a published article of this site."),
                    "429": _refusal("Past the rate limit (as the API's)."),
                    "501": _refusal("A format other than json or xml."),
                },
            }
        },
        "/embed/conditions/{slug}/": {
            "get": {
                "tags": [TAG],
                "operationId": "embed",
                "summary": "The compact article a partner's page may frame (/es/ in Spanish)",
                "parameters": [SLUG],
                "responses": {
                    "200": _page("The article with its attribution; framing allowed."),
                    "301": _moved(),
                    "404": _page("No such article."),
                    "410": _page("The article was withdrawn."),
                },
            }
        },
        "/conditions/{slug}/handout.pdf": {
            "get": {
                "tags": [TAG],
                "operationId": "handout",
                "summary": "The article's printable handout as PDF (/es/ in Spanish)",
                "parameters": [SLUG],
                "responses": {
                    "200": {
                        "description": "The handout of the live version.",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "301": _moved(),
                    "404": _page("No such article."),
                    "410": _page("The article was withdrawn."),
                    "429": _page("Too many handouts built for this address (Retry-After)."),
                    "503": _page("The handout cannot be built now (Retry-After)."),
                },
            }
        },
    }


def describe_in(document):
    """Add the pages' operations to ``document`` (the API's OpenAPI document)."""
    document["paths"].update(paths())
    document.setdefault("tags", []).append(
        {
            "name": TAG,
            "description": "Readers' pages partners reuse: see docs/api.md, "
            "'Embed an article', and the handout in the article answer (handout_url).",
        }
    )
