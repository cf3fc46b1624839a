"""The services' refusals, in the visitor's language.

The services (submissions/, jury/, scoring/) word their messages in English for the API. The
pages show the same message translated when the catalog knows it: a fixed message is looked up
as it is; a message with names, dates or numbers in it is matched against its English pattern
and its parts are put into the translated sentence. A message not listed here is shown in
English, unchanged, so a reworded service message never shows anything wrong, only untranslated
(tests/frontend/test_domain_messages.py raises each listed refusal through the real services).
"""

import re

from django.utils.translation import gettext, gettext_noop

from .labels import DOCUMENT_KIND, label

FIXED = [
    gettext_noop("You can only act for your own organization."),
    gettext_noop("Unknown theme."),
    gettext_noop("This field is required before submitting."),
    gettext_noop("This entry was already submitted."),
    gettext_noop("Only a draft or a submitted entry can be withdrawn."),
    gettext_noop("Only the secretariat decides eligibility."),
    gettext_noop("Eligibility is reviewed on submitted entries only."),
    gettext_noop("Give the reason an entry is ineligible."),
    gettext_noop("Required."),
    gettext_noop("Only the secretariat can change a deadline."),
    gettext_noop("Give a reason for the extension."),
    gettext_noop("Must be later than the deadline in force."),
    gettext_noop("The file needs a name."),
    gettext_noop("The file name must be a plain name, without folders or path parts."),
    gettext_noop("Remove the folder part of the name."),
    gettext_noop(
        "The file name holds quotes, control characters or text-direction characters. Rename "
        "the file with letters, digits, spaces, dots or dashes, then upload it again."
    ),
    gettext_noop("Rename the file without special characters."),
    gettext_noop("Too long."),
    gettext_noop("Say what kind of document this is."),
    gettext_noop("File type not accepted."),
    gettext_noop("Extension and type disagree."),
    gettext_noop("Empty file."),
    gettext_noop("File too large."),
    gettext_noop("Content does not match the file type."),
    gettext_noop("The file has not arrived in the store yet; upload it, then finish."),
    gettext_noop("Size mismatch."),
    gettext_noop("The file was stored with another type than announced."),
    gettext_noop("This call is open to member cities only, not to partners."),
    gettext_noop("Only the secretariat or the jury's chair can do this."),
    gettext_noop("Say briefly why you have a conflict of interest."),
    gettext_noop("Say briefly why you decline."),
    gettext_noop("You can only decline your own assignments."),
    gettext_noop("You already submitted your scores for this entry."),
    gettext_noop("Ask for at least one juror per entry and one entry per juror."),
    gettext_noop("This round has no eligible entries to assign yet."),
    gettext_noop("This juror is already assigned to this entry."),
    gettext_noop("This juror has already scored the entry; the assignment stays."),
    gettext_noop("This call has no judging round yet."),
    gettext_noop("Only the secretariat releases results to the Board."),
    gettext_noop("These results were already released."),
    gettext_noop("No score sheet of this round is submitted yet: nothing to release."),
    gettext_noop("This round has no rubric yet, so there is nothing to rank."),
    gettext_noop("Must be a number."),
    gettext_noop("This criterion is scored twice; send it once."),
    gettext_noop("You have no such assignment."),
    gettext_noop("No such score sheet."),
    gettext_noop("Only the juror who owns this sheet can change it."),
    gettext_noop("Only the secretariat draws up the shortlist."),
    gettext_noop("No submitted scores yet: nothing to rank."),
    gettext_noop("Only the Board or the secretariat records decisions."),
    gettext_noop("The Board decides once the secretariat has released the results."),
    gettext_noop("Give the rationale of the decision."),
    gettext_noop("Unknown decision."),
    gettext_noop("This entry belongs to another call."),
    gettext_noop("Only shortlisted entries are decided by the Board."),
    gettext_noop("The decisions were announced; they can no longer be changed."),
    gettext_noop("The secretariat has not released this round's results to the Board yet."),
    gettext_noop(
        "Only the secretariat, the jury's chair and, once released, the Board see results."
    ),
    gettext_noop(
        "The file store is not answering right now. Your entry is saved; please try the upload "
        "again in a few minutes."
    ),
]

