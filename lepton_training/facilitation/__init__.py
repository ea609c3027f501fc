"""The facilitator's side of a live cohort: the agenda, the slides and the facilitator guide.

``agenda``     a schedule from ``course.toml`` as HTML, Markdown and an iCalendar file.
``slides``     a reveal.js deck of a module, offline, with facilitator notes as speaker notes.
``guide``      a facilitator guide per module, from the notebook's ``facilitator`` cells.
``notebook``   preparing an instructor notebook for showing: answers hidden or shown, widgets made static.

Each sub-module imports its heavy dependencies (nbconvert, nbgrader, icalendar) inside its functions.
"""
