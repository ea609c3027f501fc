"""The course as a static, searchable knowledge-base site, built with Sphinx and MyST-NB, offline.

``build``   stages the notebooks and an index generated from ``course.toml``, and runs Sphinx (warnings as errors).
``links``   checks every internal link and anchor of the built site, and that no page loads anything from outside.

Sphinx and MyST-NB are imported only by the Sphinx process that ``build`` starts.
"""
