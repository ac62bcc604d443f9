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
"NW Worcs"), else its section's title; every contact is a draft for a person to check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)(?:[\s-]?\d{2,4}){1,3}(?![\w])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
ADDRESS_LINE = re.compile(r"(?m)^(?P<lead>[-*]\s+)?(?P<addr>[A-Z0-9][^\n:]{3,160}?,\s*[^\n]*?" + POSTCODE + r")\.?\s*$")


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

    def rule(self) -> dict:
        return {"id": self.id, "name": self.name, "address": self.address,
                "phones": [{"number": p} for p in self.phones], "emails": self.emails, "web": [],
                "notes": f"Draft from the import: \"{self.sentence}\"", "source": self.block, "draft": True}


class ContactFinder:
    def __init__(self, area: str):
        self.area = area
        self.contacts: list[Contact] = []
        self.ids: set[str] = set()

    def new_id(self, name: str) -> str:
        base = f"{self.area}-" + ("-".join(re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))[:5]) or "contact")
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def in_block(self, block_id: str, section_title: str, text: str) -> str:
        out_lines = []
        for line in text.split("\n"):
            out_lines.append(self.in_line(block_id, section_title, line))
        return "\n".join(out_lines)

    def in_line(self, block_id: str, section_title: str, line: str) -> str:
        if "{{" in line and "ts(" not in line:
            return line
        phones = [m for m in PHONE.finditer(line) if 10 <= digits(m.group(0)) <= 12]
        emails = list(EMAIL.finditer(line))
        addr = ADDRESS_LINE.match(line)
        if not (phones or emails or addr):
            return line
        first = min([m.start() for m in phones + emails] + ([addr.start("addr")] if addr else []))
        lead = re.sub(r"^[-*]\s+|\*\*", "", line[:first]).strip(" -:,\u2013")
        name = lead if 0 < len(lead.split()) <= 8 else section_title
        sentence = " ".join(line.replace("- ", "", 1).split())
        contact = Contact(self.new_id(name), block_id, sentence, name)
        self.contacts.append(contact)
        spans = []
        if addr and not phones and not emails:
            contact.address = [p.strip() for p in addr["addr"].split(",") if p.strip()]
            spans.append((addr.start("addr"), addr.end("addr"), f"{{{{ address('{contact.id}') }}}}"))
        for n, m in enumerate(phones, 1):
            contact.phones.append(m.group(0))
            call = f"{{{{ phone('{contact.id}') }}}}" if n == 1 else f"{{{{ phone('{contact.id}', {n}) }}}}"
            spans.append((m.start(), m.end(), call))
        for n, m in enumerate(emails, 1):
            contact.emails.append(m.group(0))
            call = f"{{{{ email('{contact.id}') }}}}" if n == 1 else f"{{{{ email('{contact.id}', {n}) }}}}"
            spans.append((m.start(), m.end(), call))
        for start, end, new in sorted(spans, reverse=True):
            line = line[:start] + new + line[end:]
        return line
