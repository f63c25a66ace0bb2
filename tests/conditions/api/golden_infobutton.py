"""The infobutton look-up's cases of ``test_views_golden`` (which runs
them with its own, against the same library and clock, recorded in
``api_golden/``): MedlinePlus Connect's parameters, its three answers, the
code systems, and refusals in the format asked for."""

# name: (method, path, query, request headers), as there.
CASES = {
    # The infobutton as MedlinePlus Connect answers it (knowledgeResponseType
    # or mainSearchCriteria.v.c): Atom by default, JSON, JSONP.
    "lookup-infobutton-atom": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.cs", "2.16.840.1.113883.6.90"),
            ("mainSearchCriteria.v.c", "G25.3"),
            ("mainSearchCriteria.v.dn", "Myoclonus"),
            ("informationRecipient", "PAT"),
        ],
        {},
    ),
    "lookup-infobutton-atom-head": (
        "HEAD",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3")],
        {},
    ),
    "lookup-infobutton-jsonp": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.c", "G25.3"),
            ("informationRecipient.languageCode.c", "sp"),
            ("knowledgeResponseType", "application/javascript"),
            ("callback", "ehr.showInfobutton"),
        ],
        {},
    ),
    "lookup-infobutton-jsonp-default-callback": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3"), ("knowledgeResponseType", "application/javascript")],
        {},
    ),
    "lookup-infobutton-rxnorm": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.cs", "2.16.840.1.113883.6.88"), ("mainSearchCriteria.v.c", "2598")],
        {},
    ),
    "lookup-infobutton-loinc": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.cs", "2.16.840.1.113883.6.1"),
            ("mainSearchCriteria.v.c", "2345-7"),
        ],
        {},
    ),
    "lookup-infobutton-no-match": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "Z99.89"), ("knowledgeResponseType", "application/json")],
        {},
    ),
    "lookup-infobutton-display-name": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.c", "Z99.89"),
            ("mainSearchCriteria.v.dn", "myoclonus"),
            ("informationRecipient", "PROV"),
            ("informationRecipient.languageCode.c", "es"),
        ],
        {},
    ),
    "lookup-infobutton-fallback-es": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "J45.909"), ("informationRecipient.languageCode.c", "es")],
        {},
    ),
    # Its refusals, in the format asked for.
    "lookup-infobutton-icd9": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.cs", "2.16.840.1.113883.6.103"),
            ("mainSearchCriteria.v.c", "333.2"),
        ],
        {},
    ),
    "lookup-infobutton-recipient-bad": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3"), ("informationRecipient", "<PAT>")],
        {},
    ),
    "lookup-infobutton-jsonp-refused": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.c", "G25.3"),
            ("mainSearchCriteria.v.cs", "1.2.3"),
            ("knowledgeResponseType", "application/javascript"),
            ("callback", "cb"),
        ],
        {},
    ),
    "lookup-infobutton-callback-bad": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.c", "G25.3"),
            ("knowledgeResponseType", "application/javascript"),
            ("callback", "alert(document.cookie)//"),
        ],
        {},
    ),
    "lookup-infobutton-response-type-html": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3"), ("knowledgeResponseType", "text/html")],
        {},
    ),
}
# The validators of the first answer sent back, as there.
CONDITIONAL = {
    "lookup-infobutton-if-none-match": (
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3")],
        ("ETag", "If-None-Match"),
    ),
}
