"""Clinical decision support: the library's articles offered inside an
electronic health record through CDS Hooks 2.0 (https://cds-hooks.hl7.org/).

* ``hooks``: the services (``patient-view``, ``order-select``), their
  discovery entries and prefetch templates, and what each answers a call with;
* ``fhir``: the FHIR R4 resources clients send, validated with fhir.resources,
  and read for their codes and the patient's language;
* ``fhir_server``: the client's FHIR server, read when it prefetched less,
  within the link checker's address rules;
* ``cards``: the cards, linking the readers' pages, with the attribution;
* ``trust``: the CDS client's signed JWT, checked against trusted issuers.

The HTTP side (``/cds-services``: CORS, rate limits, errors, the OpenAPI
description) is ``conditions.api.cds``; codes are matched by
``conditions.selectors.codes``, as the code look-up matches them.
"""
