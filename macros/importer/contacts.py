"""Telephone numbers, e-mail addresses and postal addresses found in paragraph text and replaced by macros.

- A **telephone number** is a UK number of 10 or 11 digits starting with 0 (spaces,
  hyphens and brackets allowed: "024 76 78 8555", "(01905) 768054", "0800-123-4567"),
  or +44 followed by 9 or 10 digits. It becomes ``{{ phone('id') }}``, which prints the
  number exactly as typed, as a link.
- An **e-mail address** becomes ``{{ email('id') }}``.
- A **postal address** is a line of text ending in a UK postcode ("South Street,
  Hillfields, Coventry, CV1 5EJ"): its comma-separated parts become the contact's
  address and the line ``{{ address('id') }}`` (which joins them with ", " again). An
  address without a postcode is not recognised: the report cannot list what it did
  not find, so a person reads the document for street addresses.

Numbers and addresses found in the same line belong to one contact. The contact's name
is the text before the first number on its line ("NW Worcs - 01562 757867" ->
"NW Worcs"), else its section's title without its number ("4.1 Children's Advice and
Support Hub" -> "Children's Advice and Support Hub"). When the words before the number
are only a label (:data:`LABELS`: "Telephone:", "Tel", "E-mail:", "Fax"), the line is not a
new contact: it belongs to the contact its block is about (the block's contact so far,
else the one its section names), and a telephone number keeps the label ("Telephone").
So a contact card printed as a list (an address, "Telephone: ...", "E-mail: ...") is one
contact with its address, number and e-mail. Every contact is a draft for a person to check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)(?:[\s-]?\d{2,4}){1,3}(?![\w])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
ADDRESS_LINE = re.compile(r"(?m)^(?P<lead>[-*]\s+)?(?P<addr>[A-Z0-9][^\n:]{3,160}?,\s*[^\n]*?" + POSTCODE + r")\.?\s*$")


# Words that say what kind of detail follows, not whose it is (compared lower-case, without the colon).
LABELS = frozenset({"telephone", "tel", "tel.", "phone", "telephone number", "phone number", "mobile", "fax",
                    "e-mail", "email", "e-mail address", "email address", "address", "post", "write to",
                    "minicom", "textphone", "text phone", "text relay"})
_NUMBERING = re.compile(r"^\(?[0-9]+(?:\.[0-9]+)*[.)]?\s+")


_LABELLED = re.compile(r"(?P<label>[A-Za-z][A-Za-z -]{1,24}?)\s*(?:[-:\u2013]\s+|:)")
_TRAILING_LABEL = re.compile(r"(?:^|\s)(?P<label>[A-Za-z][A-Za-z-]{1,15})\s*[-:\u2013]?\s*$")


def _label(words: str) -> str | None:
    """``words`` as a label of :data:`LABELS` ("By Telephone:" -> "Telephone"), or None.
    A leading "or", "and" or "by" goes ("or e-mail ..." goes on with the contact before it)."""
    bare = re.sub(r"^(?:or|and|by)\s+", "", words.strip(" -:,.\u2013"), flags=re.IGNORECASE)
    return bare if bare.lower() in LABELS else None


def digits(number: str) -> int:
    return sum(ch.isdigit() for ch in number)


@dataclass
class Contact:
    id: str
    block: str
    sentence: str
    name: str
    phones: list = field(default_factory=list)
    emails: list = field(default_factory=list)
    address: list = field(default_factory=list)

    labels: dict = field(default_factory=dict)

    def rule(self) -> dict:
        return {"id": self.id, "name": self.name, "address": self.address,
                "phones": [{"number": p, **({"label": self.labels[p]} if p in self.labels else {})}
                           for p in self.phones], "emails": self.emails, "web": [],
                "notes": f"Draft from the import: \"{self.sentence}\"", "source": self.block, "draft": True}


class ContactFinder:
    def __init__(self, area: str):
        self.area = area
        self.contacts: list[Contact] = []
        self.ids: set[str] = set()
        self.current: Contact | None = None

    def new_id(self, name: str) -> str:
        base = f"{self.area}-" + ("-".join(re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))[:5]) or "contact")
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def in_block(self, block_id: str, section_title: str, text: str) -> str:
        self.current = None   # the contact this block is about so far (a labelled line joins it)
        title = _NUMBERING.sub("", section_title.replace("**", "")).strip()
        return "\n".join(self.in_line(block_id, title, line) for line in text.split("\n"))

    def in_line(self, block_id: str, section_title: str, line: str) -> str:
        if "{{" in line and "ts(" not in line:
            return line
        phones = [m for m in PHONE.finditer(line) if 10 <= digits(m.group(0)) <= 12]
        emails = list(EMAIL.finditer(line))
        addr = ADDRESS_LINE.match(line)
        if not (phones or emails or addr):
            return line
        # An address span (start, end) in the line, its label ("By post - ...") left outside it.
        where = (addr.start("addr"), addr.end("addr")) if addr and not phones and not emails else None
        addr_label = None
        if where:
            said = _LABELLED.match(line, where[0])
            if said and (addr_label := _label(said["label"])):
                where = (said.end(), where[1])
        first = min([m.start() for m in phones + emails] + ([addr.start("addr")] if addr else []))
        lead = re.sub(r"^[-*]\s+|\*\*", "", line[:first]).strip(" -:,\u2013")
        label = _label(lead) or addr_label
        if label is None and (tail := _TRAILING_LABEL.search(lead)) and _label(tail["label"]):
            # "South Street, Hillfields, Coventry, CV1 5EJ Telephone – 024 ...": the address, then the label.
            label, lead = _label(tail["label"]), lead[:tail.start()].strip(" -:,\u2013")
            if re.search(POSTCODE + r"$", lead) and "," in lead:
                start = line.index(lead)
                where = (start, start + len(lead))
        sentence = " ".join(line.replace("- ", "", 1).split())
        if label is not None and self.current is not None and self.current.block == block_id:
            contact = self.current
            contact.sentence += f"; {sentence}"
        else:
            name = lead if label is None and where is None and 0 < len(lead.split()) <= 8 else section_title
            contact = Contact(self.new_id(name), block_id, sentence, name)
            self.contacts.append(contact)
        self.current = contact
        spans = []
        if where and not contact.address:
            contact.address = [p.strip() for p in line[where[0]:where[1]].split(",") if p.strip()]
            spans.append((where[0], where[1], f"{{{{ address('{contact.id}') }}}}"))
        for m in phones:
            contact.phones.append(m.group(0))
            if label and "mail" not in label.lower():
                contact.labels[m.group(0)] = label
            n = len(contact.phones)
            call = f"{{{{ phone('{contact.id}') }}}}" if n == 1 else f"{{{{ phone('{contact.id}', {n}) }}}}"
            spans.append((m.start(), m.end(), call))
        for m in emails:
            contact.emails.append(m.group(0))
            n = len(contact.emails)
            call = f"{{{{ email('{contact.id}') }}}}" if n == 1 else f"{{{{ email('{contact.id}', {n}) }}}}"
            spans.append((m.start(), m.end(), call))
        for start, end, new in sorted(spans, reverse=True):
            line = line[:start] + new + line[end:]
        return line
