"""The newsletter's part of the content document (see
``healthlib.portability``): ``newsletters`` with their editions and research
summaries. Subscribers and deliveries are never exported.

It builds on the health library's part: summaries name related articles by
slug and tags by name, which must be in the same document.
"""
