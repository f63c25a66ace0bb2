"""The health library's part of the content document (see
``healthlib.portability``, which composes the apps' parts): ``tags``,
``drugs``, ``organizations``, ``articles`` and the ``files`` their figures
embed.

``export`` writes the part, ``schema.json`` describes its shape and types,
``validate`` checks what a schema cannot (the models' rules, references
between records, uniqueness, images) and ``load`` writes it.
"""
