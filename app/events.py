"""Small hooks between domains. The domain where something happens sends; the domains that
must react listen, so that neither imports the other's services both ways.

``tutor_changed``: a student's academic tutor of a year is now ``teacher`` (``former``: the
previous one, None for the first). Sent by tutoring inside the assigning transaction, with
the student's ``convention`` of the year if there is one; the listeners write in the same
transaction, and the caller commits.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

tutor_changed = _signals.signal("tutor-changed")
