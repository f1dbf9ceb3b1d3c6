"""The author's side: the request ledger, the working-day calendar, deadlines, fees, tables."""
from .calendar import CalendarError, WorkCalendar
from .deadlines import Deadline, deadline, explain
from .fees import per_page_fee, per_request_fee, per_request_total
from .ledger import COLUMNS, Ledger, LedgerError, Request, load_ledger, write_template
from .tables import t3_from_ledger

__all__ = ["WorkCalendar", "CalendarError", "Deadline", "deadline", "explain", "per_page_fee", "per_request_fee",
           "per_request_total", "COLUMNS", "Ledger", "LedgerError", "Request", "load_ledger", "write_template",
           "t3_from_ledger"]
