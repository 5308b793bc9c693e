"""A rejected file's reason, a kept form's answers, a reply without a PDF -> one problem
class per person (the words status prints and the key remind picks its message by)."""

from __future__ import annotations

# Problem classes, in the order status counts them. "none": a usable form was read.
PROBLEMS = ("none", "no_reply", "no_attachment", "blank", "mostly_blank", "flattened",
            "password", "unreadable", "other_role", "unknown_sender", "not_sent")

# What status shows for each (kept together so they move into the labels in one piece).
SHOWN = {
    "none": "none",
    "no_reply": "no reply",
    "no_attachment": "reply without the form",
    "blank": "blank copy",
    "mostly_blank": "mostly blank",
    "flattened": "flattened or printed to PDF",
    "password": "password-protected",
    "unreadable": "unreadable file",
    "other_role": "another role's guide",
    "unknown_sender": "from an unknown sender",
    "not_sent": "guide never sent",
}

# The problems a reminder is for: everything but a usable form, a sender we cannot place
# and a person who was never sent a guide.
REMINDABLE = ("no_reply", "no_attachment", "blank", "mostly_blank", "flattened",
              "password", "unreadable", "other_role")

# A kept form is "mostly blank" when fewer than this share of its questions have an answer
# and (for a role with an IC map) fewer than this share of its outcomes a level.
MOSTLY_BLANK_BELOW = 0.5

# The reader's reason codes (guidepdf.notes, labels read.<code>) -> our classes; any other
# code is "unreadable". tests/followup/test_status.py makes each kind of file, collects it
# and checks the class status gives it.
_CODES = {"password": "password", "encryption_unsupported": "password",
          "no_fields": "flattened", "xfa_only": "flattened"}
# A summary.json from before the codes holds only the English reason: the first phrase
# found wins.
_REASONS = (
    ("encrypted with a password", "password"),
    ("encrypted with a method", "password"),
    ("no form fields", "flattened"),
    ("xfa-only form", "flattened"),
)


def rejected_problem(code: str, reason: str = "") -> str:
    """The class of a file the reader rejected, from its reason's code (else, for an older
    summary.json, from the English reason)."""
    if code:
        return _CODES.get(code, "unreadable")
    text = reason.casefold()
    for phrase, problem in _REASONS:
        if phrase in text:
            return problem
    return "unreadable"


def form_problem(answered: int, questions: int, marked: int, outcomes: int,
                 role_matches: bool) -> str:
    """The class of a form that was read: its answers counted against its questions (and
    IC outcomes), and whether it is the guide of the person's role."""
    if not role_matches:
        return "other_role"
    if answered == 0 and marked == 0:
        return "blank"
    few_answers = answered < MOSTLY_BLANK_BELOW * questions
    few_levels = not outcomes or marked < MOSTLY_BLANK_BELOW * outcomes
    return "mostly_blank" if few_answers and few_levels else "none"
