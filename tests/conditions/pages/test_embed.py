"""The oEmbed parameters and answers (conditions/pages/embed.py), below the
view: sizes, the XML every consumer can parse."""

import xml.etree.ElementTree as ET

import pytest
from django.http import QueryDict

from conditions.pages import embed


def parse(query):
    return embed.parse(QueryDict(query))


def test_sizes_are_whole_positive_numbers_and_never_exceed_the_maxima():
    assert embed.size(parse("url=x")) == (embed.WIDTH, embed.HEIGHT)
    assert embed.size(parse("url=x&maxwidth=320&maxheight=0240")) == (320, 240)
    assert embed.size(parse("url=x&maxwidth=" + "9" * 60)) == (embed.WIDTH, embed.HEIGHT)
    for bad in ("0", "000", "-1", "1e3", "12px", "٣"):
        with pytest.raises(embed.Refused) as refused:
            parse(f"url=x&maxwidth={bad}")
        assert refused.value.status == 400, bad


def test_the_format_defaults_to_json_and_others_are_501():
    assert parse("url=x").format == "json"
    assert parse("url=x&format=XML").format == "xml"
    with pytest.raises(embed.Refused) as refused:
        parse("url=x&format=html")
    assert refused.value.status == 501 and refused.value.code == "format_not_supported"


def test_the_xml_holds_any_title():
    data = {
        "type": "rich",
        "title": 'Tics <& "jerks"> \x0b\x00 over\ufffe',
        "html": '<iframe src="https://x.example/" title="a &amp; b"></iframe>',
        "width": 600,
    }
    root = ET.fromstring(embed.to_xml(data))  # noqa: S314 (our own answer)
    values = {child.tag: child.text for child in root}
    assert values["title"] == 'Tics <& "jerks">  over'
    assert values["html"] == data["html"] and values["width"] == "600"