# (English pattern of the service, translatable sentence with the same named parts)
PATTERNS = [
    (
        r"The deadline for this call passed at (?P<when>.+)\. Nothing can be changed any more; "
        r"what was saved before is kept\.",
        gettext_noop(
            "The deadline for this call passed at %(when)s. Nothing can be changed any more; "
            "what was saved before is kept."
        ),
    ),
    (r"This call opens on (?P<when>.+)\.", gettext_noop("This call opens on %(when)s.")),
    (
        r"The new deadline must be later than the one in force \((?P<when>.+)\)\.",
        gettext_noop("The new deadline must be later than the one in force (%(when)s)."),
    ),
    (
        r"(?P<organization>.+) already has (?P<used>\d+) of the (?P<limit>\d+) entries allowed "
        r"in this call\.",
        gettext_noop(
            "%(organization)s already has %(used)s of the %(limit)s entries allowed in this call."
        ),
    ),
    (
        r"Membership dues must be paid through (?P<year>\d+) to take part "
        r"\(paid through (?P<paid>\d+)\)\.",
        gettext_noop(
            "Membership dues must be paid through %(year)s to take part (paid through %(paid)s)."
        ),
    ),
    (
        r"Membership dues must be paid through (?P<year>\d+) to take part \(no dues recorded\)\.",
        gettext_noop(
            "Membership dues must be paid through %(year)s to take part (no dues recorded)."
        ),
    ),
    (
        r"Choose one of the call's themes: (?P<themes>.+)\.",
        gettext_noop("Choose one of the call's themes: %(themes)s."),
    ),
    (
        r"Attach a document of kind '(?P<kind>.+)'\.",
        gettext_noop("Attach a document of kind '%(kind)s'."),
    ),
    (
        r"'(?P<name>.+)' is not a file type this call accepts \((?P<types>.+)\)\.",
        gettext_noop("'%(name)s' is not a file type this call accepts (%(types)s)."),
    ),
    (
        r"The name '(?P<name>.+)' does not match its type (?P<type>.+)\.",
        gettext_noop("The name '%(name)s' does not match its type %(type)s."),
    ),
    (r"'(?P<name>.+)' is empty\.", gettext_noop("'%(name)s' is empty.")),
    (
        r"'(?P<name>.+)' is (?P<size>[\d.]+ \w+); the largest file this call accepts is "
        r"(?P<limit>[\d.]+ \w+)\.",
        gettext_noop("'%(name)s' is %(size)s; the largest file this call accepts is %(limit)s."),
    ),
    (
        r"The content of '(?P<name>.+)' is not a valid (?P<type>\S+) file(?: \(it looks like "
        r"(?P<sniffed>\S+)\))?\.",
        gettext_noop("The content of '%(name)s' is not a valid %(type)s file."),
    ),
    (
        r"This entry already has (?P<count>\d+) files, the most this call allows\.",
        gettext_noop("This entry already has %(count)s files, the most this call allows."),
    ),
    (
        r"(?P<juror>\S+) has a conflict of interest with entry (?P<entry>\d+) and cannot be "
        r"assigned to it\.",
        gettext_noop(
            "%(juror)s has a conflict of interest with entry %(entry)s and cannot be assigned "
            "to it."
        ),
    ),
]
PATTERNS += [
    (
        r"Must be between (?P<low>\S+) and (?P<high>\S+)\.",
        gettext_noop("Must be between %(low)s and %(high)s."),
    ),
    (
        r"Must be a multiple of (?P<step>\S+) from (?P<low>\S+), such as (?P<a>\S+) or "
        r"(?P<b>\S+)\.",
        gettext_noop("Must be a multiple of %(step)s from %(low)s, such as %(a)s or %(b)s."),
    ),
    (r"Give a score for (?P<label>.+)\.", gettext_noop("Give a score for %(label)s.")),
    (
        r"(?P<label>.+) needs a comment explaining the score\.",
        gettext_noop("%(label)s needs a comment explaining the score."),
    ),
    (
        r"The jury deadline of (?P<round>.+) \((?P<call>.+)\) passed at (?P<when>.+)\. Scores "
        r"can no longer be changed; what was saved before is kept\.",
        gettext_noop(
            "The jury deadline of %(round)s (%(call)s) passed at %(when)s. Scores can no longer "
            "be changed; what was saved before is kept."
        ),
    ),
    (
        r"This sheet was submitted on (?P<when>.+) and is locked\. Ask the jury's chair to "
        r"reopen it if a score must change\.",
        gettext_noop(
            "This sheet was submitted on %(when)s and is locked. Ask the jury's chair to reopen "
            "it if a score must change."
        ),
    ),
    (
        r"Someone saved this sheet in another tab or window since you loaded it \(you have "
        r"version (?P<mine>\d+), the sheet is at version (?P<theirs>\d+)\)\. Nothing was "
        r"saved: reload the sheet to see the latest scores, then make your change again\.",
        gettext_noop(
            "Someone saved this sheet in another tab or window since you loaded it (you have "
            "version %(mine)s, the sheet is at version %(theirs)s). Nothing was saved: reload "
            "the sheet to see the latest scores, then make your change again."
        ),
    ),
]
# Direct uploads checked by a worker (issue 11).
FIXED += [
    gettext_noop(
        "This file is not the one that was checked when it was uploaded, so it is withheld. "
        "The secretariat has been alerted."
    ),
]
PATTERNS += [
    (
        r"These files are still being checked: (?P<names>.+)\. Submit again in a moment, once "
        r"they show as verified\.",
        gettext_noop(
            "These files are still being checked: %(names)s. Submit again in a moment, once they "
            "show as verified."
        ),
    ),
]
# Summaries whose details are shown by the fields they name.
SUMMARIES = [
    (
        "The entry is not complete yet: ",
        gettext_noop("The entry is not complete yet: see what is missing."),
    ),
    (
        "Some scores need attention: ",
        gettext_noop("Some scores need attention: see the criteria marked below."),
    ),
    (
        "The sheet is not complete yet: ",
        gettext_noop("The sheet is not complete yet: see the criteria marked below."),
    ),
]
_COMPILED = [(re.compile(rf"^{pattern}$", re.DOTALL), sentence) for pattern, sentence in PATTERNS]


def translated(message: str) -> str:
    """The message in the active language where the catalog knows it; otherwise as it came."""
    if message in FIXED:
        return gettext(message)
    for prefix, summary in SUMMARIES:
        if message.startswith(prefix):
            return gettext(summary)
    for pattern, sentence in _COMPILED:
        found = pattern.match(message)
        if found:
            parts = {k: v for k, v in found.groupdict().items() if v is not None}
            if "kind" in parts:  # a document kind reads as its name: "Application form"
                parts["kind"] = label(DOCUMENT_KIND, parts["kind"])
            return gettext(sentence) % parts
    return message
