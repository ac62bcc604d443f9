"""Ask the deadline calculator a question the way a practitioner does: pick, type, submit.

One helper for every browser test that needs an answer on the page (the form's field ids
are ``<prefix>-area``, ``<prefix>-event``, ``<prefix>-date-day|month|year``, ``<prefix>-submit``).
"""
from __future__ import annotations


def ask(page, area: str, event: str, day: int, month: int, year: int, prefix: str = "dl") -> None:
    """Fill the single-event form and press "Calculate" (nothing is awaited)."""
    page.select_option(f"#{prefix}-area", area)
    page.select_option(f"#{prefix}-event", event)
    page.fill(f"#{prefix}-date-day", str(day))
    page.fill(f"#{prefix}-date-month", str(month))
    page.fill(f"#{prefix}-date-year", str(year))
    page.click(f"#{prefix}-submit")


def wait_answer(page, at: str, prefix: str = "dl", timeout: int = 60000) -> None:
    """Until the answer for ``at`` ("2026-12-23") is shown."""
    page.wait_for_selector(f'#{prefix}-results[data-at="{at}"]:not([hidden])', timeout=timeout)
